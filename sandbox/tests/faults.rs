//! Fault injection: each kind, per endpoint, count-limited; dropped connections are real TCP closes.

mod common;

use std::time::{Duration, Instant};

use cinetpay_sandbox::{Endpoint, Fault, FaultKind};
use common::{item, items, read, Api, PAID};
use serde_json::json;

/// Sends one payout with a raw request; returns the reqwest result.
async fn raw_send(api: &Api, token: &str, ctid: &str) -> reqwest::Result<reqwest::Response> {
    let data = json!([item(PAID, 500, ctid)]).to_string();
    api.http
        .post(api.url("/transfer/money/send/contact"))
        .query(&[("token", token)])
        .form(&[("data", data)])
        .send()
        .await
}

async fn ready(api: &Api) -> String {
    let token = api.login().await;
    api.add_contact(&token, PAID).await;
    token
}

#[tokio::test]
async fn drop_before_closes_the_connection_and_records_nothing() {
    let api = Api::start().await;
    let token = ready(&api).await;
    api.sandbox
        .add_fault(Fault::new(Endpoint::Send, FaultKind::DropBefore));
    let err = raw_send(&api, &token, "p").await.unwrap_err();
    assert!(
        err.is_request() && !err.is_timeout(),
        "connection closed, no answer: {err:?}"
    );
    assert!(api.sandbox.ledger().is_empty());
    assert_eq!(
        api.sandbox.balances("sandbox-api-key").unwrap()["CI"].available,
        1_000_000
    );
    // The fault is used up: the retry goes through.
    assert_eq!(raw_send(&api, &token, "p").await.unwrap().status(), 200);
    assert_eq!(api.sandbox.ledger().len(), 1);
}

#[tokio::test]
async fn drop_after_records_the_payout_exactly_once() {
    let api = Api::start().await;
    let token = ready(&api).await;
    api.sandbox
        .add_fault(Fault::new(Endpoint::Send, FaultKind::DropAfter));
    let err = raw_send(&api, &token, "p").await.unwrap_err();
    assert!(
        err.is_request() && !err.is_timeout(),
        "connection closed, no answer: {err:?}"
    );
    let ledger = api.sandbox.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].accepted_count, 1);
    // The client can find out, then a blind resend is a per-item 805.
    let (status, _) = api.status(&token, "client_transaction_id", "p").await;
    assert_eq!(status, 200);
    let (_, body) = read(raw_send(&api, &token, "p").await.unwrap()).await;
    assert_eq!(items(&body)[0]["code"], 805);
    let ledger = api.sandbox.ledger();
    assert_eq!(
        (ledger.len(), ledger[0].accepted_count, ledger[0].send_attempts),
        (1, 1, 2)
    );
}

#[tokio::test]
async fn server_error_answers_an_html_page_without_processing() {
    let api = Api::start().await;
    let token = ready(&api).await;
    api.sandbox
        .add_fault(Fault::new(Endpoint::Send, FaultKind::ServerError));
    api.sandbox
        .add_fault(Fault::new(Endpoint::Balance, FaultKind::ServerError).with_status(503));
    let response = raw_send(&api, &token, "p").await.unwrap();
    assert_eq!(response.status(), 502);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(response.text().await.unwrap().contains("<html>"));
    assert!(api.sandbox.ledger().is_empty());
    let response = api
        .http
        .get(api.url("/transfer/check/balance"))
        .query(&[("token", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
}

#[tokio::test]
async fn malformed_json_is_a_200_whose_body_does_not_parse_after_processing() {
    let api = Api::start().await;
    let token = ready(&api).await;
    api.sandbox
        .add_fault(Fault::new(Endpoint::Send, FaultKind::MalformedJson));
    let response = raw_send(&api, &token, "p").await.unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_err(),
        "{text}"
    );
    assert_eq!(api.sandbox.ledger().len(), 1);
}

#[tokio::test]
async fn rate_limiting_answers_429_with_json_or_nothing() {
    let api = Api::start().await;
    api.sandbox
        .add_fault(Fault::new(Endpoint::Login, FaultKind::RateLimited));
    api.sandbox
        .add_fault(Fault::new(Endpoint::Login, FaultKind::RateLimitedEmpty));
    let (status, body) = api.login_as("sandbox-api-key", "sandbox-password").await;
    assert_eq!(status, 429);
    assert!(body["message"].is_string());
    let response = api
        .http
        .post(api.url("/auth/login"))
        .form(&[("apikey", "sandbox-api-key"), ("password", "sandbox-password")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "1");
    assert!(response.text().await.unwrap().is_empty());
    assert_eq!(api.login_as("sandbox-api-key", "sandbox-password").await.0, 200);
}

#[tokio::test]
async fn latency_delays_then_serves() {
    let api = Api::start().await;
    let token = api.login().await;
    api.sandbox.add_fault(Fault::latency(Endpoint::Balance, 200));
    let started = Instant::now();
    assert_eq!(api.balance(&token).await.0, 200);
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert!(api.sandbox.faults().is_empty());
}

#[tokio::test]
async fn faults_are_count_limited_and_only_hit_their_endpoint() {
    let api = Api::start().await;
    let token = api.login().await;
    api.sandbox
        .add_fault(Fault::new(Endpoint::Status, FaultKind::RateLimitedEmpty).times(2));
    assert_eq!(api.balance(&token).await.0, 200);
    let status = || {
        api.http
            .get(api.url("/transfer/check/money"))
            .query(&[("token", token.as_str()), ("lot", "1")])
            .send()
    };
    assert_eq!(status().await.unwrap().status(), 429);
    assert_eq!(api.sandbox.faults()[0].count, 1);
    assert_eq!(status().await.unwrap().status(), 429);
    assert_eq!(status().await.unwrap().status(), 404);
    api.sandbox
        .add_fault(Fault::new(Endpoint::Status, FaultKind::DropBefore).times(5));
    api.sandbox.clear_faults();
    assert_eq!(status().await.unwrap().status(), 404);
}

#[tokio::test]
async fn faults_hit_every_endpoint() {
    let api = Api::start().await;
    let token = ready(&api).await;
    for endpoint in [
        Endpoint::Login,
        Endpoint::Balance,
        Endpoint::Contact,
        Endpoint::Send,
        Endpoint::Status,
    ] {
        api.sandbox
            .add_fault(Fault::new(endpoint, FaultKind::ServerError));
    }
    let contact = json!([{"prefix": "225", "phone": PAID}]).to_string();
    let data = json!([item(PAID, 500, "x")]).to_string();
    let requests = [
        api.http
            .post(api.url("/auth/login"))
            .form(&[("apikey", "a"), ("password", "b")]),
        api.http
            .get(api.url("/transfer/check/balance"))
            .query(&[("token", &token)]),
        api.http
            .post(api.url("/transfer/contact"))
            .query(&[("token", &token)])
            .form(&[("data", &contact)]),
        api.http
            .post(api.url("/transfer/money/send/contact"))
            .query(&[("token", &token)])
            .form(&[("data", &data)]),
        api.http
            .get(api.url("/transfer/check/money"))
            .query(&[("token", token.as_str()), ("lot", "1")]),
    ];
    for request in requests {
        assert_eq!(request.send().await.unwrap().status(), 502);
    }
    assert!(api.sandbox.faults().is_empty());
}
