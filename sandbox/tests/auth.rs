//! Login and tokens: JWT shape, 701, 704, 705, 706, 417, 708, languages.

mod common;

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cinetpay_sandbox::SandboxConfig;
use common::{assert_error, Api};

#[tokio::test]
async fn login_gives_a_jwt_whose_exp_follows_the_configured_lifetime() {
    let api = Api::with(SandboxConfig::default().with_token_lifetime(Duration::from_secs(960))).await;
    let (status, body) = api.login_as("sandbox-api-key", "sandbox-password").await;
    assert_eq!(status, 200);
    assert_eq!(body["code"], 0);
    assert_eq!(body["message"], "OPERATION_SUCCES");
    let token = body["data"]["token"].as_str().unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let payload: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    let (iat, exp) = (payload["iat"].as_u64().unwrap(), payload["exp"].as_u64().unwrap());
    assert_eq!(exp - iat, 960);
    assert_eq!(iat, api.sandbox.now_ms() / 1000);
}

#[tokio::test]
async fn wrong_credentials_give_701_with_a_string_code() {
    let api = Api::start().await;
    let answer = api.login_as("sandbox-api-key", "wrong").await;
    assert_error(&answer, 401, "701", "INVALID_CREDENTIALS");
    assert_eq!(answer.1["description"], "Invalid credentials");
    let answer = api.login_as("nobody", "sandbox-password").await;
    assert_error(&answer, 401, "701", "INVALID_CREDENTIALS");
}

#[tokio::test]
async fn description_is_french_by_default() {
    let api = Api::start().await;
    let answer = api
        .post("/auth/login", &[], &[("apikey", "x"), ("password", "y")])
        .await;
    assert_eq!(answer.1["description"], "Identifiants invalides");
    let answer = api
        .post(
            "/auth/login",
            &[("lang", "fr")],
            &[("apikey", "x"), ("password", "y")],
        )
        .await;
    assert_eq!(answer.1["description"], "Identifiants invalides");
}

#[tokio::test]
async fn missing_login_fields_give_704() {
    let api = Api::start().await;
    let answer = api
        .post("/auth/login", &[], &[("apikey", "sandbox-api-key")])
        .await;
    assert_error(&answer, 400, "704", "INVALID_PARAM");
}

#[tokio::test]
async fn a_token_in_the_body_gives_706() {
    let api = Api::start().await;
    let token = api.login().await;
    let answer = api
        .post("/transfer/check/balance", &[("lang", "en")], &[("token", &token)])
        .await;
    assert_error(&answer, 401, "706", "INVALID_TOKEN");
    // Even with the token in the query as well.
    let answer = api
        .post(
            "/transfer/check/balance",
            &[("token", &token)],
            &[("token", &token)],
        )
        .await;
    assert_error(&answer, 401, "706", "INVALID_TOKEN");
}

#[tokio::test]
async fn missing_or_garbage_tokens_give_706() {
    let api = Api::start().await;
    assert_error(
        &api.get("/transfer/check/balance", &[]).await,
        401,
        "706",
        "INVALID_TOKEN",
    );
    assert_error(&api.balance("not.a.token").await, 401, "706", "INVALID_TOKEN");
    assert_error(&api.balance("garbage").await, 401, "706", "INVALID_TOKEN");
}

#[tokio::test]
async fn a_token_expires_on_the_sandbox_clock() {
    let api = Api::start().await;
    let token = api.login().await;
    api.sandbox.advance_clock(Duration::from_secs(299));
    assert_eq!(api.balance(&token).await.0, 200);
    api.sandbox.advance_clock(Duration::from_secs(1));
    assert_error(&api.balance(&token).await, 401, "705", "EXPIRED_TOKEN");
    let fresh = api.login().await;
    assert_eq!(api.balance(&fresh).await.0, 200);
}

#[tokio::test]
async fn expiring_all_tokens_gives_705_mid_run() {
    let api = Api::start().await;
    let token = api.login().await;
    assert_eq!(api.sandbox.expire_tokens(), 1);
    assert_error(&api.balance(&token).await, 401, "705", "EXPIRED_TOKEN");
}

#[tokio::test]
async fn expect_100_continue_gives_417() {
    let api = Api::start().await;
    let response = api
        .http
        .post(api.url("/auth/login"))
        .header("Expect", "100-continue")
        .form(&[("apikey", "sandbox-api-key"), ("password", "sandbox-password")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 417);
    assert!(api.sandbox.ledger().is_empty());
}

#[tokio::test]
async fn a_wrong_method_gives_708() {
    let api = Api::start().await;
    let answer = api.get("/auth/login", &[("lang", "en")]).await;
    assert_error(&answer, 405, "708", "NOT_ALLOWED");
}
