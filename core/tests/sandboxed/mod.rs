//! A client of an in-process sandbox with small chunks and quick retries, for the tests that
//! watch how a call cuts its list (chunks, requests in flight) against a realistic service.

use std::time::Duration;

use cinetpay_sandbox::{Sandbox, SandboxConfig};
use cinetpay_transfer::{Client, RetryPolicy};

/// A fresh sandbox and a client of it sending `chunk_size` payouts per request, at most
/// `max_concurrency` requests at once.
pub async fn sandbox_and_client(chunk_size: usize, max_concurrency: usize) -> (Sandbox, Client) {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let client = Client::builder()
        .credentials("sandbox-api-key", "sandbox-password")
        .base_url(sandbox.base_url())
        .request_timeout(Duration::from_secs(2))
        .retry(RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
        })
        .chunk_size(chunk_size)
        .max_concurrency(max_concurrency)
        .build()
        .unwrap();
    (sandbox, client)
}
