//! Faults that play the service's own bad answers: codes no rule produces (whole request or per
//! item, processed or not), a send that outlives its client, lookups lagging behind the
//! notification, and GET pings to the notify URL.

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use cinetpay_sandbox::{DeliveryOutcome, Endpoint, Fault, FaultKind};
use common::{assert_error, item, items, read, Api, PAID};
use serde_json::{json, Value};

async fn ready(api: &Api) -> String {
    let token = api.login().await;
    api.add_contact(&token, PAID).await;
    token
}

#[tokio::test]
async fn an_api_error_refuses_the_whole_request_and_records_it_only_when_processed() {
    let api = Api::start().await;
    let token = ready(&api).await;
    api.sandbox.add_fault(Fault::api_error(Endpoint::Send, 709));
    let answer = api.send(&token, json!([item(PAID, 500, "a")])).await;
    assert_error(&answer, 500, "709", "EXECUTION_ERROR");
    assert!(api.sandbox.ledger().is_empty());

    api.sandbox
        .add_fault(Fault::api_error(Endpoint::Send, 805).processed());
    let answer = api.send(&token, json!([item(PAID, 500, "a")])).await;
    assert_error(&answer, 409, "805", "CLIENT_TRANSACTION_ID_EXIST");
    let ledger = api.sandbox.ledger();
    assert_eq!((ledger.len(), ledger[0].client_transaction_id.as_str()), (1, "a"));

    // Without a code, -1; on another endpoint too (here: login refused with 703).
    api.sandbox
        .add_fault(Fault::new(Endpoint::Balance, FaultKind::ApiError));
    assert_error(&api.balance(&token).await, 500, "-1", "OPERATION_ERROR");
    api.sandbox.add_fault(Fault::api_error(Endpoint::Login, 703));
    assert_error(
        &api.login_as("sandbox-api-key", "sandbox-password").await,
        401,
        "703",
        "INVALID_USER",
    );
    assert_eq!(api.balance(&token).await.0, 200, "the faults are used up");
}

#[tokio::test]
async fn an_item_error_answers_code_0_with_the_code_on_every_item() {
    let api = Api::start().await;
    let token = ready(&api).await;
    api.sandbox.add_fault(Fault::item_error(710));
    let (status, body) = api.send(&token, json!([item(PAID, 500, "b")])).await;
    assert_eq!((status, body["code"].clone()), (200, json!(0)), "{body}");
    let answered = items(&body);
    assert_eq!(answered[0]["code"], 710);
    assert_eq!(answered[0]["client_transaction_id"], "b");
    assert!(api.sandbox.ledger().is_empty(), "not processed");

    api.sandbox.add_fault(Fault::item_error(-1).processed());
    let (_, body) = api.send(&token, json!([item(PAID, 500, "c")])).await;
    assert_eq!(items(&body)[0]["code"], -1);
    let ledger = api.sandbox.ledger();
    assert_eq!(ledger.len(), 1, "recorded although the answer says -1");
    let (status, found) = api.status(&token, "client_transaction_id", "c").await;
    assert_eq!((status, found["data"][0]["amount"].clone()), (200, json!("500")));
}

#[tokio::test]
async fn a_slow_send_is_recorded_when_it_ends_even_if_the_client_gave_up() {
    let api = Api::start().await;
    let token = ready(&api).await;
    api.sandbox
        .add_fault(Fault::new(Endpoint::Send, FaultKind::SlowProcessing).with_latency_ms(600));
    let data = json!([item(PAID, 500, "slow")]).to_string();
    let gave_up = api
        .http
        .post(api.url("/transfer/money/send/contact"))
        .query(&[("token", token.as_str())])
        .form(&[("data", data)])
        .timeout(Duration::from_millis(100))
        .send()
        .await
        .unwrap_err();
    assert!(gave_up.is_timeout(), "{gave_up:?}");
    assert!(api.sandbox.ledger().is_empty(), "still running");
    let (status, ledger) = read(
        api.http
            .get(format!("{}/ledger?settle_ms=5000", api.sandbox.admin_url()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(ledger.as_array().map(Vec::len), Some(1));
    assert_eq!(ledger[0]["client_transaction_id"], "slow");

    // A client that waits gets the answer when the work ends.
    api.sandbox
        .add_fault(Fault::new(Endpoint::Send, FaultKind::SlowProcessing).with_latency_ms(100));
    let (status, body) = api.send(&token, json!([item(PAID, 500, "slow-2")])).await;
    assert_eq!((status, items(&body)[0]["code"].clone()), (200, json!(0)));
}

#[tokio::test]
async fn a_lagging_lookup_shows_a_final_payout_as_still_processing() {
    let api = Api::start().await;
    let (token, _) = api.pay(PAID, 500, "lag").await;
    api.sandbox.advance_clock(Duration::from_secs(20));
    api.sandbox
        .add_fault(Fault::new(Endpoint::Status, FaultKind::StatusLag));
    let (_, lagging) = api.status(&token, "client_transaction_id", "lag").await;
    assert_eq!(lagging["data"][0]["treatment_status"], "REC");
    assert_eq!(lagging["data"][0]["validated_at"], Value::Null);
    let (_, caught_up) = api.status(&token, "client_transaction_id", "lag").await;
    assert_eq!(caught_up["data"][0]["treatment_status"], "VAL");
}

#[tokio::test]
async fn kinds_for_one_endpoint_are_refused_elsewhere_by_the_admin_api() {
    let api = Api::start().await;
    let url = format!("{}/faults", api.sandbox.admin_url());
    let refused = api
        .http
        .post(&url)
        .body(json!({"endpoint": "balance", "kind": "item_error", "code": 709}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let (status, queued) = read(
        api.http
            .post(&url)
            .body(
                json!({"endpoint": "send", "kind": "item_error", "code": 715, "processed": true}).to_string(),
            )
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(queued[0]["code"], 715);
    assert_eq!(queued[0]["processed"], true);
}

#[tokio::test]
async fn a_ping_is_a_bare_get_to_the_notify_url_and_is_recorded() {
    let app = Router::new().route("/notify", get(|| async { StatusCode::OK }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/notify", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let api = Api::start().await;

    let delivery = api.sandbox.ping(&url).await;
    assert_eq!(
        (delivery.method.as_str(), delivery.outcome),
        ("GET", DeliveryOutcome::Delivered)
    );
    assert_eq!(delivery.http_status, Some(200));
    assert!(delivery.fields.is_empty());

    // Through the admin API; a POST-only receiver would answer 405 and the ping counts as failed.
    let (status, recorded) = read(
        api.http
            .post(format!("{}/notifications/ping", api.sandbox.admin_url()))
            .body(json!({ "url": url.replace("/notify", "/elsewhere") }).to_string())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        (recorded["outcome"].clone(), recorded["http_status"].clone()),
        (json!("failed"), json!(404))
    );
    assert_eq!(api.sandbox.notifications().len(), 2);
}
