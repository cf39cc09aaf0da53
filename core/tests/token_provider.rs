//! Apps that must not hold the API password get tokens from a `TokenProvider` (their backend):
//! same single flight and same renewal on 705/706/707 as with credentials, and no login call.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use cinetpay_transfer::{Client, ErrorKind, TokenProvider};
use futures::future::BoxFuture;
use support::{jwt, ScriptedServer};

#[derive(Default)]
struct CountingBackend {
    calls: AtomicUsize,
    fail: bool,
}

impl TokenProvider for CountingBackend {
    fn fetch_token(&self) -> BoxFuture<'static, cinetpay_transfer::Result<String>> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        let fail = self.fail;
        Box::pin(async move {
            if fail {
                return Err(cinetpay_transfer::Error::new(
                    ErrorKind::Authentication,
                    "backend refused",
                ));
            }
            Ok(jwt(300, n))
        })
    }
}

#[tokio::test]
async fn concurrent_calls_ask_the_provider_once_and_again_after_a_rejected_token() {
    let server = ScriptedServer::default();
    let backend = Arc::new(CountingBackend::default());
    let client = Client::builder()
        .token_provider(backend.clone())
        .base_url(server.start().await)
        .build()
        .unwrap();
    let calls = (0..20).map(|_| client.balance());
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(backend.calls.load(Ordering::SeqCst), 1);
    assert_eq!(server.logins(), 0, "the client never logs in itself");

    server.queue(
        "/v1/transfer/check/balance",
        401,
        r#"{"code":"706","message":"INVALID_TOKEN","data":[]}"#,
    );
    client.balance().await.unwrap();
    assert_eq!(backend.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_provider_failure_is_returned_as_is() {
    let server = ScriptedServer::default();
    let backend = Arc::new(CountingBackend {
        fail: true,
        ..Default::default()
    });
    let client = Client::builder()
        .token_provider(backend)
        .base_url(server.start().await)
        .build()
        .unwrap();
    let err = client.balance().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert!(
        server.seen("/v1/transfer/check/balance").is_empty(),
        "nothing sent without a token"
    );
}
