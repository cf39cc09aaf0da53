//! Latency mode: every API request waits the configured latency, and concurrent requests wait
//! together. Concurrency is asserted on the server's own count of requests in progress at once,
//! never on elapsed time, which a loaded machine blurs: a wait that blocked the runtime's thread
//! or held a lock the others need would keep them from being received and served side by side
//! (the example `fill_and_measure -- --latency-ms=200` shows the wall time).

mod common;

use std::time::Duration;

use cinetpay_sandbox::SandboxConfig;
use common::{client, Api};
use serde_json::json;

#[tokio::test]
async fn eight_concurrent_requests_are_all_in_progress_at_once() {
    // Long enough that eight connections open well within one latency even on a busy machine.
    let config = SandboxConfig::default().with_latency(Duration::from_millis(1000));
    let api = Api::with(config).await;
    let token = api.login().await;
    let url = api.url("/transfer/check/balance");
    let calls = (0..8).map(|_| {
        let request = client().get(&url).query(&[("token", token.as_str())]);
        tokio::spawn(async move { request.send().await.map(|r| r.status().as_u16()) })
    });
    let mut statuses = Vec::new();
    for call in calls.collect::<Vec<_>>() {
        statuses.push(call.await.unwrap().unwrap());
    }
    assert_eq!(statuses, [200; 8]);
    let stats = api.sandbox.requests();
    assert_eq!((stats.received, stats.in_progress), (9, 0), "{stats:?}");
    assert_eq!(stats.peak_in_progress, 8, "{stats:?}");
    let admin = format!("{}/requests", api.sandbox.admin_url());
    let body: serde_json::Value =
        serde_json::from_str(&client().get(admin).send().await.unwrap().text().await.unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"received": 9, "in_progress": 0, "peak_in_progress": 8})
    );
}

#[tokio::test]
async fn requests_one_after_the_other_never_overlap_and_reset_counts_afresh() {
    let api = Api::with(SandboxConfig::default().with_latency(Duration::from_millis(50))).await;
    let token = api.login().await;
    let (status, _) = api.balance(&token).await;
    assert_eq!(status, 200);
    let stats = api.sandbox.requests();
    assert_eq!((stats.received, stats.peak_in_progress), (2, 1), "{stats:?}");
    api.sandbox.reset();
    assert_eq!(api.sandbox.requests().received, 0);
}
