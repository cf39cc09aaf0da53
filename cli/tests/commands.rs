//! End-to-end: help, credentials, and the single-shot commands.

mod common;

use cinetpay_sandbox::{MerchantConfig, SandboxConfig};
use common::{rows, stderr_of, stdout_of, TestEnv};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

#[test]
fn every_subcommand_has_help() {
    let subcommands: [&[&str]; 9] = [
        &[],
        &["balance"],
        &["contacts"],
        &["contacts", "add"],
        &["send"],
        &["payout"],
        &["status"],
        &["watch"],
        &["sandbox"],
    ];
    for args in subcommands {
        assert_cmd::Command::cargo_bin("cinetpay")
            .unwrap()
            .args(args)
            .arg("--help")
            .assert()
            .success()
            .stdout(contains("Usage: cinetpay"));
    }
    assert_cmd::Command::cargo_bin("cinetpay")
        .unwrap()
        .arg("--help")
        .assert()
        .stdout(contains("Exit codes:").and(contains("4  unfinished")));
}

#[test]
fn bad_flags_exit_2() {
    assert_cmd::Command::cargo_bin("cinetpay")
        .unwrap()
        .args(["status"])
        .assert()
        .code(2);
    for timeout in ["1e20h", "100000000000h", "soon"] {
        assert_cmd::Command::cargo_bin("cinetpay")
            .unwrap()
            .args(["watch", "--lot", "L1", "--timeout", timeout])
            .assert()
            .code(2)
            .stderr(contains("--timeout"));
    }
}

#[test]
fn completions_are_generated_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        assert_cmd::Command::cargo_bin("cinetpay")
            .unwrap()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(contains("payout").and(contains("client-transaction-id")));
    }
}

#[test]
fn secrets_never_appear_in_any_output() {
    let key = "sentinel-key-4f1c9a";
    let password = "sentinel-password-8d2e7b";
    let config = SandboxConfig::default().with_merchant(MerchantConfig::new(key, password));
    let mut env = TestEnv::with_config(config);
    env.api_key = key.into();
    env.password = password.into();
    let mut lines = rows(3);
    lines.push(common::rejected_row());
    let csv = env.write_csv("pay.csv", &lines);

    let runs = [
        env.payout(&csv, "run.sqlite", &["-vv"]).output().unwrap(),
        env.cli().args(["-vv", "--json", "balance"]).output().unwrap(),
        {
            let mut wrong = env.cli();
            wrong.env("CINETPAY_API_PASSWORD", "sentinel-wrong-31b7");
            wrong.args(["-vv", "balance"]).output().unwrap()
        },
    ];
    assert_eq!(runs[0].status.code(), Some(3), "{}", stderr_of(&runs[0]));
    assert!(stderr_of(&runs[0]).contains("DEBUG"), "-vv shows debug logs");
    assert_eq!(runs[2].status.code(), Some(1), "a refused login exits 1");
    for output in &runs {
        let all = format!("{}{}", stdout_of(output), stderr_of(output));
        assert!(!all.contains("sentinel-"), "a secret leaked:\n{all}");
    }
}

#[test]
fn credentials_file_and_missing_credentials() {
    let env = TestEnv::new();
    let file = env.dir.path().join("creds.env");
    std::fs::write(
        &file,
        format!(
            "CINETPAY_API_KEY={}\nCINETPAY_API_PASSWORD={}\n",
            env.api_key, env.password
        ),
    )
    .unwrap();
    env.cli()
        .env_remove("CINETPAY_API_KEY")
        .env_remove("CINETPAY_API_PASSWORD")
        .arg("--credentials-file")
        .arg(&file)
        .arg("balance")
        .assert()
        .code(0)
        .stdout(contains("1,000,000 XOF"));
    env.cli()
        .env_remove("CINETPAY_API_PASSWORD")
        .arg("balance")
        .assert()
        .code(1)
        .stderr(contains("CINETPAY_API_PASSWORD not set"));
    // A malformed line is named by its number, never quoted (it may hold the password).
    std::fs::write(&file, "CINETPAY_API_KEY=k\nsentinel-pass word\n").unwrap();
    env.cli()
        .arg("--credentials-file")
        .arg(&file)
        .arg("balance")
        .assert()
        .code(1)
        .stderr(contains("creds.env:2: not a KEY=VALUE line").and(contains("sentinel").not()));
}

#[test]
fn send_then_status() {
    let env = TestEnv::new();
    env.cli()
        .args(["send", "--phone", "+2250701020304", "--amount", "1500"])
        .args([
            "--notify-url",
            "http://127.0.0.1:9/notify",
            "--client-transaction-id",
            "one-off-1",
        ])
        .args(["--wait", "--interval", "50ms"])
        .assert()
        .code(0)
        .stdout(contains("VAL"));
    env.cli()
        .args(["--json", "status", "--client-transaction-id", "one-off-1"])
        .assert()
        .code(0)
        .stdout(contains("\"treatment_status\": \"VAL\""));
    env.cli()
        .args([
            "send",
            "--phone",
            "0701020304",
            "--prefix",
            "225",
            "--amount",
            "10",
        ])
        .args(["--notify-url", "http://127.0.0.1:9/notify"])
        .assert()
        .code(2)
        .stderr(contains("amount"));
}

#[test]
fn contacts_from_a_file() {
    let env = TestEnv::new();
    let file = env.dir.path().join("contacts.csv");
    std::fs::write(
        &file,
        "phone,prefix,name,surname\n0701020304,225,Awa,Kone\n771234567,221,Moussa,Diop\n",
    )
    .unwrap();
    env.cli()
        .args(["contacts", "add", "--file"])
        .arg(&file)
        .assert()
        .code(0)
        .stdout(contains("added"));
    assert_eq!(env.sandbox.merchants()[0].contacts, 2);
}
