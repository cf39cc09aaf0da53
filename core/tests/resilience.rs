//! Tokens, retries and the wire format, against a scripted server on 127.0.0.1.

mod support;

use std::time::Duration;

use cinetpay_transfer::{Client, Contact, ErrorKind, RetryPolicy};
use support::{ScriptedServer, BALANCE_OK};

const API_KEY: &str = "key-SENTINEL-4f1c";
const PASSWORD: &str = "pass-SENTINEL-9a2e";

fn client(base_url: &str) -> Client {
    Client::builder()
        .credentials(API_KEY, PASSWORD)
        .base_url(base_url)
        .retry(RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
        })
        .build()
        .unwrap()
}

fn contact() -> Contact {
    Contact {
        prefix: "225".into(),
        phone: "0701020304".into(),
        name: "Awa".into(),
        surname: "Kone".into(),
        email: "awa@example.com".into(),
    }
}

#[tokio::test]
async fn a_hundred_concurrent_calls_without_a_token_log_in_once() {
    let server = ScriptedServer::default();
    let client = client(&server.start().await);
    let calls = (0..100).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.balance().await })
    });
    for call in futures::future::join_all(calls).await {
        assert_eq!(call.unwrap().unwrap().available, 1000);
    }
    assert_eq!(server.logins(), 1);
    assert_eq!(server.seen("/v1/transfer/check/balance").len(), 100);
}

#[tokio::test]
async fn a_rejected_token_is_renewed_and_the_call_replayed_once() {
    for code in ["705", "706", "707"] {
        let server = ScriptedServer::default();
        let client = client(&server.start().await);
        client.balance().await.unwrap();
        let rejected = format!(r#"{{"code":"{code}","message":"EXPIRED_TOKEN","data":[]}}"#);
        server.queue("/v1/transfer/check/balance", 401, &rejected);
        assert_eq!(client.balance().await.unwrap().amount, 1000, "after {code}");
        assert_eq!(server.logins(), 2, "after {code}");
        let tokens: Vec<String> = server
            .seen("/v1/transfer/check/balance")
            .iter()
            .map(|s| {
                s.query
                    .split('&')
                    .find(|p| p.starts_with("token="))
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(tokens[1], tokens[0], "the second call used the cached token");
        assert_ne!(tokens[2], tokens[1], "the replay used a fresh token");
    }
}

#[tokio::test]
async fn a_token_still_rejected_after_a_fresh_login_is_an_authentication_error() {
    let server = ScriptedServer::default();
    let client = client(&server.start().await);
    for _ in 0..2 {
        server.queue(
            "/v1/transfer/check/balance",
            401,
            r#"{"code":"706","message":"INVALID_TOKEN","data":[]}"#,
        );
    }
    let err = client.balance().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert_eq!(err.code(), Some(706));
    assert_eq!(
        server.seen("/v1/transfer/check/balance").len(),
        2,
        "replayed once, not more"
    );
}

#[tokio::test]
async fn an_idempotent_post_fails_twice_then_succeeds_with_the_same_body_each_time() {
    let server = ScriptedServer::default();
    let client = client(&server.start().await);
    server.queue(
        "/v1/transfer/contact",
        503,
        "<html><body>Service Unavailable</body></html>",
    );
    server.queue(
        "/v1/transfer/contact",
        502,
        "<html><body>Bad Gateway</body></html>",
    );
    server.queue(
        "/v1/transfer/contact",
        200,
        r#"{"code":0,"message":"OPERATION_SUCCES","data":[[{"prefix":"225","phone":"0701020304","code":0,"status":"success","lot":"7"}]]}"#,
    );
    let results = client.add_contacts(&[contact()]).await.unwrap();
    assert!(results[0].added);
    let seen = server.seen("/v1/transfer/contact");
    assert_eq!(seen.len(), 3);
    assert!(
        seen.iter().all(|s| s.body == seen[0].body),
        "identical bodies: {seen:?}"
    );
}

#[tokio::test]
async fn reads_give_up_after_the_retry_budget_with_the_http_status() {
    let server = ScriptedServer::default();
    let client = client(&server.start().await);
    for _ in 0..4 {
        server.queue("/v1/transfer/check/balance", 502, "<html>Bad Gateway</html>");
    }
    server.queue("/v1/transfer/check/balance", 200, BALANCE_OK);
    let err = client.balance().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Service);
    assert_eq!(err.http_status(), Some(502));
    assert_eq!(server.seen("/v1/transfer/check/balance").len(), 4);
}

#[tokio::test]
async fn the_wire_format_is_the_real_one() {
    let server = ScriptedServer::default();
    let client = client(&server.start().await);
    client.add_contacts(&[contact()]).await.unwrap();

    let login = &server.seen("/v1/auth/login")[0];
    assert_eq!(login.method, "POST");
    assert_eq!(login.query, "lang=en");
    assert_eq!(login.headers["content-type"], "application/x-www-form-urlencoded");
    assert_eq!(login.body, format!("apikey={API_KEY}&password={PASSWORD}"));

    let add = &server.seen("/v1/transfer/contact")[0];
    assert!(
        add.query.starts_with("token=") && add.query.contains("lang=en"),
        "{}",
        add.query
    );
    assert!(!add.body.contains("token"), "the token never goes in the body");
    let form: Vec<(String, String)> = serde_urlencoded::from_str(&add.body).unwrap();
    assert_eq!(form.len(), 1);
    assert_eq!(form[0].0, "data");
    let data: serde_json::Value = serde_json::from_str(&form[0].1).unwrap();
    assert_eq!(data[0]["phone"], "0701020304");
    assert_eq!(data[0]["prefix"], "225");
    for request in server
        .seen("/v1/auth/login")
        .iter()
        .chain(&server.seen("/v1/transfer/contact"))
    {
        assert!(!request.headers.contains_key("expect"), "no Expect: 100-continue");
        let agent = request.headers["user-agent"].to_str().unwrap();
        assert!(agent.starts_with("cinetpay-transfer-rust/"), "{agent}");
    }
}

#[tokio::test]
async fn wrong_credentials_are_an_authentication_error_without_the_secrets() {
    let server = ScriptedServer::default();
    let client = client(&server.start().await);
    server.queue(
        "/v1/auth/login",
        401,
        r#"{"code":"701","message":"INVALID_CREDENTIALS","description":"bad","data":[]}"#,
    );
    let err = client.balance().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert_eq!(err.code(), Some(701));
    assert_eq!(err.http_status(), Some(401));
    let shown = format!("{err} {err:?} {client:?}");
    assert!(!shown.contains("SENTINEL"), "{shown}");
}
