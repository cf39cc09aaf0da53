//! Notifications: delivered to a receiver on 127.0.0.1, retried after a failure, skipped elsewhere.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Form, Router};
use cinetpay_sandbox::{DeliveryOutcome, RetryPolicy, SandboxConfig};
use common::{item, Api, PAID, REJECTED};
use serde_json::json;

type Seen = Arc<Mutex<Vec<Vec<(String, String)>>>>;

/// A receiver answering 500 to its first `failures` calls, then 200; it records every body.
async fn receiver(failures: usize) -> (String, Seen) {
    let seen: Seen = Arc::default();
    let app = Router::new()
        .route(
            "/notify",
            post(
                |State(seen): State<(Seen, usize)>, Form(fields): Form<Vec<(String, String)>>| async move {
                    let mut log = seen.0.lock().unwrap();
                    log.push(fields);
                    if log.len() <= seen.1 {
                        StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        StatusCode::OK
                    }
                },
            ),
        )
        .with_state((seen.clone(), failures));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/notify", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

fn fast_retries() -> SandboxConfig {
    SandboxConfig::default().with_notify_retry(RetryPolicy {
        attempts: 3,
        delay: Duration::from_millis(20),
    })
}

#[tokio::test]
async fn a_final_payout_is_notified_with_the_documented_fields() {
    let (url, seen) = receiver(0).await;
    let api = Api::with(fast_retries()).await;
    let token = api.login().await;
    api.add_contact(&token, PAID).await;
    let mut it = item(PAID, 500, "order-1");
    it["notify_url"] = json!(url);
    api.send(&token, json!([it])).await;
    api.sandbox.advance_clock(Duration::from_secs(15));
    let log = api
        .sandbox
        .wait_for_notifications(1, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(log[0].outcome, DeliveryOutcome::Delivered);
    assert_eq!(log[0].http_status, Some(200));
    assert_eq!(log[0].attempt, 1);
    assert_eq!(log[0].url, url);
    let posted: std::collections::BTreeMap<_, _> = seen.lock().unwrap()[0].iter().cloned().collect();
    assert_eq!(posted, log[0].fields);
    let entry = &api.sandbox.ledger()[0];
    assert_eq!(posted["transaction_id"], entry.transaction_id);
    assert_eq!(posted["client_transaction_id"], "order-1");
    assert_eq!(posted["lot"], entry.lot);
    assert_eq!(posted["amount"], "500");
    assert_eq!(posted["receiver"], PAID);
    assert_eq!(posted["treatment_status"], "VAL");
    assert_eq!(posted["sending_status"], "CONFIRM");
    assert_eq!(Some(&posted["validated_at"]), entry.validated_at.as_ref());
    assert!(!posted["operator_transaction_id"].is_empty());
    assert!(posted.contains_key("comment"));
}

#[tokio::test]
async fn a_failed_delivery_is_retried_and_each_attempt_recorded() {
    let (url, seen) = receiver(1).await;
    let api = Api::with(fast_retries()).await;
    let token = api.login().await;
    api.add_contact(&token, REJECTED).await;
    let mut it = item(REJECTED, 500, "order-1");
    it["notify_url"] = json!(url);
    api.send(&token, json!([it])).await;
    api.sandbox.advance_clock(Duration::from_secs(15));
    let log = api
        .sandbox
        .wait_for_notifications(2, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(
        (log[0].attempt, log[0].outcome, log[0].http_status),
        (1, DeliveryOutcome::Failed, Some(500))
    );
    assert_eq!(
        (log[1].attempt, log[1].outcome, log[1].http_status),
        (2, DeliveryOutcome::Delivered, Some(200))
    );
    assert_eq!(log[1].fields["treatment_status"], "REJ");
    assert_eq!(log[1].fields["validated_at"], "");
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn an_unreachable_receiver_is_tried_as_often_as_the_policy_says() {
    let api = Api::with(fast_retries()).await;
    api.pay(PAID, 500, "p").await; // notify_url: 127.0.0.1:9, nobody listens
    api.sandbox.advance_clock(Duration::from_secs(15));
    let log = api
        .sandbox
        .wait_for_notifications(3, Duration::from_secs(10))
        .await
        .unwrap();
    assert!(log
        .iter()
        .all(|d| d.outcome == DeliveryOutcome::Failed && d.error.is_some()));
    assert_eq!(log.iter().map(|d| d.attempt).collect::<Vec<_>>(), vec![1, 2, 3]);
}

#[tokio::test]
async fn a_non_loopback_notify_url_is_skipped() {
    let api = Api::start().await;
    let token = api.login().await;
    api.add_contact(&token, PAID).await;
    let mut it = item(PAID, 500, "p");
    it["notify_url"] = json!("https://merchant.example.com/notify");
    api.send(&token, json!([it])).await;
    api.sandbox.advance_clock(Duration::from_secs(15));
    let log = api
        .sandbox
        .wait_for_notifications(1, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(log[0].outcome, DeliveryOutcome::Skipped);
    assert!(log[0].error.as_deref().unwrap().contains("merchant.example.com"));
}

#[tokio::test]
async fn waiting_for_more_deliveries_than_come_times_out() {
    let api = Api::start().await;
    let err = api
        .sandbox
        .wait_for_notifications(1, Duration::from_millis(50))
        .await
        .unwrap_err();
    assert_eq!((err.wanted, err.got), (1, 0));
}
