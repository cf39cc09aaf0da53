//! The question before a real run's first payout, asked on a terminal: a pseudo-terminal that is
//! the command's controlling terminal, so what the test writes to it is what a person types,
//! Ctrl-C included (the terminal turns it into SIGINT for the command). Every other test runs
//! with `--yes` or without a terminal, where the question is never asked.

#![cfg(unix)]

mod common;

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{rows, TestEnv};

const QUESTION_ENDS: &str = "Type yes to send:";
const CTRL_C: &[u8] = b"\x03";

/// A command started on a new pseudo-terminal, its stderr gathered as it comes.
struct OnTerminal {
    child: Child,
    /// The terminal's other side: what is written here is typed on the command's terminal. Kept
    /// open while the command runs (closing it would hang up the terminal).
    keyboard: File,
    stderr: Arc<Mutex<Vec<u8>>>,
}

impl OnTerminal {
    fn start(mut cmd: Command) -> OnTerminal {
        let (mut main_side, mut command_side) = (0, 0);
        // SAFETY: openpty writes two new descriptors; the null pointers ask for no name and the
        // default settings.
        let opened = unsafe {
            libc::openpty(
                &mut main_side,
                &mut command_side,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        assert_eq!(opened, 0, "openpty: {}", std::io::Error::last_os_error());
        // SAFETY: both descriptors were just opened and are owned by nothing else.
        let (keyboard, terminal) =
            unsafe { (File::from_raw_fd(main_side), OwnedFd::from_raw_fd(command_side)) };
        cmd.stdin(Stdio::from(terminal))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // SAFETY: only async-signal-safe calls between fork and exec. A new session, then its
        // stdin (the terminal) made its controlling terminal: Ctrl-C typed there signals it.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let mut child = cmd.spawn().expect("cinetpay starts");
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let gathered = Arc::clone(&stderr);
        let mut pipe = child.stderr.take().expect("stderr piped");
        std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n @ 1..) = pipe.read(&mut chunk) {
                gathered.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
        });
        OnTerminal {
            child,
            keyboard,
            stderr,
        }
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned()
    }

    /// Waits until the command asks its question.
    fn wait_for_question(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.stderr().contains(QUESTION_ENDS) {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("ended ({status}) without asking: {}", self.stderr());
            }
            assert!(Instant::now() < deadline, "no question: {}", self.stderr());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn type_keys(&mut self, keys: &[u8]) {
        self.keyboard.write_all(keys).expect("typed");
        self.keyboard.flush().expect("typed");
    }

    /// The command's exit, which must come within `limit`.
    fn exit_within(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() >= deadline {
                let _ = self.child.kill();
                panic!("still running after {limit:?}: {}", self.stderr());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// `cinetpay payout` of `count` rows against the test's sandbox, without `--yes`.
fn payout_asking(env: &TestEnv, count: usize) -> Command {
    let csv = env.write_csv("asked.csv", &rows(count));
    let mut cmd = env.command();
    cmd.arg("payout")
        .arg(csv)
        .arg("--journal")
        .arg(env.dir.path().join("asked.sqlite"))
        .args(["--run", "asked", "--interval", "50ms"]);
    cmd
}

#[test]
fn a_typed_yes_sends_every_row_once() {
    let env = TestEnv::new();
    let mut run = OnTerminal::start(payout_asking(&env, 3));
    run.wait_for_question();
    assert!(env.ledger().is_empty(), "paid before the answer");
    run.type_keys(b"oui\n");
    let status = run.exit_within(Duration::from_secs(60));
    assert!(status.success(), "{status}: {}", run.stderr());
    assert_eq!(env.ledger().len(), 3);
}

#[test]
fn any_other_answer_sends_nothing() {
    let env = TestEnv::new();
    let mut run = OnTerminal::start(payout_asking(&env, 3));
    run.wait_for_question();
    run.type_keys(b"ok\n");
    let status = run.exit_within(Duration::from_secs(10));
    assert_eq!(status.code(), Some(2), "{}", run.stderr());
    assert!(run.stderr().contains("not confirmed; nothing was sent"));
    assert!(env.ledger().is_empty());
}

/// Client commands run on one thread (ADR 14); the answer was read on it, so Ctrl-C was only seen
/// after Enter. It now ends the command at once with nothing sent; the same command again asks
/// again, and then pays each row once.
#[test]
fn ctrl_c_at_the_question_ends_the_command_at_once_and_sends_nothing() {
    let env = TestEnv::new();
    let mut run = OnTerminal::start(payout_asking(&env, 3));
    run.wait_for_question();
    run.type_keys(CTRL_C);
    let status = run.exit_within(Duration::from_secs(5));
    assert_eq!(status.code(), Some(4), "{}", run.stderr());
    let said = run.stderr();
    assert!(said.contains("interrupted;"), "{said}");
    assert!(env.ledger().is_empty());

    let mut resumed = OnTerminal::start(payout_asking(&env, 3));
    resumed.wait_for_question();
    resumed.type_keys(b"yes\n");
    let status = resumed.exit_within(Duration::from_secs(60));
    assert!(status.success(), "{status}: {}", resumed.stderr());
    assert_eq!(env.ledger().len(), 3);
}
