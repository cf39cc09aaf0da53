//! `pay_observed` / `send_observed` against the sandbox: the observer sees every payout's final
//! result exactly once, chunk by chunk, before the call returns, and the same result the call returns.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::Mutex;

use cinetpay_sandbox::{Endpoint, Fault, FaultKind, Sandbox, DEFAULT_API_KEY};
use cinetpay_transfer::{Client, Error, ErrorKind, SendOutcome, SendResult, Transfer};

mod sandboxed;

use sandboxed::sandbox_and_client as sandbox_and_client_with;

async fn sandbox_and_client(chunk_size: usize) -> (Sandbox, Client) {
    sandbox_and_client_with(chunk_size, 4).await
}

fn payouts(n: usize) -> Vec<Transfer> {
    (1..=n)
        .map(|i| {
            Transfer::new(
                "225",
                &format!("07{:08}", 10_000_000 + i * 37),
                1_000,
                "http://127.0.0.1:9/notify",
            )
            .client_transaction_id(format!("observed-{i}"))
        })
        .collect()
}

/// Every observed result by id, failing on a payout observed twice.
fn by_id(observed: &[Vec<SendResult>]) -> HashMap<String, SendResult> {
    let mut seen = HashMap::new();
    for result in observed.iter().flatten() {
        let previous = seen.insert(result.client_transaction_id.clone(), result.clone());
        assert!(
            previous.is_none(),
            "{} observed twice",
            result.client_transaction_id
        );
    }
    seen
}

#[tokio::test]
async fn pay_observed_sees_every_payout_exactly_once_after_reconciliation() {
    let (sandbox, client) = sandbox_and_client(2).await;
    // One request of payouts is recorded and its answer lost: its chunk is observed only once the
    // lookup has settled it (accepted), never as a provisional failure.
    sandbox.add_fault(Fault::new(Endpoint::Send, FaultKind::DropAfter));
    let transfers = payouts(5);
    let observed: Mutex<Vec<Vec<SendResult>>> = Mutex::new(Vec::new());

    let results = client
        .pay_observed(&transfers, &|chunk: &[SendResult]| {
            observed.lock().unwrap().push(chunk.to_vec());
            ControlFlow::Continue(())
        })
        .await
        .unwrap();

    let observed = observed.into_inner().unwrap();
    let mut sizes: Vec<usize> = observed.iter().map(Vec::len).collect();
    sizes.sort_unstable();
    assert_eq!(sizes, [1, 2, 2], "one call per chunk of 2");
    let seen = by_id(&observed);
    assert_eq!(seen.len(), 5);
    assert_eq!(results.len(), 5);
    for (transfer, result) in transfers.iter().zip(&results) {
        assert_eq!(
            Some(&result.client_transaction_id),
            transfer.client_transaction_id.as_ref()
        );
        assert_eq!(result.outcome, SendOutcome::Accepted, "{result:?}");
        assert_eq!(
            seen.get(&result.client_transaction_id),
            Some(result),
            "observed = returned"
        );
    }
    let ledger = sandbox.ledger();
    assert_eq!(ledger.len(), 5);
    assert!(
        ledger
            .iter()
            .all(|e| e.accepted_count == 1 && e.send_attempts == 1),
        "{ledger:#?}"
    );
}

#[tokio::test]
async fn send_and_pay_without_observer_are_unchanged() {
    let (sandbox, client) = sandbox_and_client(2).await;
    let results = client.pay(&payouts(5)).await.unwrap();
    assert!(results.iter().all(|r| r.outcome == SendOutcome::Accepted));
    let again = client.send(&payouts(5)).await.unwrap();
    assert_eq!(
        again.iter().map(|r| &r.transaction_id).collect::<Vec<_>>(),
        results.iter().map(|r| &r.transaction_id).collect::<Vec<_>>(),
        "a replay under the same ids is settled as the same payouts"
    );
    assert_eq!(sandbox.ledger().len(), 5);
}

#[tokio::test]
async fn a_single_failed_request_is_observed_before_its_error_is_returned() {
    let (sandbox, client) = sandbox_and_client(25).await;
    sandbox.set_balance(DEFAULT_API_KEY, "CI", 1_500).unwrap();
    let transfers = payouts(3);
    let observed: Mutex<Vec<Vec<SendResult>>> = Mutex::new(Vec::new());

    let err = client
        .pay_observed(&transfers, &|chunk: &[SendResult]| {
            observed.lock().unwrap().push(chunk.to_vec());
            ControlFlow::Continue(())
        })
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::InsufficientBalance);
    let seen = by_id(&observed.into_inner().unwrap());
    assert_eq!(seen.len(), 3);
    assert!(seen.values().all(|r| r.outcome == SendOutcome::Failed
        && r.error.as_ref().map(|e| e.kind()) == Some(ErrorKind::InsufficientBalance)));
    assert!(sandbox.ledger().is_empty());
}

#[tokio::test]
async fn invalid_input_is_refused_before_anything_is_observed() {
    let (_sandbox, client) = sandbox_and_client(2).await;
    let mut transfers = payouts(3);
    transfers[1].amount = 1_002;
    let calls = Mutex::new(0);
    let err = client
        .send_observed(&transfers, &|_: &[SendResult]| {
            *calls.lock().unwrap() += 1;
            ControlFlow::Continue(())
        })
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(*calls.lock().unwrap(), 0);
}

#[tokio::test]
async fn a_break_starts_no_further_request() {
    // One request at a time, so that the break after the first chunk comes before any other starts.
    let (sandbox, client) = sandbox_and_client_with(2, 1).await;
    let transfers = payouts(5);
    let observed: Mutex<Vec<Vec<SendResult>>> = Mutex::new(Vec::new());

    let results = client
        .pay_observed(&transfers, &|chunk: &[SendResult]| {
            observed.lock().unwrap().push(chunk.to_vec());
            ControlFlow::Break(Error::new(ErrorKind::Service, "stopped by the caller"))
        })
        .await
        .unwrap();

    let seen = by_id(&observed.into_inner().unwrap());
    assert_eq!(seen.len(), 2, "only the first chunk was sent and observed");
    assert_eq!(sandbox.ledger().len(), 2);
    for result in &results {
        match seen.get(&result.client_transaction_id) {
            Some(observed) => {
                assert_eq!(observed, result);
                assert_eq!(result.outcome, SendOutcome::Accepted);
            }
            None => {
                assert_eq!(result.outcome, SendOutcome::Failed);
                assert_eq!(result.error.as_ref().unwrap().detail(), "stopped by the caller");
            }
        }
    }
}
