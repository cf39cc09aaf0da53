//! Answers that say nothing about whether a payout went through, against a scripted server: the
//! core looks the payout up and never reports "failed" (no money left) when it cannot know.

mod support;

use std::time::Duration;

use cinetpay_transfer::{Client, ErrorKind, RetryPolicy, SendOutcome, Transfer};
use support::ScriptedServer;

const SEND: &str = "/v1/transfer/money/send/contact";
const STATUS: &str = "/v1/transfer/check/money";
const NOT_FOUND: &str = r#"{"code":"723","message":"NOT_FOUND","data":[]}"#;

fn client(base_url: &str, max_attempts: u32) -> Client {
    Client::builder()
        .credentials("key", "password")
        .base_url(base_url)
        .request_timeout(Duration::from_secs(1))
        .processing_window(Duration::from_secs(1))
        .retry(RetryPolicy {
            max_attempts,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
        })
        .build()
        .unwrap()
}

fn payout() -> Transfer {
    Transfer::new("225", "0701020304", 500, "https://shop.example/notify").client_transaction_id("pay-1")
}

fn status_of_pay_1(amount: u32) -> String {
    format!(
        r#"{{"code":0,"message":"OPERATION_SUCCES","data":[{{"transaction_id":"EA1.2.M3","client_transaction_id":"pay-1",
        "lot":"9","amount":"{amount}","receiver":"0701020304","receiver_e164":"+2250701020304","treatment_status":"NEW"}}]}}"#
    )
}

#[tokio::test]
async fn a_5xx_with_an_api_code_is_looked_up_not_resent() {
    let server = ScriptedServer::default();
    let client = client(&server.start().await, 3);
    server.queue(
        SEND,
        500,
        r#"{"code":"-1","message":"OPERATION_ERROR","data":[]}"#,
    );
    server.queue(STATUS, 200, &status_of_pay_1(500));

    let results = client.send(&[payout()]).await.unwrap();

    assert_eq!(results[0].outcome, SendOutcome::Accepted);
    assert_eq!(results[0].transaction_id.as_deref(), Some("EA1.2.M3"));
    assert_eq!(server.seen(SEND).len(), 1, "never sent again");
}

#[tokio::test]
async fn a_payout_never_seen_after_the_last_lost_answer_is_unknown_not_failed() {
    let server = ScriptedServer::default();
    let client = client(&server.start().await, 2);
    for _ in 0..2 {
        server.queue(SEND, 502, "<html>Bad Gateway</html>");
        server.queue(STATUS, 404, NOT_FOUND);
    }

    let err = client.send(&[payout()]).await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(err.client_transaction_ids(), ["pay-1"]);
    assert!(
        err.to_string().contains("pay-1"),
        "the ids are in the text too: {err}"
    );
    assert_eq!(server.seen(SEND).len(), 2);
}

#[tokio::test]
async fn an_805_the_lookup_cannot_show_is_unknown_and_another_payout_under_the_id_is_a_duplicate() {
    let server = ScriptedServer::default();
    let client = client(&server.start().await, 3);
    let duplicate = r#"{"code":0,"message":"OPERATION_SUCCES","data":[[{"client_transaction_id":"pay-1","code":805,"status":"CLIENT_TRANSACTION_ID_EXIST"}]]}"#;

    server.queue(SEND, 200, duplicate);
    server.queue(STATUS, 404, NOT_FOUND);
    let results = client.send(&[payout()]).await.unwrap_err();
    assert_eq!(
        results.kind(),
        ErrorKind::OutcomeUnknown,
        "805 means the id is taken: maybe ours"
    );

    server.queue(SEND, 200, duplicate);
    server.queue(STATUS, 200, &status_of_pay_1(9_000));
    let results = client.send(&[payout()]).await.unwrap();
    assert_eq!(results[0].outcome, SendOutcome::Failed);
    assert_eq!(
        results[0].error.as_ref().unwrap().kind(),
        ErrorKind::DuplicateTransaction
    );
}

#[tokio::test]
async fn redirects_are_not_followed_so_requests_never_go_elsewhere() {
    let server = ScriptedServer::default();
    let client = client(&server.start().await, 1);
    server.queue("/v1/transfer/check/balance", 302, "");
    let err = client.balance().await.unwrap_err();
    assert_eq!(err.http_status(), Some(302), "{err}");
    assert!(
        server.seen("/v1/redirected").is_empty(),
        "the redirect was not followed"
    );
}
