//! Balance, contacts and transfer status: success shapes and their errors.

mod common;

use common::{assert_error, item, items, Api, PAID};
use serde_json::json;

#[tokio::test]
async fn balance_has_totals_and_a_per_country_breakdown() {
    let api = Api::start().await;
    let token = api.login().await;
    let (status, body) = api.balance(&token).await;
    assert_eq!(status, 200);
    assert_eq!(body["code"], 0);
    let data = &body["data"];
    assert_eq!(data["available"], 10_000_000);
    assert_eq!(data["inUsing"], 0);
    assert_eq!(data["amount"], 10_000_000);
    assert_eq!(
        data["countryBalance"]["CI"],
        json!({"amount": 1_000_000, "inUsing": 0, "available": 1_000_000})
    );
    assert_eq!(data["countryBalance"].as_object().unwrap().len(), 10);
}

#[tokio::test]
async fn adding_contacts_answers_per_item_and_726_for_a_known_one() {
    let api = Api::start().await;
    let token = api.login().await;
    let contacts = json!([
        {"prefix": "225", "phone": PAID, "name": "Kone", "surname": "Awa", "email": "a@example.com"},
        {"prefix": "221", "phone": "771234567", "name": "Diop", "surname": "Modou", "email": "m@example.com"},
    ]);
    let (status, body) = api.add_contacts(&token, contacts.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(body["code"], 0);
    assert!(body["data"][0].is_array(), "nested by default: {body}");
    let first = items(&body);
    assert_eq!(first.len(), 2);
    assert_eq!(first[0]["code"], 0);
    assert_eq!(first[0]["status"], "success");
    assert_eq!(first[0]["name"], "Kone");
    assert!(first[0]["lot"].is_string());

    let (status, body) = api.add_contacts(&token, contacts).await;
    assert_eq!(status, 200);
    assert_eq!(body["code"], 0);
    for it in items(&body) {
        assert_eq!(it["code"], 726);
        assert_eq!(it["status"], "ERROR_PHONE_ALREADY_MY_CONTACT");
    }
}

#[tokio::test]
async fn contact_errors_refuse_the_whole_request() {
    let api = Api::start().await;
    let token = api.login().await;
    let bad_phone = json!([{"prefix": "225", "phone": PAID}, {"prefix": "225", "phone": "07-01-02"}]);
    assert_error(
        &api.add_contacts(&token, bad_phone).await,
        400,
        "802",
        "INVALID_PHONE",
    );
    let bad_prefix = json!([{"prefix": "33", "phone": "612345678"}]);
    assert_error(
        &api.add_contacts(&token, bad_prefix).await,
        400,
        "804",
        "OPERATOR_UNAVAILABLE",
    );
    let no_phone = json!([{"prefix": "225"}]);
    assert_error(
        &api.add_contacts(&token, no_phone).await,
        400,
        "716",
        "DATA_NOT_VALID",
    );
    let not_json = api
        .post("/transfer/contact", &[("token", &token)], &[("data", "[{")])
        .await;
    assert_error(&not_json, 400, "718", "JSON_PARSE_ERROR");
    let no_data = api
        .post("/transfer/contact", &[("token", &token)], &[("other", "1")])
        .await;
    assert_error(&no_data, 400, "704", "INVALID_PARAM");
    // Nothing was added: the first item of the refused request is still unknown.
    let (_, body) = api
        .add_contacts(&token, json!([{"prefix": "225", "phone": PAID}]))
        .await;
    assert_eq!(items(&body)[0]["code"], 0);
}

#[tokio::test]
async fn status_by_each_id_gives_a_flat_list_with_string_amounts() {
    let api = Api::start().await;
    let (token, sent) = api.pay(PAID, 500, "order-1").await;
    let transaction_id = sent["transaction_id"].as_str().unwrap();
    let lot = sent["lot"].as_str().unwrap();
    for (key, value) in [
        ("transaction_id", transaction_id),
        ("client_transaction_id", "order-1"),
        ("lot", lot),
    ] {
        let (status, body) = api.status(&token, key, value).await;
        assert_eq!(status, 200, "{body}");
        let data = body["data"].as_array().unwrap();
        assert_eq!(data.len(), 1);
        let s = &data[0];
        assert_eq!(s["transaction_id"], transaction_id);
        assert_eq!(s["client_transaction_id"], "order-1");
        assert_eq!(s["lot"], lot);
        assert_eq!(s["amount"], "500");
        assert_eq!(s["receiver"], PAID);
        assert_eq!(s["receiver_e164"], format!("+225{PAID}"));
        assert_eq!(s["operator"], "OM");
        assert_eq!(s["sending_status"], "CONFIRM");
        assert_eq!(s["transfer_valid"], "N");
        assert_eq!(s["treatment_status"], "NEW");
        assert_eq!(s["validated_at"], json!(null));
        assert!(s.as_object().unwrap().contains_key("operator_transaction_id"));
        assert!(s.as_object().unwrap().contains_key("comment"));
    }
}

#[tokio::test]
async fn status_by_lot_returns_the_whole_batch() {
    let api = Api::start().await;
    let token = api.login().await;
    api.add_contact(&token, PAID).await;
    let (_, body) = api
        .send(&token, json!([item(PAID, 500, "a"), item(PAID, 700, "b")]))
        .await;
    let lot = items(&body)[0]["lot"].as_str().unwrap().to_string();
    assert_eq!(items(&body)[1]["lot"], lot.as_str());
    let (status, body) = api.status(&token, "lot", &lot).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn status_needs_exactly_one_id_and_gives_723_for_unknown_ones() {
    let api = Api::start().await;
    let (token, _) = api.pay(PAID, 500, "order-1").await;
    let none = api.get("/transfer/check/money", &[("token", &token)]).await;
    assert_error(&none, 400, "704", "INVALID_PARAM");
    let two = api
        .get(
            "/transfer/check/money",
            &[
                ("token", &token),
                ("lot", "1"),
                ("client_transaction_id", "order-1"),
            ],
        )
        .await;
    assert_error(&two, 400, "704", "INVALID_PARAM");
    assert_error(
        &api.status(&token, "transaction_id", "EA000000.000000.M000000")
            .await,
        404,
        "723",
        "NOT_FOUND",
    );
    assert_error(
        &api.status(&token, "client_transaction_id", "nope").await,
        404,
        "723",
        "NOT_FOUND",
    );
}

#[tokio::test]
async fn a_merchant_cannot_see_another_merchants_payouts() {
    let api = Api::with(
        cinetpay_sandbox::SandboxConfig::default()
            .with_merchant(cinetpay_sandbox::MerchantConfig::new("other", "pw")),
    )
    .await;
    let (_, sent) = api.pay(PAID, 500, "order-1").await;
    let (_, body) = api.login_as("other", "pw").await;
    let other = body["data"]["token"].as_str().unwrap();
    let tid = sent["transaction_id"].as_str().unwrap();
    assert_error(
        &api.status(other, "transaction_id", tid).await,
        404,
        "723",
        "NOT_FOUND",
    );
    assert_error(
        &api.status(other, "client_transaction_id", "order-1").await,
        404,
        "723",
        "NOT_FOUND",
    );
}
