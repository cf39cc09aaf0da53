//! The guarantee merchants care most about, against the sandbox: a payout whose answer is lost is
//! found by lookup and never sent again, and a payout the SDK cannot settle is reported by id.

use std::time::Duration;

use cinetpay_sandbox::{Endpoint, Fault, FaultKind, Sandbox, SandboxConfig};
use cinetpay_transfer::{Client, Contact, ErrorKind, RetryPolicy, SendOutcome, Transfer, TransferQuery};

async fn sandbox_and_client() -> (Sandbox, Client) {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let client = Client::builder()
        .credentials("sandbox-api-key", "sandbox-password")
        .base_url(sandbox.base_url())
        .request_timeout(Duration::from_secs(2))
        // Lost answers may hide a run still going on: waited out, briefly here.
        .processing_window(Duration::from_secs(2))
        .retry(RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
        })
        .build()
        .unwrap();
    let contact = Contact {
        prefix: "225".into(),
        phone: "0701020304".into(),
        name: "Awa".into(),
        surname: "Kone".into(),
        email: String::new(),
    };
    client.add_contacts(&[contact]).await.unwrap();
    (sandbox, client)
}

fn payout(id: &str) -> Transfer {
    Transfer::new("225", "0701020304", 5_000, "http://127.0.0.1:9/notify").client_transaction_id(id)
}

#[tokio::test]
async fn a_send_recorded_then_cut_off_is_found_not_resent() {
    let (sandbox, client) = sandbox_and_client().await;
    sandbox.add_fault(Fault::new(Endpoint::Send, FaultKind::DropAfter));

    let results = client.send(&[payout("salary-001")]).await.unwrap();

    assert_eq!(results[0].outcome, SendOutcome::Accepted);
    let ledger = sandbox.ledger();
    assert_eq!(ledger.len(), 1, "exactly one payout exists");
    assert_eq!(ledger[0].client_transaction_id, "salary-001");
    assert_eq!(ledger[0].accepted_count, 1);
    assert_eq!(ledger[0].send_attempts, 1, "the SDK did not even try again");
    assert_eq!(
        results[0].transaction_id.as_deref(),
        Some(ledger[0].transaction_id.as_str())
    );
}

#[tokio::test]
async fn a_send_that_never_arrived_is_sent_exactly_once_more() {
    let (sandbox, client) = sandbox_and_client().await;
    sandbox.add_fault(Fault::new(Endpoint::Send, FaultKind::DropBefore));

    let results = client.send(&[payout("salary-002")]).await.unwrap();

    assert_eq!(results[0].outcome, SendOutcome::Accepted);
    let ledger = sandbox.ledger();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].accepted_count, 1);
}

#[tokio::test]
async fn an_unsettled_send_is_reported_with_its_id_and_found_later() {
    let (sandbox, client) = sandbox_and_client().await;
    sandbox.add_fault(Fault::new(Endpoint::Send, FaultKind::DropAfter));
    sandbox.add_fault(Fault::new(Endpoint::Status, FaultKind::ServerError).times(10));

    let err = client.send(&[payout("salary-003")]).await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(err.client_transaction_ids(), ["salary-003"]);
    assert_eq!(
        sandbox.ledger().len(),
        1,
        "the money did move: never lost from view"
    );
    sandbox.clear_faults();
    let found = client
        .transfer_status(&TransferQuery::ClientTransactionId("salary-003".into()))
        .await
        .unwrap();
    assert_eq!(found[0].amount, 5_000);
}
