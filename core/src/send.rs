//! Sending payouts so that none is ever sent twice and none is lost from view.
//!
//! `client_transaction_id` is the idempotency key: the service refuses a second payout with the
//! same id (805). That alone is not enough, because after a lost answer a blind resend either
//! pays twice (if the merchant let the SDK make up a new id) or comes back as 805 and hides
//! whether the first try worked. So, for each request of payouts:
//!
//! 1. Send it. A refusal of the whole request (602, a bad token after the one replay, ...) is final.
//!    A request that surely never reached the service (connection refused, 429) may be sent
//!    again after a backoff.
//! 2. When the service may have acted without us hearing of it (timeout, dropped connection,
//!    5xx, unreadable answer), ask it about every payout of the request by
//!    `client_transaction_id`. A payout it knows is accepted, with its ids. A payout it does not
//!    know (723) is sent again, alone with the other unknown ones, and nothing else is.
//! 3. A payout refused as a duplicate (805) is looked up too: if the service holds the same payout
//!    (same amount, same number) under that id, it is reported accepted — sending the same payout
//!    twice with the same id is an idempotent replay, as with Stripe's idempotency keys. If the id
//!    belongs to a different payout, the item fails with [`ErrorKind::DuplicateTransaction`].
//! 4. A payout the service could neither confirm nor deny (the lookup failed too) is reported as
//!    [`SendOutcome::Unknown`], and, when nothing of the call was accepted, as an
//!    [`ErrorKind::OutcomeUnknown`] error naming the ids. The caller must look them up later;
//!    the SDK never guesses.
//!
//! Long lists are split into chunks sent with bounded concurrency; results keep input order.
//! A caller that must record progress as it happens (a journal, a progress bar) passes an observer
//! ([`crate::Client::pay_observed`], [`crate::Client::send_observed`]): it is called once per chunk
//! with that chunk's final results, after the reconciliation above, as soon as the chunk settles,
//! and may stop the call from starting further requests.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::Mutex;

use futures::StreamExt;

use crate::client::Inner;
use crate::error::{Error, ErrorKind, Result};
use crate::http::Request;
use crate::model::{ContactResult, SendOutcome, SendResult, TransferInfo, TransferQuery, TreatmentStatus};
use crate::validate::CheckedTransfer;
use crate::wire;

/// Called with the final results of each chunk as it settles (see [`crate::Client::pay_observed`]).
pub(crate) type ChunkObserver<'a> = &'a (dyn Fn(&[SendResult]) -> ControlFlow<Error> + Send + Sync);

/// The observer of `send` and `pay`: nobody is watching, and every chunk is sent.
pub(crate) fn unobserved(_: &[SendResult]) -> ControlFlow<Error> {
    ControlFlow::Continue(())
}

/// The outcome of one chunk: one result per payout, and the request-level failure if there was one.
struct ChunkReport {
    results: Vec<SendResult>,
    request_error: Option<Error>,
}

/// Sends checked payouts in chunks. See [`crate::Client::send`] for when an `Err` is returned.
/// `on_chunk` sees every payout sent exactly once, chunk by chunk, before this returns; when it
/// breaks, chunks not started yet are not sent and not observed.
pub(crate) async fn send_checked(
    inner: &Inner,
    checked: Vec<CheckedTransfer>,
    on_chunk: ChunkObserver<'_>,
) -> Result<Vec<SendResult>> {
    send_checked_except(inner, checked, &[], on_chunk).await
}

/// Like [`send_checked`], but payouts to a refused contact fail without being sent (and are
/// reported to `on_chunk` together, before any request).
pub(crate) async fn send_checked_except(
    inner: &Inner,
    checked: Vec<CheckedTransfer>,
    refused_contacts: &[ContactResult],
    on_chunk: ChunkObserver<'_>,
) -> Result<Vec<SendResult>> {
    let refusal_of = |t: &CheckedTransfer| {
        refused_contacts
            .iter()
            .find(|c| c.prefix == t.prefix && c.phone == t.phone)
            .map(|c| {
                c.error
                    .clone()
                    .unwrap_or_else(|| Error::from_api(c.code, None, None, None))
            })
    };
    let (to_send, refused): (Vec<_>, Vec<_>) = checked
        .into_iter()
        .enumerate()
        .partition(|(_, t)| refusal_of(t).is_none());

    let refused: Vec<(usize, SendResult)> = refused
        .into_iter()
        .map(|(position, transfer)| {
            let error = refusal_of(&transfer);
            (position, result_of(&transfer, SendOutcome::Failed, error))
        })
        .collect();
    // Set when the observer breaks: chunks not started by then are not sent, and fail with it.
    let stop: Mutex<Option<Error>> = Mutex::new(None);
    let observe = |results: &[SendResult]| {
        if let ControlFlow::Break(error) = on_chunk(results) {
            stop.lock().expect("stop poisoned").get_or_insert(error);
        }
    };
    if !refused.is_empty() {
        let results: Vec<SendResult> = refused.iter().map(|(_, r)| r.clone()).collect();
        observe(&results);
    }

    let chunk_size = inner.config.chunk_size;
    let chunks: Vec<Vec<(usize, CheckedTransfer)>> = to_send.chunks(chunk_size).map(<[_]>::to_vec).collect();
    let single_request = chunks.len() == 1 && refused.is_empty();
    let (observe, stop) = (&observe, &stop);
    let reports: Vec<(Vec<usize>, ChunkReport)> = futures::stream::iter(chunks)
        .map(|chunk| async move {
            let (positions, items): (Vec<usize>, Vec<CheckedTransfer>) = chunk.into_iter().unzip();
            let stopped = stop.lock().expect("stop poisoned").clone();
            if let Some(error) = stopped {
                let results = items
                    .iter()
                    .map(|t| result_of(t, SendOutcome::Failed, Some(error.clone())))
                    .collect();
                return (
                    positions,
                    ChunkReport {
                        results,
                        request_error: Some(error),
                    },
                );
            }
            let report = send_chunk(inner, items).await;
            observe(&report.results);
            (positions, report)
        })
        .buffered(inner.config.max_concurrency)
        .collect()
        .await;

    if single_request {
        let (_, report) = reports.into_iter().next().expect("one chunk");
        return single_request_result(report);
    }
    let mut slots: Vec<Option<SendResult>> =
        vec![None; reports.iter().map(|(p, _)| p.len()).sum::<usize>() + refused.len()];
    for (position, result) in refused {
        slots[position] = Some(result);
    }
    for (positions, report) in reports {
        for (position, result) in positions.into_iter().zip(report.results) {
            slots[position] = Some(result);
        }
    }
    Ok(slots
        .into_iter()
        .map(|slot| slot.expect("every payout has a result"))
        .collect())
}

/// One request's failure is the call's error, unless some payout of it was accepted after all.
fn single_request_result(report: ChunkReport) -> Result<Vec<SendResult>> {
    let Some(request_error) = report.request_error else {
        return Ok(report.results);
    };
    if report.results.iter().any(|r| r.outcome == SendOutcome::Accepted) {
        return Ok(report.results);
    }
    let unknown: Vec<String> = report
        .results
        .iter()
        .filter(|r| r.outcome == SendOutcome::Unknown)
        .map(|r| r.client_transaction_id.clone())
        .collect();
    if unknown.is_empty() {
        Err(request_error)
    } else {
        Err(Error::outcome_unknown(unknown, &request_error))
    }
}

/// Sends one chunk until every payout in it is accepted, failed, or unknown.
async fn send_chunk(inner: &Inner, items: Vec<CheckedTransfer>) -> ChunkReport {
    let mut results: Vec<Option<SendResult>> = vec![None; items.len()];
    let mut pending: Vec<usize> = (0..items.len()).collect();
    let mut request_error = None;
    // Items the service called duplicates (805), with its answer: settled by lookup.
    let mut duplicates: HashMap<usize, Error> = HashMap::new();
    let mut attempt = 1;
    loop {
        let batch: Vec<&CheckedTransfer> = pending.iter().map(|&i| &items[i]).collect();
        let data = wire_payload(&batch);
        let request = Request {
            post: true,
            path: "/transfer/money/send/contact",
            query: vec![],
            form: vec![("data", &data)],
        };
        tracing::debug!(attempt, payouts = batch.len(), receivers = %masked_receivers(&batch), "sending payouts");
        let to_look_up: Vec<usize>;
        let mut last_error = None;
        match inner.exchange_authenticated(&request, attempt).await {
            Ok(envelope) => {
                let answers = wire::list_items(&envelope.data);
                let mut unanswered = Vec::new();
                for &i in &pending {
                    let t = &items[i];
                    let answer = answers.iter().find(|a| {
                        wire::read_text(a.get("client_transaction_id")).as_deref()
                            == Some(t.client_transaction_id.as_str())
                    });
                    match answer {
                        None => unanswered.push(i),
                        Some(a) if wire::item_code(a) == 805 => {
                            duplicates.insert(i, item_error(a));
                            unanswered.push(i);
                        }
                        Some(a) => results[i] = Some(item_result(inner, t, a)),
                    }
                }
                to_look_up = unanswered;
            }
            Err(failure) if !failure.maybe_processed => {
                let retryable = failure.error.is_retryable() && attempt < inner.config.retry.max_attempts;
                if retryable {
                    inner.wait_before_retry(failure.error, &mut attempt).await.ok();
                    continue;
                }
                for &i in &pending {
                    results[i] = Some(result_of(
                        &items[i],
                        SendOutcome::Failed,
                        Some(failure.error.clone()),
                    ));
                }
                request_error = Some(failure.error);
                break;
            }
            Err(failure) => {
                tracing::warn!(attempt, error = %failure.error, "payout answer lost; reconciling by client_transaction_id");
                last_error = Some(failure.error);
                to_look_up = pending.clone();
            }
        }
        if to_look_up.is_empty() {
            break;
        }
        let cause =
            last_error.unwrap_or_else(|| wire::protocol("the answer did not mention every payout".into()));
        // Give the service a moment to show what it recorded before asking about it.
        tokio::time::sleep(inner.config.retry.backoff(attempt)).await;
        let mut not_recorded = Vec::new();
        for i in to_look_up {
            match look_up(inner, &items[i]).await {
                Lookup::Recorded(result) => results[i] = Some(result),
                // The service refused this very request (805) and holds another payout under
                // the id: nothing of ours left.
                Lookup::Conflict(_) if duplicates.contains_key(&i) => {
                    let error = duplicates[&i].clone();
                    results[i] = Some(result_of(&items[i], SendOutcome::Failed, Some(error)));
                }
                // Our request may have been executed, yet what the service shows differs: never
                // guess that no money left.
                Lookup::Conflict(info) => {
                    let error = duplicate_error(&info);
                    results[i] = Some(result_of(&items[i], SendOutcome::Unknown, Some(error)));
                }
                // 805 says the id is taken, the lookup does not show it (yet): unknown, not failed.
                Lookup::NotRecorded if duplicates.contains_key(&i) => {
                    let error = duplicates[&i].clone();
                    results[i] = Some(result_of(&items[i], SendOutcome::Unknown, Some(error)));
                }
                Lookup::NotRecorded => not_recorded.push(i),
                Lookup::Unknown(error) => {
                    tracing::warn!(client_transaction_id = %items[i].client_transaction_id, "payout outcome unknown");
                    results[i] = Some(result_of(&items[i], SendOutcome::Unknown, Some(error)));
                }
            }
        }
        if not_recorded.is_empty() {
            if results
                .iter()
                .flatten()
                .any(|r| r.outcome == SendOutcome::Unknown)
            {
                request_error = Some(cause);
            }
            break;
        }
        if attempt >= inner.config.retry.max_attempts {
            // The last attempt may have been executed and not be visible yet: unknown, not failed.
            for &i in &not_recorded {
                results[i] = Some(result_of(&items[i], SendOutcome::Unknown, Some(cause.clone())));
            }
            request_error = Some(cause);
            break;
        }
        attempt += 1;
        pending = not_recorded;
    }
    ChunkReport {
        results: results
            .into_iter()
            .map(|r| r.expect("every payout settled"))
            .collect(),
        request_error,
    }
}

enum Lookup {
    /// The service holds this very payout under its id.
    Recorded(SendResult),
    /// The service holds a different payout under this id.
    Conflict(TransferInfo),
    NotRecorded,
    Unknown(Error),
}

/// Asks the service whether it recorded a payout, and whether it is the same payout.
async fn look_up(inner: &Inner, t: &CheckedTransfer) -> Lookup {
    let query = TransferQuery::ClientTransactionId(t.client_transaction_id.clone());
    match inner.transfer_status(&query).await {
        Ok(infos) => match infos.into_iter().next() {
            Some(info) if !same_payout(t, &info) => Lookup::Conflict(info),
            Some(info) => Lookup::Recorded(SendResult {
                transaction_id: Some(info.transaction_id),
                lot: info.lot,
                treatment_status: Some(info.treatment_status),
                ..result_of(t, SendOutcome::Accepted, None)
            }),
            None => Lookup::NotRecorded,
        },
        Err(e) if e.kind() == ErrorKind::NotFound => Lookup::NotRecorded,
        Err(e) => Lookup::Unknown(e),
    }
}

/// Whether the transfer the service reports is the payout we asked for (amount and number).
fn same_payout(t: &CheckedTransfer, info: &TransferInfo) -> bool {
    info.is_payout_of(&t.phone, t.amount)
}

fn duplicate_error(info: &TransferInfo) -> Error {
    Error::new(
        ErrorKind::DuplicateTransaction,
        format!(
            "client_transaction_id {:?} is already used by another payout ({} XOF, {})",
            info.client_transaction_id.as_deref().unwrap_or_default(),
            info.amount,
            info.transaction_id
        ),
    )
}

/// The error an item's own answer carries.
fn item_error(answer: &serde_json::Map<String, serde_json::Value>) -> Error {
    let message = wire::read_text(answer.get("message")).or_else(|| wire::read_text(answer.get("status")));
    let description = wire::read_text(answer.get("description"));
    Error::from_api(wire::item_code(answer), message, description, None)
}

/// The result of an item the service answered about.
fn item_result(
    inner: &Inner,
    t: &CheckedTransfer,
    answer: &serde_json::Map<String, serde_json::Value>,
) -> SendResult {
    let code = wire::item_code(answer);
    if code != 0 {
        if code == 724 {
            inner.forget_contact(&t.prefix, &t.phone);
        }
        let message = wire::read_text(answer.get("message"));
        let description = wire::read_text(answer.get("description"));
        return result_of(
            t,
            SendOutcome::Failed,
            Some(Error::from_api(code, message, description, None)),
        );
    }
    SendResult {
        transaction_id: wire::read_text(answer.get("transaction_id")),
        lot: wire::read_text(answer.get("lot")),
        treatment_status: wire::read_text(answer.get("treatment_status")).map(|s| TreatmentStatus::parse(&s)),
        ..result_of(t, SendOutcome::Accepted, None)
    }
}

fn result_of(t: &CheckedTransfer, outcome: SendOutcome, error: Option<Error>) -> SendResult {
    SendResult {
        client_transaction_id: t.client_transaction_id.clone(),
        prefix: t.prefix.clone(),
        phone: t.phone.clone(),
        amount: t.amount,
        outcome,
        transaction_id: None,
        lot: None,
        treatment_status: None,
        error,
    }
}

/// The `data` field: a JSON array of the payouts, with the service's field names.
fn wire_payload(batch: &[&CheckedTransfer]) -> String {
    let items: Vec<serde_json::Value> = batch
        .iter()
        .map(|t| {
            let mut item = serde_json::json!({
                "prefix": t.prefix,
                "phone": t.phone,
                "amount": t.amount,
                "client_transaction_id": t.client_transaction_id,
                "notify_url": t.notify_url,
            });
            if let Some(method) = &t.payment_method {
                item["payment_method"] = method.clone().into();
            }
            item
        })
        .collect();
    serde_json::Value::Array(items).to_string()
}

/// Phone numbers for logs: country code, first two and last two digits (`+225 07******04`).
fn masked_receivers(batch: &[&CheckedTransfer]) -> String {
    let shown: Vec<String> = batch
        .iter()
        .take(5)
        .map(|t| mask_phone(&t.prefix, &t.phone))
        .collect();
    let more = batch.len().saturating_sub(shown.len());
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

pub(crate) fn mask_phone(prefix: &str, phone: &str) -> String {
    let n = phone.len();
    if n <= 4 {
        return format!("+{prefix} {}", "*".repeat(n));
    }
    format!(
        "+{prefix} {}{}{}",
        &phone[..2],
        "*".repeat(n - 4),
        &phone[n - 2..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_masked_in_logs() {
        assert_eq!(mask_phone("225", "0701020304"), "+225 07******04");
    }
}
