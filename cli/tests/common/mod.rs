//! A sandbox started in the test process, a temporary directory, and the `cinetpay` binary
//! pointed at both. The sandbox runs on the wall clock with ~50 ms delays so that a whole payout
//! run finishes in well under a second of waiting.

#![allow(dead_code)] // each test file uses its own part of this helper

use std::path::PathBuf;
use std::time::Duration;

use assert_cmd::Command;
use cinetpay_sandbox::{
    ClockMode, Delays, LedgerEntry, Sandbox, SandboxConfig, DEFAULT_API_KEY, DEFAULT_PASSWORD,
};
use tempfile::TempDir;

/// A short request timeout and processing window: a lost answer, an interrupted run or a new
/// journal of a named run waits 3 s before a row is sent again, not the default 2 minutes.
pub const SHORT_WINDOW: [&str; 4] = ["--request-timeout", "1s", "--processing-window", "2s"];

pub const HEADER: &str =
    "phone,prefix,amount,name,surname,email,payment_method,client_transaction_id,notify_url";

pub struct TestEnv {
    // Field order matters: the sandbox stops before its runtime.
    pub sandbox: Sandbox,
    pub dir: TempDir,
    pub api_key: String,
    pub password: String,
    _runtime: tokio::runtime::Runtime,
}

impl TestEnv {
    pub fn new() -> TestEnv {
        TestEnv::with_config(SandboxConfig::default())
    }

    /// A sandbox with `config` (its clock is set to real time with short delays).
    pub fn with_config(config: SandboxConfig) -> TestEnv {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let delays = Delays {
            to_processing: Duration::from_millis(20),
            to_final: Duration::from_millis(30),
        };
        let sandbox = runtime
            .block_on(Sandbox::start(config.with_clock(ClockMode::Real(delays))))
            .expect("sandbox starts");
        TestEnv {
            sandbox,
            dir: tempfile::tempdir().expect("temp dir"),
            api_key: DEFAULT_API_KEY.into(),
            password: DEFAULT_PASSWORD.into(),
            _runtime: runtime,
        }
    }

    /// The binary, with the sandbox's URL and the credentials in the environment.
    pub fn cli(&self) -> Command {
        let mut cmd = Command::from_std(self.command());
        cmd.timeout(Duration::from_secs(60));
        cmd
    }

    /// What `cli` runs, as a `std::process::Command`: for a test that starts the binary and acts
    /// while it runs (kills it, types at it).
    pub fn command(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("cinetpay"));
        // English unless a test says otherwise, whatever the machine's locale.
        cmd.env_remove("CINETPAY_BASE_URL")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "C.UTF-8")
            .env("CINETPAY_API_KEY", &self.api_key)
            .env("CINETPAY_API_PASSWORD", &self.password)
            .arg("--base-url")
            .arg(self.sandbox.base_url())
            .args(SHORT_WINDOW);
        cmd
    }

    /// `cinetpay payout FILE --journal J --run test-run --interval 50ms` plus `extra`.
    pub fn payout(&self, csv: &PathBuf, journal: &str, extra: &[&str]) -> Command {
        let mut cmd = self.payout_without_run(csv, journal, extra);
        cmd.args(["--run", "test-run"]);
        cmd
    }

    /// `cinetpay payout FILE --journal J --interval 50ms --yes` plus `extra`.
    pub fn payout_without_run(&self, csv: &PathBuf, journal: &str, extra: &[&str]) -> Command {
        let mut cmd = self.cli();
        cmd.arg("payout")
            .arg(csv)
            .arg("--journal")
            .arg(self.dir.path().join(journal))
            .args(["--interval", "50ms", "--yes"])
            .args(extra);
        cmd
    }

    /// Writes a CSV file (header plus rows) in the temporary directory.
    pub fn write_csv(&self, name: &str, rows: &[String]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, format!("{HEADER}\n{}\n", rows.join("\n"))).expect("csv written");
        path
    }

    pub fn ledger(&self) -> Vec<LedgerEntry> {
        self.sandbox.ledger()
    }

    /// The journal files (`*.sqlite*`) in the temporary directory.
    pub fn journal_files(&self) -> Vec<String> {
        std::fs::read_dir(self.dir.path())
            .expect("temporary directory")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|name| name.contains(".sqlite"))
            .collect()
    }
}

/// `n` valid Côte d'Ivoire rows of 1,000 XOF; none ends in 000 (the sandbox's rejection rule).
pub fn rows(n: usize) -> Vec<String> {
    (1..=n)
        .map(|i| {
            format!(
                "07{:08},225,1000,Payee{i},Test,,,,http://127.0.0.1:9/notify",
                10_000_000 + i * 37
            )
        })
        .collect()
}

/// A row the sandbox rejects when it processes it.
pub fn rejected_row() -> String {
    "0708123000,225,2500,Rejected,Payee,,OM,,http://127.0.0.1:9/notify".into()
}

pub fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
