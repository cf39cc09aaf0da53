//! Token rules that protect the merchant's account and the client's liveness: a refused login is
//! tried once (not by every waiting call: accounts get locked), a token provider that hangs does
//! not hang every call, an absurd `exp` does not crash, and a contact the service forgot is added
//! again.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use cinetpay_transfer::{Client, Config, ErrorKind, TokenProvider, Transfer};
use futures::future::BoxFuture;
use support::{jwt, ScriptedServer};

const LOGIN: &str = "/v1/auth/login";
const BALANCE: &str = "/v1/transfer/check/balance";
const REFUSED: &str = r#"{"code":"701","message":"INVALID_CREDENTIALS","data":[]}"#;

#[tokio::test]
async fn a_refused_login_is_tried_once_by_all_waiting_calls_and_not_again_at_once() {
    let server = ScriptedServer::default();
    let client = Client::builder()
        .credentials("key", "wrong-password")
        .base_url(server.start().await)
        .build()
        .unwrap();
    server.queue(LOGIN, 401, REFUSED);
    server.queue(LOGIN, 401, REFUSED);

    let calls = (0..20).map(|_| client.balance());
    for result in futures::future::join_all(calls).await {
        assert_eq!(result.unwrap_err().code(), Some(701));
    }
    assert_eq!(client.balance().await.unwrap_err().code(), Some(701));

    assert_eq!(server.seen(LOGIN).len(), 1, "one login for 21 calls");
    assert!(server.seen(BALANCE).is_empty());
}

#[tokio::test]
async fn a_refused_login_is_tried_again_after_the_pause() {
    let server = ScriptedServer::default();
    let client = Client::builder()
        .credentials("key", "password")
        .config(Config {
            base_url: server.start().await,
            login_retry_after: Duration::from_millis(50),
            ..Config::default()
        })
        .build()
        .unwrap();
    server.queue(LOGIN, 401, REFUSED);
    assert_eq!(
        client.balance().await.unwrap_err().kind(),
        ErrorKind::Authentication
    );
    tokio::time::sleep(Duration::from_millis(80)).await;
    client.balance().await.unwrap();
    assert_eq!(server.seen(LOGIN).len(), 2);
}

/// Hangs on its first call, answers on the next ones.
#[derive(Default)]
struct HangsOnce {
    calls: AtomicUsize,
}

impl TokenProvider for HangsOnce {
    fn fetch_token(&self) -> BoxFuture<'static, cinetpay_transfer::Result<String>> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            if n == 0 {
                futures::future::pending::<()>().await;
            }
            Ok(jwt(300, n))
        })
    }
}

#[tokio::test]
async fn a_hung_token_provider_times_out_and_does_not_block_later_calls() {
    let server = ScriptedServer::default();
    let provider = Arc::new(HangsOnce::default());
    let client = Client::builder()
        .token_provider(provider.clone())
        .config(Config {
            base_url: server.start().await,
            token_provider_timeout: Duration::from_millis(100),
            ..Config::default()
        })
        .build()
        .unwrap();
    // The hung call gives up after 100 ms; the read is retried, and the provider asked again.
    let balance = tokio::time::timeout(Duration::from_secs(10), client.balance()).await;
    balance.expect("the call did not hang").unwrap();
    assert_eq!(provider.calls.load(Ordering::SeqCst), 2);

    let once = Client::builder()
        .token_provider(Arc::new(HangsOnce::default()))
        .config(Config {
            base_url: client.config().base_url.clone(),
            token_provider_timeout: Duration::from_millis(100),
            retry: cinetpay_transfer::RetryPolicy {
                max_attempts: 1,
                ..Default::default()
            },
            ..Config::default()
        })
        .build()
        .unwrap();
    let err = once.balance().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert!(err.to_string().contains("token provider"), "{err}");
}

#[tokio::test]
async fn a_token_with_an_absurd_exp_is_used_without_overflow() {
    let server = ScriptedServer::default();
    let client = Client::builder()
        .credentials("key", "password")
        .base_url(server.start().await)
        .build()
        .unwrap();
    let enc = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    for claims in [
        r#"{"iat":0,"exp":9223372036854775807}"#,
        r#"{"exp":9223372036854775807}"#,
        r#"{"iat":-9223372036854775808,"exp":9223372036854775807}"#,
    ] {
        let token = format!("{}.{}.sig", enc.encode("{}"), enc.encode(claims));
        server.queue(
            LOGIN,
            200,
            &format!(r#"{{"code":0,"message":"OPERATION_SUCCES","data":{{"token":"{token}"}}}}"#),
        );
        let client = client.reconnected().unwrap();
        client.balance().await.unwrap();
    }
}

#[tokio::test]
async fn a_request_level_724_makes_pay_add_the_contact_again() {
    let server = ScriptedServer::default();
    let client = Client::builder()
        .credentials("key", "password")
        .base_url(server.start().await)
        .build()
        .unwrap();
    let payout = |id: &str| {
        Transfer::new("225", "0701020304", 500, "https://shop.example/notify").client_transaction_id(id)
    };
    server.queue(
        "/v1/transfer/money/send/contact",
        400,
        r#"{"code":"724","message":"ERROR_PHONE_NOT_MY_CONTACT","data":[]}"#,
    );
    let err = client.pay(&[payout("p-1")]).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotAContact);
    let _ = client.pay(&[payout("p-2")]).await;
    assert_eq!(
        server.seen("/v1/transfer/contact").len(),
        2,
        "the contact was added again after the service said it is not one"
    );
}
