//! Pages that are not the API's answers, quoted in errors without the secrets of the request.
//!
//! Its own test binary: `tests/secrets.rs` captures the logs of its process, and a test running
//! beside it without a subscriber changed which of its events were recorded.

mod support;

use cinetpay_transfer::Client;
use support::ScriptedServer;

const API_KEY: &str = "key-SENTINEL-71d0";
const PASSWORD: &str = "pass-SENTINEL-c3b9";

/// A page that is not the API's answer is quoted in the error it gives (its first characters
/// tell a gateway from a proxy), but a page that echoes the request never shows the token of its
/// URL, and nothing is quoted of a login's answer: cut short, it may hold the start of a token.
#[tokio::test]
async fn pages_that_echo_the_request_or_hold_a_token_are_not_quoted_with_it() {
    let server = ScriptedServer::default();
    let client = Client::builder()
        .credentials(API_KEY, PASSWORD)
        .base_url(server.start().await)
        .build()
        .unwrap();
    client.balance().await.unwrap();
    let token = server.seen("/v1/transfer/check/balance")[0]
        .query
        .split('&')
        .find_map(|p| p.strip_prefix("token="))
        .unwrap()
        .to_owned();
    // A framework's 404 page, as Express writes it.
    let echo = format!("Cannot GET /v1/transfer/check/balance?token={token}&lang=fr");
    server.queue("/v1/transfer/check/balance", 404, &echo);
    let err = client.balance().await.unwrap_err();
    let shown = format!("{err}\n{err:?}");
    assert!(
        shown.contains("Cannot GET /v1/transfer/check/balance?token=[secret]"),
        "{shown}"
    );
    assert!(!shown.contains(&token[..12]), "the token leaked:\n{shown}");

    // A login answer cut short after the start of its token, and a proxy's page echoing the
    // login's form: neither is quoted.
    let fresh = support::jwt(960, 99);
    let cut = format!(r#"{{"code":0,"message":"OPERATION_SUCCES","data":{{"token":"{fresh}"#);
    let form = format!("Bad Gateway: apikey={API_KEY}&password={PASSWORD}");
    for (status, page) in [(200, cut.as_str()), (400, form.as_str())] {
        let server = ScriptedServer::default();
        server.queue("/v1/auth/login", status, page);
        let client = Client::builder()
            .credentials(API_KEY, PASSWORD)
            .base_url(server.start().await)
            .build()
            .unwrap();
        let err = client.balance().await.unwrap_err();
        let shown = format!("{err}\n{err:?}");
        assert!(shown.contains(&format!("HTTP {status}")), "{shown}");
        for secret in [&fresh[..12], API_KEY, PASSWORD] {
            assert!(!shown.contains(secret), "{secret} leaked:\n{shown}");
        }
    }
}
