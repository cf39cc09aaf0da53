//! The admin HTTP API under /_sandbox, driven the way Python, Node and Kotlin runners drive it.

mod common;

use common::{item, items, read, Api, PAID, REJECTED};
use serde_json::{json, Value};

impl Api {
    async fn admin(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.sandbox.admin_url()));
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        read(request.send().await.unwrap()).await
    }

    async fn admin_post(&self, path: &str, body: Value) -> (u16, Value) {
        self.admin(reqwest::Method::POST, path, Some(body)).await
    }

    async fn admin_get(&self, path: &str) -> (u16, Value) {
        self.admin(reqwest::Method::GET, path, None).await
    }
}

#[tokio::test]
async fn urls_follow_the_production_layout() {
    let api = Api::start().await;
    let base = api.sandbox.base_url();
    assert!(
        base.starts_with("http://127.0.0.1:") && base.ends_with("/v1"),
        "{base}"
    );
    assert_eq!(api.sandbox.admin_url(), base.replace("/v1", "/_sandbox"));
}

#[tokio::test]
async fn merchants_can_be_created_listed_and_funded() {
    let api = Api::start().await;
    let (status, body) = api
        .admin_post(
            "/merchants",
            json!({"api_key": "shop-2", "password": "pw", "whitelisted": false, "balances": {"SN": 5000}}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        api.admin_post("/merchants", json!({"api_key": "shop-2", "password": "x"}))
            .await
            .0,
        409
    );
    assert_eq!(
        api.admin_post(
            "/merchants",
            json!({"api_key": "shop-3", "password": "x", "balances": {"FR": 1}})
        )
        .await
        .0,
        400
    );
    assert_eq!(
        api.admin_post("/merchants", json!({"password": "x"})).await.0,
        400
    );

    let (status, body) = api
        .admin_post(
            "/balance",
            json!({"api_key": "shop-2", "country": "CI", "available": 700}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        api.admin_post("/balance", json!({"country": "SN", "available": 1}))
            .await
            .0,
        200,
        "default merchant"
    );
    assert_eq!(
        api.admin_post(
            "/balance",
            json!({"api_key": "nobody", "country": "CI", "available": 1})
        )
        .await
        .0,
        404
    );
    assert_eq!(
        api.admin_post("/balance", json!({"country": "XX", "available": 1}))
            .await
            .0,
        400
    );

    let (_, list) = api.admin_get("/merchants").await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["balances"]["SN"]["available"], 1);
    assert_eq!(list[1]["api_key"], "shop-2");
    assert_eq!(list[1]["whitelisted"], false);
    assert_eq!(
        list[1]["balances"],
        json!({"CI": {"amount": 700, "inUsing": 0, "available": 700}, "SN": {"amount": 5000, "inUsing": 0, "available": 5000}})
    );
    assert!(list[1].get("password").is_none());

    let (status, body) = api.login_as("shop-2", "pw").await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn clock_confirm_ledger_and_notifications_drive_a_payout() {
    let api = Api::start().await;
    api.admin_post(
        "/merchants",
        json!({"api_key": "slow", "password": "pw", "whitelisted": false}),
    )
    .await;
    let (_, body) = api.login_as("slow", "pw").await;
    let token = body["data"]["token"].as_str().unwrap().to_string();
    api.add_contact(&token, REJECTED).await;
    let mut it = item(REJECTED, 500, "order-1");
    it["notify_url"] = json!("http://merchant.example.com/n");
    let (_, body) = api.send(&token, json!([it])).await;
    let tid = items(&body)[0]["transaction_id"].as_str().unwrap().to_string();

    let (status, body) = api.admin_post("/clock/advance", json!({"seconds": 5})).await;
    assert_eq!(status, 200);
    assert_eq!(body["steps"], 1);
    let (_, ledger) = api.admin_get("/ledger").await;
    assert_eq!(ledger[0]["treatment_status"], "NOS");
    assert_eq!(ledger[0]["sending_status"], "PENDING");
    assert_eq!(ledger[0]["merchant"], "slow");
    assert_eq!(ledger[0]["transaction_id"], tid.as_str());
    assert_eq!(ledger[0]["accepted_count"], 1);
    assert_eq!(ledger[0]["send_attempts"], 1);

    assert_eq!(
        api.admin_post("/confirm", json!({"api_key": "slow", "transaction_id": "nope"}))
            .await
            .0,
        404
    );
    let (_, body) = api.admin_post("/confirm", json!({"api_key": "slow"})).await;
    assert_eq!(body["confirmed"], 1);
    api.admin_post("/clock/advance", json!({"seconds": 10.0})).await;
    let (_, ledger) = api.admin_get("/ledger").await;
    assert_eq!(ledger[0]["treatment_status"], "REJ");

    let (status, log) = api.admin_get("/notifications?wait_for=1&timeout_ms=5000").await;
    assert_eq!(status, 200, "{log}");
    assert_eq!(log[0]["outcome"], "skipped");
    assert_eq!(log[0]["transaction_id"], tid.as_str());
    assert_eq!(log[0]["fields"]["treatment_status"], "REJ");
    let (status, _) = api.admin_get("/notifications?wait_for=2&timeout_ms=50").await;
    assert_eq!(status, 504);
    assert_eq!(
        api.admin_get("/notifications").await.1.as_array().unwrap().len(),
        1
    );
}

#[tokio::test]
async fn confirm_accepts_an_empty_or_null_body_for_the_default_merchant() {
    let api = Api::start().await;
    let response = api
        .http
        .post(format!("{}/confirm", api.sandbox.admin_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(read(response).await, (200, json!({"confirmed": 0})));
    assert_eq!(
        api.admin_post("/confirm", Value::Null).await,
        (200, json!({"confirmed": 0}))
    );
    let (status, body) = api.admin_post("/confirm", json!({"api_key": "nobody"})).await;
    assert_eq!(status, 404);
    assert!(body["error"].as_str().unwrap().contains("nobody"));
}

#[tokio::test]
async fn faults_can_be_added_listed_and_cleared() {
    let api = Api::start().await;
    let (status, list) = api
        .admin_post(
            "/faults",
            json!({"endpoint": "send", "kind": "drop_after", "count": 2, "latency_ms": 10}),
        )
        .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(
        list,
        json!([{"endpoint": "send", "kind": "drop_after", "count": 2, "latency_ms": 10}])
    );
    api.admin_post(
        "/faults",
        json!({"endpoint": "login", "kind": "server_error", "status": 503}),
    )
    .await;
    let login = api.http.post(api.url("/auth/login")).send().await.unwrap();
    assert_eq!(login.status(), 503);
    assert_eq!(api.admin_get("/faults").await.1.as_array().unwrap().len(), 1);
    assert_eq!(
        api.admin_post("/faults", json!({"endpoint": "nope", "kind": "latency"}))
            .await
            .0,
        400
    );
    let (status, list) = api.admin(reqwest::Method::DELETE, "/faults", None).await;
    assert_eq!((status, list), (200, json!([])));
    assert!(api.sandbox.faults().is_empty());
}

#[tokio::test]
async fn tokens_expire_on_demand() {
    let api = Api::start().await;
    let token = api.login().await;
    let (_, body) = api.admin_post("/tokens/expire", json!({})).await;
    assert_eq!(body["expired"], 1);
    assert_eq!(api.balance(&token).await.1["code"], "705");
}

#[tokio::test]
async fn reset_returns_to_the_start_state() {
    let api = Api::start().await;
    let before = api.sandbox.now_ms();
    let (token, _) = api.pay(PAID, 500, "p").await;
    api.admin_post("/merchants", json!({"api_key": "x", "password": "y"}))
        .await;
    api.admin_post("/faults", json!({"endpoint": "send", "kind": "drop_before"}))
        .await;
    api.admin_post("/clock/advance", json!({"seconds": 100})).await;
    let (status, body) = api.admin_post("/reset", json!({})).await;
    assert_eq!((status, body), (200, json!({"ok": true})));
    assert!(api.admin_get("/ledger").await.1.as_array().unwrap().is_empty());
    assert!(api.admin_get("/faults").await.1.as_array().unwrap().is_empty());
    assert!(api
        .admin_get("/notifications")
        .await
        .1
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(api.admin_get("/merchants").await.1.as_array().unwrap().len(), 1);
    assert_eq!(api.sandbox.now_ms(), before);
    assert_eq!(api.balance(&token).await.1["code"], "706", "tokens are forgotten");
    let token = api.login().await;
    assert_eq!(
        api.balance(&token).await.1["data"]["countryBalance"]["CI"]["available"],
        1_000_000
    );
    // Contacts are forgotten too.
    let (_, body) = api.send(&token, json!([item(PAID, 500, "p")])).await;
    assert_eq!(items(&body)[0]["code"], 724);
}

#[tokio::test]
async fn shutdown_closes_the_port() {
    let api = Api::start().await;
    let url = api.url("/auth/login");
    let http = api.http.clone();
    api.sandbox.shutdown().await;
    assert!(http.post(url).send().await.is_err());
}
