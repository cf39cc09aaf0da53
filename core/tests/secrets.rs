//! API key, password and token never show up in logs, errors or `Debug` output.

mod support;

use std::time::Duration;

use cinetpay_transfer::{Client, ErrorKind, RetryPolicy, Transfer};
use support::{CapturedLogs, ScriptedServer};

const API_KEY: &str = "key-SENTINEL-71d0";
const PASSWORD: &str = "pass-SENTINEL-c3b9";

#[tokio::test]
async fn secrets_stay_out_of_trace_logs_errors_and_debug_output() {
    let (captured, _guard) = CapturedLogs::start();

    let server = ScriptedServer::default();
    let client = Client::builder()
        .credentials(API_KEY, PASSWORD)
        .base_url(server.start().await)
        .request_timeout(Duration::from_secs(1))
        .processing_window(Duration::from_secs(1))
        .retry(RetryPolicy {
            max_attempts: 2,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(2),
        })
        .build()
        .unwrap();
    client.balance().await.unwrap();
    let token = server.seen("/v1/transfer/check/balance")[0]
        .query
        .split('&')
        .find_map(|p| p.strip_prefix("token="))
        .unwrap()
        .to_owned();

    // A failing send (5xx, then lookups) and a rejected token produce warnings and errors.
    server.queue("/v1/transfer/money/send/contact", 500, "<html>oops</html>");
    server.queue("/v1/transfer/check/money", 500, "<html>oops</html>");
    server.queue("/v1/transfer/check/money", 500, "<html>oops</html>");
    let err = client
        .send(&[
            Transfer::new("225", "0701020304", 500, "https://shop.example/n").client_transaction_id("o-1")
        ])
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown, "{err}");
    assert_eq!(err.client_transaction_ids(), ["o-1"]);
    server.queue(
        "/v1/transfer/check/balance",
        401,
        r#"{"code":"705","message":"EXPIRED_TOKEN","data":[]}"#,
    );
    client.balance().await.unwrap();

    let logs = captured.text();
    assert!(logs.contains("cinetpay request"), "requests are traced: {logs}");
    assert!(logs.contains("+225 07******04"), "phones are masked: {logs}");
    assert!(!logs.contains("0701020304"), "no full phone number in logs");
    let shown = format!("{logs}\n{err}\n{err:?}\n{client:?}");
    for secret in [API_KEY, PASSWORD, token.as_str()] {
        assert!(!shown.contains(secret), "{secret} leaked:\n{shown}");
    }
}
