//! The Rust side-by-side program runs against an in-process sandbox and prints exactly
//! `../expected-output.txt`, the transcript the Python, Node and Kotlin versions are held to too;
//! without a local sandbox URL it refuses before any request, whatever credentials the shell holds.

use std::process::{Command, Output};

use cinetpay_sandbox::{ClockMode, Delays, Sandbox, SandboxConfig};

const EXPECTED: &str = include_str!("../../expected-output.txt");

fn run(env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_side-by-side"));
    for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("CINETPAY_")) {
        command.env_remove(name);
    }
    command
        .envs(env.iter().copied())
        .output()
        .expect("the example runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prints_the_shared_transcript_against_the_sandbox() {
    let sandbox = Sandbox::start(SandboxConfig {
        clock: ClockMode::Real(Delays::DEMO),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let url = sandbox.base_url();
    let out = tokio::task::spawn_blocking(move || run(&[("CINETPAY_SANDBOX_URL", &url)]))
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
    assert_eq!(String::from_utf8_lossy(&out.stdout), EXPECTED, "{stderr}");
    assert_eq!(sandbox.ledger().len(), 2, "two payouts, each paid once");
}

#[test]
fn refuses_without_a_local_sandbox_url() {
    let production = "https://client.cinetpay.com/v1";
    for env in [
        vec![
            ("CINETPAY_API_KEY", "51243657865e1c6b8f1f76.12345678"),
            ("CINETPAY_BASE_URL", production),
        ],
        vec![("CINETPAY_SANDBOX_URL", production)],
    ] {
        let out = run(&env);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{env:?}: {stderr}");
        assert!(
            stderr.contains("nothing was sent") && out.stdout.is_empty(),
            "{env:?}: {stderr}"
        );
    }
}
