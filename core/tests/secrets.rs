//! API key, password and token never show up in logs, errors or `Debug` output.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cinetpay_transfer::{Client, ErrorKind, RetryPolicy, Transfer};
use support::ScriptedServer;

const API_KEY: &str = "key-SENTINEL-71d0";
const PASSWORD: &str = "pass-SENTINEL-c3b9";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn secrets_stay_out_of_trace_logs_errors_and_debug_output() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

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

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("cinetpay request"), "requests are traced: {logs}");
    assert!(logs.contains("+225 07******04"), "phones are masked: {logs}");
    assert!(!logs.contains("0701020304"), "no full phone number in logs");
    let shown = format!("{logs}\n{err}\n{err:?}\n{client:?}");
    for secret in [API_KEY, PASSWORD, token.as_str()] {
        assert!(!shown.contains(secret), "{secret} leaked:\n{shown}");
    }
}
