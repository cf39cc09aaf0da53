//! Sending money: the accepted answer, per-item refusals (724, 805) and whole-request ones.

mod common;

use common::{assert_error, item, items, Api, NOWHERE, PAID};
use serde_json::{json, Value};

fn is_transaction_id(id: &str) -> bool {
    // EA180627.122753.M279245
    let b = id.as_bytes();
    id.len() == 23
        && id.starts_with("EA")
        && b[8] == b'.'
        && b[15] == b'.'
        && b[16] == b'M'
        && id[2..8]
            .bytes()
            .chain(id[9..15].bytes())
            .chain(id[17..].bytes())
            .all(|c| c.is_ascii_digit())
}

#[tokio::test]
async fn an_accepted_payout_answers_with_its_ids_and_new() {
    let api = Api::start().await;
    let token = api.login().await;
    api.add_contact(&token, PAID).await;
    let (status, body) = api
        .send(
            &token,
            json!([item(PAID, 500, "order-1"), item(PAID, 1000, "order-2")]),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["code"], 0);
    assert_eq!(body["message"], "OPERATION_SUCCES");
    assert!(body["data"][0].is_array(), "nested by default: {body}");
    let answers = items(&body);
    assert_eq!(answers.len(), 2);
    for (a, (ctid, amount)) in answers.iter().zip([("order-1", 500), ("order-2", 1000)]) {
        assert_eq!(a["code"], 0);
        assert_eq!(a["status"], "success");
        assert_eq!(a["treatment_status"], "NEW");
        assert_eq!(a["prefix"], "225");
        assert_eq!(a["phone"], PAID);
        assert_eq!(a["amount"], amount);
        assert_eq!(a["client_transaction_id"], ctid);
        assert!(is_transaction_id(a["transaction_id"].as_str().unwrap()), "{a}");
    }
    assert_ne!(answers[0]["transaction_id"], answers[1]["transaction_id"]);
    assert_eq!(answers[0]["lot"], answers[1]["lot"]);
    let (_, body) = api.send(&token, json!([item(PAID, 500, "order-3")])).await;
    assert_ne!(items(&body)[0]["lot"], answers[0]["lot"], "one lot per request");
    assert_eq!(api.sandbox.ledger().len(), 3);
}

#[tokio::test]
async fn string_amounts_numeric_phones_and_a_known_payment_method_are_accepted() {
    let api = Api::start().await;
    let token = api.login().await;
    api.add_contact(&token, "0501020304").await;
    let data = json!([{"prefix": 225, "phone": "0501020304", "amount": "1500", "client_transaction_id": 42,
        "notify_url": NOWHERE, "payment_method": "WAVECI"}]);
    let (status, body) = api.send(&token, data).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(items(&body)[0]["code"], 0);
    let ledger = api.sandbox.ledger();
    assert_eq!(ledger[0].operator, "WAVECI");
    assert_eq!(ledger[0].amount, 1500);
    assert_eq!(ledger[0].client_transaction_id, "42");
}

#[tokio::test]
async fn the_operator_is_detected_from_the_number() {
    let api = Api::start().await;
    let token = api.login().await;
    api.add_contact(&token, "0501020304").await;
    api.send(&token, json!([item("0501020304", 500, "x")])).await;
    assert_eq!(api.sandbox.ledger()[0].operator, "MOMO");
}

#[tokio::test]
async fn a_phone_that_is_no_contact_is_a_per_item_724() {
    let api = Api::start().await;
    let token = api.login().await;
    api.add_contact(&token, PAID).await;
    let (status, body) = api
        .send(
            &token,
            json!([item("0709080706", 500, "a"), item(PAID, 500, "b")]),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["code"], 0);
    let answers = items(&body);
    assert_eq!(answers[0]["code"], 724);
    assert_eq!(answers[0]["status"], "ERROR_PHONE_NOT_MY_CONTACT");
    assert!(answers[0].get("transaction_id").is_none());
    assert_eq!(answers[1]["code"], 0);
    assert_eq!(api.sandbox.ledger().len(), 1);
}

#[tokio::test]
async fn a_reused_client_transaction_id_is_a_per_item_805_and_is_counted() {
    let api = Api::start().await;
    let (token, _) = api.pay(PAID, 500, "order-1").await;
    let (status, body) = api.send(&token, json!([item(PAID, 500, "order-1")])).await;
    assert_eq!(status, 200);
    assert_eq!(items(&body)[0]["code"], 805);
    assert_eq!(items(&body)[0]["status"], "CLIENT_TRANSACTION_ID_EXIST");
    // Twice in one request: the second is 805.
    let (_, body) = api
        .send(
            &token,
            json!([item(PAID, 500, "order-2"), item(PAID, 500, "order-2")]),
        )
        .await;
    let codes: Vec<Value> = items(&body).iter().map(|a| a["code"].clone()).collect();
    assert_eq!(codes, vec![json!(0), json!(805)]);
    let ledger = api.sandbox.ledger();
    assert_eq!(ledger.len(), 2);
    assert!(ledger.iter().all(|e| e.accepted_count == 1));
    assert_eq!(ledger[0].send_attempts, 2);
    assert_eq!(ledger[1].send_attempts, 2);
    // Only the accepted ones were debited.
    assert_eq!(
        api.sandbox.balances("sandbox-api-key").unwrap()["CI"].available,
        1_000_000 - 1000
    );
}

async fn refused(api: &Api, token: &str, data: Value) -> (u16, Value) {
    let answer = api.send(token, data).await;
    assert!(api.sandbox.ledger().is_empty(), "nothing recorded: {}", answer.1);
    answer
}

#[tokio::test]
async fn invalid_items_refuse_the_whole_request() {
    let api = Api::start().await;
    let token = api.login().await;
    api.add_contact(&token, PAID).await;
    let ok = item(PAID, 500, "ok");
    let with = |field: &str, value: Value| {
        let mut bad = item(PAID, 500, "bad");
        bad[field] = value;
        json!([ok.clone(), bad])
    };
    let cases = [
        (with("amount", json!(500.5)), 400, "801", "INVALID_AMOUNT"),
        (with("amount", json!("5OO")), 400, "801", "INVALID_AMOUNT"),
        (with("amount", json!(-500)), 400, "801", "INVALID_AMOUNT"),
        (with("amount", json!(503)), 400, "801", "INVALID_AMOUNT"),
        (with("amount", json!(195)), 400, "719", "AMOUNT_TOO_SMALL"),
        (with("amount", json!(1_500_005)), 400, "720", "AMOUNT_TOO_LARGE"),
        (with("phone", json!("07010203ab")), 400, "802", "INVALID_PHONE"),
        (with("phone", json!("070102030")), 400, "802", "INVALID_PHONE"),
        (with("prefix", json!("33")), 400, "804", "OPERATOR_UNAVAILABLE"),
        (
            with("payment_method", json!("PAYPAL")),
            400,
            "721",
            "OPERATOR_NOT_AVAILABLE",
        ),
        (
            with("payment_method", json!("OMSN")),
            400,
            "721",
            "OPERATOR_NOT_AVAILABLE",
        ),
        (with("notify_url", json!("")), 400, "725", "MISSING_NOTIFY_URL"),
        (
            with("notify_url", json!("not a url")),
            400,
            "725",
            "MISSING_NOTIFY_URL",
        ),
        (
            with("client_transaction_id", json!(null)),
            400,
            "716",
            "DATA_NOT_VALID",
        ),
        (with("amount", json!(null)), 400, "801", "INVALID_AMOUNT"),
        (json!({"prefix": "225"}), 400, "716", "DATA_NOT_VALID"),
        (json!([]), 400, "716", "DATA_NOT_VALID"),
        (json!(["x"]), 400, "716", "DATA_NOT_VALID"),
    ];
    for (data, status, code, message) in cases {
        let answer = refused(&api, &token, data.clone()).await;
        assert_error(&answer, status, code, message);
        if data.is_array() && data.as_array().unwrap().len() == 2 {
            let description = answer.1["description"].as_str().unwrap();
            assert!(description.contains("item 2"), "{description}");
        }
    }
    let mut no_url = item(PAID, 500, "x");
    no_url.as_object_mut().unwrap().remove("notify_url");
    assert_error(
        &refused(&api, &token, json!([no_url])).await,
        400,
        "725",
        "MISSING_NOTIFY_URL",
    );
    let mut no_amount = item(PAID, 500, "x");
    no_amount.as_object_mut().unwrap().remove("amount");
    assert_error(
        &refused(&api, &token, json!([no_amount])).await,
        400,
        "716",
        "DATA_NOT_VALID",
    );
    assert_error(
        &api.send_raw(&token, "{not json").await,
        400,
        "718",
        "JSON_PARSE_ERROR",
    );
    let no_data = api
        .post("/transfer/money/send/contact", &[("token", &token)], &[])
        .await;
    assert_error(&no_data, 400, "704", "INVALID_PARAM");
    assert!(api.sandbox.ledger().is_empty());
}

#[tokio::test]
async fn omcm_is_refused_with_804_and_country_minimums_apply() {
    let api = Api::start().await;
    let token = api.login().await;
    let cm = |amount: u64, method: Option<&str>| {
        let mut it = json!({"prefix": "237", "phone": "650000001", "amount": amount,
            "client_transaction_id": "cm", "notify_url": NOWHERE});
        if let Some(m) = method {
            it["payment_method"] = json!(m);
        }
        json!([it])
    };
    assert_error(
        &refused(&api, &token, cm(1000, Some("OMCM"))).await,
        400,
        "804",
        "OPERATOR_UNAVAILABLE",
    );
    assert_error(
        &refused(&api, &token, cm(400, None)).await,
        400,
        "719",
        "AMOUNT_TOO_SMALL",
    );
    let tg = json!([{"prefix": "228", "phone": "90000001", "amount": 150, "client_transaction_id": "tg", "notify_url": NOWHERE}]);
    let (status, body) = api.send(&token, tg).await;
    assert_eq!(status, 200);
    assert_eq!(
        items(&body)[0]["code"],
        724,
        "150 is fine in TG; only the contact is missing"
    );
}

#[tokio::test]
async fn insufficient_balance_refuses_the_whole_batch_with_602() {
    let api = Api::start().await;
    let token = api.login().await;
    api.add_contact(&token, PAID).await;
    api.sandbox.set_balance("sandbox-api-key", "CI", 1000).unwrap();
    let answer = refused(&api, &token, json!([item(PAID, 500, "a"), item(PAID, 600, "b")])).await;
    assert_error(&answer, 402, "602", "INSUFFICIENT_BALANCE");
    let balances = api.sandbox.balances("sandbox-api-key").unwrap();
    assert_eq!(balances["CI"].available, 1000);
    assert_eq!(balances["CI"].in_using, 0);
    // The balance is per country: Senegal's money does not help Côte d'Ivoire.
    let (status, _) = api.send(&token, json!([item(PAID, 1000, "c")])).await;
    assert_eq!(status, 200);
    assert_eq!(
        api.sandbox.balances("sandbox-api-key").unwrap()["CI"].available,
        0
    );
}
