//! `core/examples/payout.rs` never spends real money by accident. It runs with real-looking
//! credentials in the environment and no `--live`, while every way out to a "live" service
//! (`CINETPAY_BASE_URL`, and the HTTP(S) proxies, which catch the production host) points at a local
//! listener that counts connections: it must count none. `--live` runs are refused before any
//! request unless they name the payee and the amount and are confirmed (`--yes` without a terminal).
//!
//! The example binary is the one `cargo test -p cinetpay-transfer` (or `--workspace`) builds before
//! running tests; a binary older than the example's source fails the test instead of testing old code.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use cinetpay_sandbox::{ClockMode, Delays, Sandbox, SandboxConfig};

const REAL_LOOKING: [(&str, &str); 2] = [
    ("CINETPAY_API_KEY", "51243657865e1c6b8f1f76.12345678"),
    ("CINETPAY_API_PASSWORD", "Xk9#live-password-7Qz"),
];

fn example_binary() -> PathBuf {
    // target/<profile>/deps/examples-<hash> -> target/<profile>/examples/payout
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let binary = profile_dir
        .join("examples")
        .join(format!("payout{}", std::env::consts::EXE_SUFFIX));
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/payout.rs");
    let built = std::fs::metadata(&binary).and_then(|m| m.modified());
    let edited = std::fs::metadata(&source).and_then(|m| m.modified()).unwrap();
    assert!(
        matches!(built, Ok(built) if built >= edited),
        "{} is missing or older than its source: run `cargo test -p cinetpay-transfer`, which builds the examples first",
        binary.display()
    );
    binary
}

/// A TCP listener on 127.0.0.1 that closes every connection at once and counts them.
struct Listener {
    port: u16,
    seen: Arc<(Mutex<Vec<u16>>, Condvar)>,
}

impl Listener {
    fn start() -> Listener {
        let socket = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = socket.local_addr().unwrap().port();
        let seen = Arc::new((Mutex::new(Vec::new()), Condvar::new()));
        let record = Arc::clone(&seen);
        std::thread::spawn(move || {
            for conn in socket.incoming().flatten() {
                let peer = conn.peer_addr().map(|a| a.port()).unwrap_or(0);
                drop(conn);
                record.0.lock().unwrap().push(peer);
                record.1.notify_all();
            }
        });
        Listener { port, seen }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Connections so far. A probe goes last in the accept queue: once it is seen, every
    /// connection made before it has been seen too (the probe is not counted).
    fn count(&self) -> usize {
        let probe = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let port = probe.local_addr().unwrap().port();
        let (lock, seen) = &*self.seen;
        let ports = seen
            .wait_timeout_while(lock.lock().unwrap(), Duration::from_secs(10), |p| {
                !p.contains(&port)
            })
            .unwrap()
            .0;
        assert!(ports.contains(&port), "the probe connection was never accepted");
        ports.iter().filter(|p| **p != port).count()
    }
}

/// Runs the example with `env` on top of this environment minus CINETPAY_* and proxies; stdin is
/// never a terminal here. An example still running after 120 s is killed (its test then fails).
fn run(args: &[&str], env: &[(String, String)]) -> Output {
    let mut cmd = Command::new(example_binary());
    for (key, _) in std::env::vars() {
        let upper = key.to_ascii_uppercase();
        if upper.starts_with("CINETPAY_") || upper.ends_with("_PROXY") {
            cmd.env_remove(key);
        }
    }
    // English unless `env` says otherwise, whatever the machine's locale.
    cmd.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8");
    cmd.args(args).envs(env.iter().cloned());
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (finished, watchdog) = mpsc::channel::<()>();
    let pid = child.id().to_string();
    std::thread::spawn(move || {
        if watchdog.recv_timeout(Duration::from_secs(120)) == Err(RecvTimeoutError::Timeout) {
            let _ = Command::new("kill").arg(pid).status();
        }
    });
    let output = child.wait_with_output().unwrap();
    drop(finished);
    output
}

/// A shell with real credentials, where "live" can only reach the listener.
fn trap(listener: &Listener) -> Vec<(String, String)> {
    let url = listener.url();
    let mut env: Vec<(String, String)> = REAL_LOOKING
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    env.push(("CINETPAY_BASE_URL".into(), format!("{url}/v1")));
    for proxy in [
        "HTTPS_PROXY",
        "HTTP_PROXY",
        "ALL_PROXY",
        "https_proxy",
        "http_proxy",
        "all_proxy",
    ] {
        env.push((proxy.into(), url.clone()));
    }
    env.push(("NO_PROXY".into(), "127.0.0.1,localhost".into())); // the in-process sandbox
    env
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn without_live_the_example_stays_on_the_in_process_sandbox_whatever_the_environment_holds() {
    let live = Listener::start();
    let done = run(&[], &trap(&live));
    let (stdout, stderr) = (text(&done.stdout), text(&done.stderr));
    assert_eq!(
        live.count(),
        0,
        "the example reached the \"live\" listener: {stderr}"
    );
    assert!(done.status.success(), "{stderr}");
    assert!(
        stdout.contains("sandbox: no money moves") && stdout.contains("VAL"),
        "{stdout}"
    );
}

#[test]
fn the_example_speaks_french_when_the_locale_does() {
    let live = Listener::start();
    let mut env = trap(&live);
    env.push(("LANG".into(), "fr_CI.UTF-8".into()));
    let done = run(&[], &env);
    let (stdout, stderr) = (text(&done.stdout), text(&done.stderr));
    assert!(done.status.success(), "{stderr}");
    assert!(stdout.contains("bac à sable : aucun argent ne bouge"), "{stdout}");
    assert!(
        stdout.contains("disponible : 10\u{202F}000\u{202F}000 XOF"),
        "{stdout}"
    );
    assert!(
        stdout.contains("accepté : ") && stdout.contains("VAL"),
        "{stdout}"
    );

    let refused = run(&["--live"], &env);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = text(&refused.stderr);
    assert!(
        stderr.contains("--live demande le bénéficiaire et le montant"),
        "{stderr}"
    );
    assert!(stderr.contains("Rien n'a été envoyé."), "{stderr}");
    assert_eq!(live.count(), 0, "the example reached the \"live\" listener");
}

#[test]
fn live_runs_not_fully_asked_for_are_refused_before_any_request() {
    let live = Listener::start();
    let refusals: [(&[&str], &str); 6] = [
        (&["--live"], "--live needs the payee and the amount"),
        (
            &["--live", "+2250701020304"],
            "--live needs the payee and the amount",
        ),
        (
            &["--live", "--yes", "500"],
            "--live needs the payee and the amount",
        ),
        (&["--live", "+2250701020304", "500"], "without one, add --yes"), // stdin is not a terminal
        (
            &["--live", "--yes", "+2250701020304", "500.5"],
            "the amount must be whole XOF",
        ),
        (&["+2250701020304", "500"], "only mean something with --live"),
    ];
    for (args, why) in refusals {
        let done = run(args, &trap(&live));
        let stderr = text(&done.stderr);
        assert_eq!(done.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(why) && stderr.contains("Nothing was sent."),
            "{args:?}: {stderr}"
        );
    }
    assert_eq!(live.count(), 0, "a refused run reached the \"live\" listener");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_yes_pays_exactly_what_the_command_line_names_after_showing_it() {
    // The sandbox stands in for the live service.
    let sandbox = Sandbox::start(SandboxConfig {
        clock: ClockMode::Real(Delays::DEMO),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let env = vec![
        (
            "CINETPAY_API_KEY".to_string(),
            cinetpay_sandbox::DEFAULT_API_KEY.to_string(),
        ),
        (
            "CINETPAY_API_PASSWORD".to_string(),
            cinetpay_sandbox::DEFAULT_PASSWORD.to_string(),
        ),
        ("CINETPAY_BASE_URL".to_string(), sandbox.base_url()),
    ];
    let done = tokio::task::spawn_blocking(move || run(&["--live", "--yes", "+225 0505060708", "700"], &env))
        .await
        .unwrap();
    let (stdout, stderr) = (text(&done.stdout), text(&done.stderr));
    assert!(done.status.success(), "{stderr}");
    assert!(
        stdout.contains("about to pay 700 XOF to +225 05******08 (available: "),
        "{stdout}"
    );
    assert!(stdout.contains("VAL"), "{stdout}");
    let all = format!("{stdout}{stderr}");
    assert!(!all.contains("0505060708"), "the full number was printed");
    assert!(
        !all.contains(cinetpay_sandbox::DEFAULT_PASSWORD),
        "the password was printed"
    );
    let ledger: Vec<(String, String, u64)> = sandbox
        .ledger()
        .into_iter()
        .map(|e| (e.prefix, e.phone, e.amount))
        .collect();
    assert_eq!(ledger, [("225".to_string(), "0505060708".to_string(), 700)]);
    sandbox.shutdown().await;
}
