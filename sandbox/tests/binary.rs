//! The `cinetpay-sandbox` binary: flags, the printed base URL, and serving until stopped.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// Starts the binary with `args` (stdin and stdout piped) and reads the base URL it prints first.
fn start(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cinetpay-sandbox"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, line.trim().to_string())
}

#[tokio::test]
async fn the_binary_serves_the_seeded_merchant_from_its_flags() {
    let (mut child, base) = start(&[
        "--addr",
        "127.0.0.1:0",
        "--api-key",
        "demo",
        "--password",
        "secret",
        "--balance",
        "1234",
    ]);
    let outcome = async move {
        assert!(
            base.starts_with("http://127.0.0.1:") && base.ends_with("/v1"),
            "{base}"
        );
        let http = reqwest::Client::new();
        let login = http
            .post(format!("{base}/auth/login"))
            .form(&[("apikey", "demo"), ("password", "secret")])
            .send()
            .await
            .unwrap();
        let body: serde_json::Value = serde_json::from_str(&login.text().await.unwrap()).unwrap();
        let token = body["data"]["token"].as_str().unwrap().to_string();
        let balance = http
            .get(format!("{base}/transfer/check/balance"))
            .query(&[("token", token)])
            .send()
            .await
            .unwrap();
        let balance: serde_json::Value = serde_json::from_str(&balance.text().await.unwrap()).unwrap();
        assert_eq!(balance["data"]["countryBalance"]["SN"]["available"], 1234);
    };
    let result = tokio::spawn(outcome).await;
    child.kill().unwrap();
    child.wait().unwrap();
    result.unwrap();
}

/// What every language's helper relies on (ADR 10): the base URL on the first line, the helpers'
/// option names as flags, and no sandbox left behind once its parent's end of stdin closes.
#[test]
fn the_binary_takes_the_helper_options_and_exits_when_its_stdin_closes() {
    let (mut child, base) = start(&[
        "--addr=127.0.0.1:0",
        "--quirks=documented",
        "--clock=real",
        "--token-lifetime=2.5",
        "--whitelisted=false",
        "--exit-with-stdin",
    ]);
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    drop(child.stdin.take());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the sandbox still runs 10 s after its stdin closed");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
}

#[test]
fn a_bad_option_value_is_refused_by_name() {
    let out = Command::new(env!("CARGO_BIN_EXE_cinetpay-sandbox"))
        .args(["--addr=127.0.0.1:0", "--clock=fast"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--clock"));
}
