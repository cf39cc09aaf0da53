//! The `cinetpay-sandbox` binary: flags, the printed base URL, and serving until stopped.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test]
async fn the_binary_serves_the_seeded_merchant_from_its_flags() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cinetpay-sandbox"))
        .args([
            "--addr",
            "127.0.0.1:0",
            "--api-key",
            "demo",
            "--password",
            "secret",
            "--balance",
            "1234",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line.trim().to_string();
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
