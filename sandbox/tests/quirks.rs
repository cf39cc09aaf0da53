//! Each quirk switched to the documented shape.

mod common;

use cinetpay_sandbox::{Quirks, SandboxConfig};
use common::{item, Api, PAID};
use serde_json::json;

#[tokio::test]
async fn documented_shapes_when_every_quirk_is_off() {
    let api = Api::with(SandboxConfig::default().with_quirks(Quirks::documented())).await;
    let (status, body) = api.login_as("sandbox-api-key", "nope").await;
    assert_eq!(status, 401);
    assert_eq!(body["code"], 701, "numeric error code: {body}");

    let token = api.login().await;
    let (_, body) = api
        .add_contacts(&token, json!([{"prefix": "225", "phone": PAID}]))
        .await;
    assert!(body["data"][0].is_object(), "flat contact data: {body}");
    let (_, body) = api
        .add_contacts(&token, json!([{"prefix": "225", "phone": PAID}]))
        .await;
    assert_eq!(body["data"][0]["code"], 726);

    let (_, body) = api.send(&token, json!([item(PAID, 500, "p")])).await;
    assert!(body["data"][0].is_object(), "flat send data: {body}");
    assert_eq!(body["data"][0]["code"], 0);

    let (_, body) = api.status(&token, "client_transaction_id", "p").await;
    assert_eq!(body["data"][0]["amount"], 500, "numeric amount: {body}");

    let (_, body) = api.balance(&token).await;
    assert!(body["data"].get("countryBalance").is_none(), "{body}");
    assert_eq!(body["data"]["available"], 9_999_500);
    assert_eq!(body["data"]["inUsing"], 500);
}

#[tokio::test]
async fn each_quirk_switches_alone() {
    let only = |f: fn(&mut Quirks)| {
        let mut q = Quirks::default();
        f(&mut q);
        SandboxConfig::default().with_quirks(q)
    };
    let api = Api::with(only(|q| q.string_error_codes = false)).await;
    assert_eq!(api.login_as("x", "y").await.1["code"], 701);
    let token = api.login().await;
    let (_, body) = api
        .add_contacts(&token, json!([{"prefix": "225", "phone": PAID}]))
        .await;
    assert!(body["data"][0].is_array(), "still nested: {body}");

    let api = Api::with(only(|q| q.nested_list_data = false)).await;
    assert_eq!(api.login_as("x", "y").await.1["code"], "701");
    let token = api.login().await;
    let (_, body) = api
        .add_contacts(&token, json!([{"prefix": "225", "phone": PAID}]))
        .await;
    assert!(body["data"][0].is_object(), "{body}");

    let api = Api::with(only(|q| q.string_status_amounts = false)).await;
    let (token, _) = api.pay(PAID, 500, "p").await;
    assert_eq!(
        api.status(&token, "client_transaction_id", "p").await.1["data"][0]["amount"],
        500
    );

    let api = Api::with(only(|q| q.country_balance = false)).await;
    let token = api.login().await;
    assert!(api.balance(&token).await.1["data"]
        .get("countryBalance")
        .is_none());
}
