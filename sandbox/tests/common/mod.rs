//! Helpers shared by the integration tests: a started sandbox plus a plain reqwest client that talks
//! to it the way real clients do (form bodies, `data` as a JSON string, token in the query).
#![allow(dead_code)] // each test file uses a different subset

use std::time::Duration;

use cinetpay_sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};

/// A notify_url nobody listens on (deliveries fail, which these tests ignore).
pub const NOWHERE: &str = "http://127.0.0.1:9/notify";
/// A CI number that is paid.
pub const PAID: &str = "0701020304";
/// A CI number that is rejected (ends in 000).
pub const REJECTED: &str = "0701020000";

pub struct Api {
    pub sandbox: Sandbox,
    pub http: reqwest::Client,
}

/// A fresh HTTP client that never reuses connections, so a dropped connection affects one request.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// (status, JSON body) of a response; panics when the body is not JSON.
pub async fn read(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text:?}"));
    (status, body)
}

/// A send item.
pub fn item(phone: &str, amount: u64, ctid: &str) -> Value {
    json!({
        "prefix": "225",
        "phone": phone,
        "amount": amount,
        "client_transaction_id": ctid,
        "notify_url": NOWHERE,
    })
}

/// The items of a contact or send answer (nested by default).
pub fn items(body: &Value) -> Vec<Value> {
    let data = body["data"].as_array().expect("data is an array");
    match data.first() {
        Some(Value::Array(inner)) => inner.clone(),
        _ => data.clone(),
    }
}

impl Api {
    pub async fn start() -> Api {
        Api::with(SandboxConfig::default()).await
    }

    pub async fn with(config: SandboxConfig) -> Api {
        Api {
            sandbox: Sandbox::start(config).await.unwrap(),
            http: client(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.base_url())
    }

    pub async fn post(&self, path: &str, query: &[(&str, &str)], form: &[(&str, &str)]) -> (u16, Value) {
        let r = self
            .http
            .post(self.url(path))
            .query(query)
            .form(form)
            .send()
            .await
            .unwrap();
        read(r).await
    }

    pub async fn get(&self, path: &str, query: &[(&str, &str)]) -> (u16, Value) {
        let r = self.http.get(self.url(path)).query(query).send().await.unwrap();
        read(r).await
    }

    pub async fn login_as(&self, api_key: &str, password: &str) -> (u16, Value) {
        self.post(
            "/auth/login",
            &[("lang", "en")],
            &[("apikey", api_key), ("password", password)],
        )
        .await
    }

    pub async fn login(&self) -> String {
        let (status, body) = self.login_as("sandbox-api-key", "sandbox-password").await;
        assert_eq!(status, 200, "{body}");
        body["data"]["token"].as_str().unwrap().to_string()
    }

    pub async fn balance(&self, token: &str) -> (u16, Value) {
        self.get("/transfer/check/balance", &[("token", token), ("lang", "en")])
            .await
    }

    pub async fn add_contacts(&self, token: &str, contacts: Value) -> (u16, Value) {
        let data = contacts.to_string();
        self.post(
            "/transfer/contact",
            &[("token", token), ("lang", "en")],
            &[("data", &data)],
        )
        .await
    }

    pub async fn add_contact(&self, token: &str, phone: &str) {
        let contact = json!([{ "prefix": "225", "phone": phone, "name": "Kone", "surname": "Awa", "email": "awa@example.com" }]);
        let (status, body) = self.add_contacts(token, contact).await;
        assert_eq!(status, 200, "{body}");
    }

    pub async fn send(&self, token: &str, items: Value) -> (u16, Value) {
        self.send_raw(token, &items.to_string()).await
    }

    pub async fn send_raw(&self, token: &str, data: &str) -> (u16, Value) {
        self.post(
            "/transfer/money/send/contact",
            &[("token", token), ("lang", "en")],
            &[("data", data)],
        )
        .await
    }

    pub async fn status(&self, token: &str, key: &str, value: &str) -> (u16, Value) {
        self.get(
            "/transfer/check/money",
            &[("token", token), ("lang", "en"), (key, value)],
        )
        .await
    }

    /// Logs in, adds `phone` as a contact and sends one payout; returns the token and the item.
    pub async fn pay(&self, phone: &str, amount: u64, ctid: &str) -> (String, Value) {
        let token = self.login().await;
        self.add_contact(&token, phone).await;
        let (status, body) = self.send(&token, json!([item(phone, amount, ctid)])).await;
        assert_eq!(status, 200, "{body}");
        let first = items(&body).remove(0);
        assert_eq!(first["code"], 0, "{body}");
        (token, first)
    }
}

/// Asserts an error answer: HTTP status, code (as the string quirk gives it) and message.
pub fn assert_error(answer: &(u16, Value), status: u16, code: &str, message: &str) {
    let (got_status, body) = answer;
    assert_eq!(*got_status, status, "{body}");
    assert_eq!(body["code"], json!(code), "{body}");
    assert_eq!(body["message"], message, "{body}");
    assert_eq!(body["data"], json!([]), "{body}");
    assert!(
        body["description"].as_str().is_some_and(|d| !d.is_empty()),
        "{body}"
    );
}
