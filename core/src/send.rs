//! Sending payouts so that none is ever sent twice and none is lost from view.
//!
//! `client_transaction_id` is the idempotency key: the service refuses a second payout with the
//! same id (805). That alone is not enough, because after a lost answer a blind resend either
//! pays twice (if the merchant let the SDK make up a new id) or comes back as 805 and hides
//! whether the first try worked. So the engine keeps one fact per payout, *may some attempt of
//! it have been processed?*, and follows these rules (ADR 2, proven by the generated model test
//! in `core/tests/never_twice_model/`):
//!
//! 1. `Failed` only when no attempt may have been processed (a refusal of the request or the
//!    item, a request that never reached the service). Once one may have, the payout ends
//!    `Accepted` (a lookup shows it) or `Unknown` (none could), whatever happens next.
//! 2. A doubt (lost answer, timeout, 5xx, unreadable answer, a per-item -1/709/710/715 or unknown
//!    code, an item missing from the answer, 805) is settled by a lookup by id
//!    ([`crate::Client::look_up`]'s rule). The same payout under the id is accepted, with its ids:
//!    sending a payout again under its id is an idempotent replay, as with Stripe's keys.
//! 3. Only a payout the lookup does not show is sent again, alone with the other unseen ones;
//!    when the attempt may still be running (our timeout, a 504), not before the processing
//!    window has passed and a second lookup still does not show it.
//! 4. A payout no lookup could settle is [`SendOutcome::Unknown`], and, when nothing of a
//!    single-request call was accepted, an [`ErrorKind::OutcomeUnknown`] error naming the ids.
//!    The caller must look them up later; the SDK never guesses.
//!
//! Long lists are split into chunks sent with bounded concurrency, read a chunk at a time
//! ([`crate::streaming`]); results keep input order.
//! A caller that must record progress as it happens (a journal, a progress bar) passes an observer
//! ([`crate::Client::pay_observed`], [`crate::Client::send_observed`]): it is called once per chunk
//! with that chunk's final results, after the reconciliation above, as soon as the chunk settles,
//! and may stop the call from starting further requests.

use std::ops::ControlFlow;
use std::time::Instant;

use crate::client::Inner;
use crate::error::{Error, ErrorKind, Result};
use crate::http::{Failure, Processed, Request};
use crate::i18n::Message;
use crate::lookup::{look_up, PayoutLookup};
use crate::model::{SendOutcome, SendResult, TransferInfo, TreatmentStatus};
use crate::validate::CheckedTransfer;
use crate::wire;

/// The observer of `send` and `pay`: nobody is watching, and every chunk is sent.
pub(crate) fn unobserved(_: &[SendResult]) -> ControlFlow<Error> {
    ControlFlow::Continue(())
}

/// The outcome of one chunk: one result per payout, and the request-level failure if there was one.
pub(crate) struct ChunkReport {
    pub(crate) results: Vec<SendResult>,
    request_error: Option<Error>,
}

/// One request's failure is the call's error, unless some payout of it was accepted after all:
/// payouts the service may hold make it [`ErrorKind::OutcomeUnknown`] naming their ids, a refusal
/// of the whole request is returned as it is.
pub(crate) fn single_request_result(report: &ChunkReport) -> Result<()> {
    if report.results.iter().any(|r| r.outcome == SendOutcome::Accepted) {
        return Ok(());
    }
    let unknown: Vec<&SendResult> = report
        .results
        .iter()
        .filter(|r| r.outcome == SendOutcome::Unknown)
        .collect();
    if let Some(first) = unknown.first() {
        let cause = report
            .request_error
            .clone()
            .or_else(|| first.error.clone())
            .unwrap_or_else(|| wire::protocol(Message::new("outcome-not-reported")));
        let ids = unknown.iter().map(|r| r.client_transaction_id.clone()).collect();
        return Err(Error::outcome_unknown(ids, &cause));
    }
    match &report.request_error {
        Some(error) => Err(error.clone()),
        None => Ok(()),
    }
}

/// Why a payout of a chunk is looked up after an attempt.
#[derive(Clone)]
enum Doubt {
    /// The attempt may have been processed without us hearing of it (lost answer, 5xx, a
    /// per-item -1/709/710/715 or unknown code, an item missing from the answer).
    MaybeSent(Error),
    /// The service refused the id as taken (805): maybe by an earlier attempt of this payout.
    IdTaken(Error),
    /// This attempt was refused, but an earlier one may have been processed.
    RefusedLater(Error),
}

impl Doubt {
    fn error(&self) -> &Error {
        match self {
            Doubt::MaybeSent(e) | Doubt::IdTaken(e) | Doubt::RefusedLater(e) => e,
        }
    }
}

/// One chunk being sent: its payouts, what is settled, and which may have left.
struct Chunk<'a> {
    inner: &'a Inner,
    items: Vec<CheckedTransfer>,
    settled: Vec<Option<SendResult>>,
    /// Some attempt of this payout may have been processed: it can no longer be `Failed`.
    maybe_sent: Vec<bool>,
    /// The first request-level failure, reported when the chunk was its call's only request.
    request_error: Option<Error>,
    /// Until when an attempt whose answer never came from the API may still be running on the
    /// service: its send instant plus the processing window.
    running_until: Option<Instant>,
}

/// Sends one chunk until every payout in it is accepted, failed, or unknown.
///
/// The rule that keeps money safe: a payout is `Failed` only when every attempt of it was surely
/// not processed (refused, never delivered). Once any attempt may have been processed it ends
/// `Accepted` (a lookup shows it) or `Unknown` (none could), and it is sent again only after a
/// lookup did not show it and, if the attempt may still be running on the service, after the
/// processing window has passed and a fresh lookup still does not show it.
pub(crate) async fn send_chunk(inner: &Inner, items: Vec<CheckedTransfer>) -> ChunkReport {
    let count = items.len();
    let mut chunk = Chunk {
        inner,
        items,
        settled: vec![None; count],
        maybe_sent: vec![false; count],
        request_error: None,
        running_until: None,
    };
    let mut pending: Vec<usize> = (0..count).collect();
    let mut attempt = 1;
    loop {
        let doubts = match chunk.attempt(&pending, attempt).await {
            Attempt::Answered(doubts) => doubts,
            Attempt::NotProcessed(error) => {
                let retry = error.is_retryable() && attempt < inner.config.retry.max_attempts;
                if retry && inner.wait_before_retry(error.clone(), &mut attempt).await.is_ok() {
                    continue;
                }
                chunk.request_error.get_or_insert(error.clone());
                if error.code() == Some(724) {
                    for &i in &pending {
                        inner.forget_contact(&chunk.items[i].prefix, &chunk.items[i].phone);
                    }
                }
                chunk.refuse(&pending, &error)
            }
            Attempt::IdTaken(error) => {
                chunk.request_error.get_or_insert(error.clone());
                pending
                    .iter()
                    .map(|&i| (i, Doubt::IdTaken(error.clone())))
                    .collect()
            }
            Attempt::MaybeProcessed { error, running_until } => {
                tracing::warn!(attempt, error = %error, "payout answer lost; reconciling by client_transaction_id");
                chunk.request_error.get_or_insert(error.clone());
                for &i in &pending {
                    chunk.maybe_sent[i] = true;
                }
                chunk.running_until = chunk.running_until.max(running_until);
                pending
                    .iter()
                    .map(|&i| (i, Doubt::MaybeSent(error.clone())))
                    .collect()
            }
        };
        if doubts.is_empty() {
            break;
        }
        // Give the service a moment to show what it recorded before asking about it.
        tokio::time::sleep(inner.config.retry.backoff(attempt)).await;
        let mut unseen = chunk.settle_by_lookup(doubts).await;
        if !unseen.is_empty() && chunk.wait_out_running_attempts(attempt).await {
            unseen = chunk.settle_by_lookup(unseen).await;
        }
        if unseen.is_empty() {
            break;
        }
        if attempt >= inner.config.retry.max_attempts {
            // The last attempt may have been executed and not be visible yet: unknown, not failed.
            for (i, doubt) in unseen {
                chunk.settle(i, SendOutcome::Unknown, Some(doubt.error().clone()));
            }
            break;
        }
        attempt += 1;
        pending = unseen.into_iter().map(|(i, _)| i).collect();
    }
    // Whoever acts on an unknown payout (a lookup, then a resend under its id) must not meet a
    // request of it still running: the call returns only once none can be.
    if chunk
        .settled
        .iter()
        .flatten()
        .any(|r| r.outcome == SendOutcome::Unknown)
    {
        chunk.wait_out_running_attempts(attempt).await;
    }
    chunk.into_report()
}

/// What one attempt of a chunk told: settled payouts are recorded in the chunk as a side effect.
enum Attempt {
    /// The service answered code 0; these payouts need a lookup.
    Answered(Vec<(usize, Doubt)>),
    /// The whole request was surely not processed.
    NotProcessed(Error),
    /// The whole request was refused with 805: some id of it is taken.
    IdTaken(Error),
    /// The whole request may have been processed, and may still be running until then.
    MaybeProcessed {
        error: Error,
        running_until: Option<Instant>,
    },
}

impl Chunk<'_> {
    /// Sends the pending payouts once and reads the answer.
    async fn attempt(&mut self, pending: &[usize], attempt: u32) -> Attempt {
        let batch: Vec<&CheckedTransfer> = pending.iter().map(|&i| &self.items[i]).collect();
        let data = wire_payload(&batch);
        let request = Request {
            post: true,
            path: "/transfer/money/send/contact",
            query: vec![],
            form: vec![("data", &data)],
        };
        tracing::debug!(attempt, payouts = batch.len(), receivers = %masked_receivers(&batch), "sending payouts");
        let envelope = match self.inner.exchange_authenticated(&request, attempt).await {
            Ok(envelope) => envelope,
            Err(failure) if failure.error.kind() == ErrorKind::DuplicateTransaction => {
                return Attempt::IdTaken(failure.error)
            }
            Err(Failure {
                error,
                processed: Processed::No,
                ..
            }) => return Attempt::NotProcessed(error),
            Err(Failure {
                error,
                processed,
                sent_at,
            }) => {
                let running_until = (processed == Processed::MaybeStillRunning)
                    .then(|| sent_at + self.inner.config.processing_window);
                return Attempt::MaybeProcessed { error, running_until };
            }
        };
        let answers = envelope.items();
        let answers_by_id = wire::index_by(&answers, "client_transaction_id");
        let mut doubts = Vec::new();
        for &i in pending {
            let id = self.items[i].client_transaction_id.as_str();
            let mine = answers_by_id.get(id).map_or(&[][..], Vec::as_slice);
            let [answer] = mine else {
                // Not mentioned, or mentioned twice: the answer does not say what became of it.
                self.maybe_sent[i] = true;
                let error = wire::protocol(Message::new("answer-missing-id").quoted("id", id));
                doubts.push((i, Doubt::MaybeSent(error)));
                continue;
            };
            let Some(code) = answer.int("code") else {
                self.maybe_sent[i] = true;
                let error = wire::protocol(Message::new("answer-without-code").quoted("id", id));
                doubts.push((i, Doubt::MaybeSent(error)));
                continue;
            };
            match code {
                0 => {
                    let accepted = item_result(&self.items[i], answer);
                    self.settled[i] = Some(accepted);
                }
                805 => doubts.push((i, Doubt::IdTaken(item_error(answer)))),
                _ if is_refusal(code) => {
                    if code == 724 {
                        self.inner
                            .forget_contact(&self.items[i].prefix, &self.items[i].phone);
                    }
                    doubts.extend(self.refuse(&[i], &item_error(answer)));
                }
                _ => {
                    self.maybe_sent[i] = true;
                    doubts.push((i, Doubt::MaybeSent(item_error(answer))));
                }
            }
        }
        Attempt::Answered(doubts)
    }

    /// Records a refusal: `Failed` for payouts no attempt of which may have been processed; the
    /// others must be looked up (returned).
    fn refuse(&mut self, payouts: &[usize], error: &Error) -> Vec<(usize, Doubt)> {
        let mut doubts = Vec::new();
        for &i in payouts {
            if self.maybe_sent[i] {
                doubts.push((i, Doubt::RefusedLater(error.clone())));
            } else {
                self.settle(i, SendOutcome::Failed, Some(error.clone()));
            }
        }
        doubts
    }

    /// Looks each doubtful payout up and settles what the lookup decides; returns the payouts
    /// the service does not show after an attempt that may have been processed (to wait for,
    /// or to send again).
    async fn settle_by_lookup(&mut self, doubts: Vec<(usize, Doubt)>) -> Vec<(usize, Doubt)> {
        let mut unseen = Vec::new();
        for (i, doubt) in doubts {
            let t = &self.items[i];
            let lookup = look_up(self.inner, t).await;
            let maybe_sent = self.maybe_sent[i];
            match (lookup, &doubt) {
                (Ok(PayoutLookup::Found(info)), _) => self.settled[i] = Some(accepted_from(t, info)),
                // Refused as a duplicate, never possibly sent, and the id holds another payout:
                // nothing of ours can be held under it.
                (Ok(PayoutLookup::Conflict(_)), Doubt::IdTaken(error)) if !maybe_sent => {
                    self.settle(i, SendOutcome::Failed, Some(error.clone()));
                }
                // Our request may have been executed, yet what the service shows differs: never
                // guess that no money left.
                (Ok(PayoutLookup::Conflict(info)), _) => {
                    self.settle(i, SendOutcome::Unknown, Some(duplicate_error(&info)));
                }
                // The id is taken (805) or this attempt was refused after a doubtful one, and
                // the lookup does not show it (yet): unknown, not failed.
                (Ok(PayoutLookup::NotFound), Doubt::IdTaken(error) | Doubt::RefusedLater(error)) => {
                    self.settle(i, SendOutcome::Unknown, Some(error.clone()));
                }
                (Ok(PayoutLookup::NotFound), Doubt::MaybeSent(_)) => unseen.push((i, doubt)),
                (Err(error), _) => {
                    tracing::warn!(client_transaction_id = %t.client_transaction_id, error = %error, "payout outcome unknown");
                    self.settle(i, SendOutcome::Unknown, Some(error));
                }
            }
        }
        unseen
    }

    /// Sleeps until no attempt of this chunk may still be running on the service; whether it
    /// had to wait.
    async fn wait_out_running_attempts(&self, attempt: u32) -> bool {
        match self.running_until {
            Some(until) if Instant::now() < until => {
                tracing::info!(
                    attempt,
                    wait_ms = until.saturating_duration_since(Instant::now()).as_millis() as u64,
                    "a request may still be running at CinetPay: waiting out the processing window"
                );
                tokio::time::sleep_until(until.into()).await;
                true
            }
            _ => false,
        }
    }

    fn settle(&mut self, i: usize, outcome: SendOutcome, error: Option<Error>) {
        debug_assert!(
            outcome != SendOutcome::Failed || !self.maybe_sent[i],
            "failed after a doubtful attempt"
        );
        self.settled[i] = Some(result_of(&self.items[i], outcome, error));
    }

    fn into_report(self) -> ChunkReport {
        let results: Vec<SendResult> = self
            .settled
            .into_iter()
            .map(|r| r.expect("every payout settled"))
            .collect();
        let request_error = if results.iter().all(|r| r.outcome == SendOutcome::Accepted) {
            None
        } else {
            self.request_error
        };
        ChunkReport {
            results,
            request_error,
        }
    }
}

/// Per-item codes that refuse the payout without processing it: validation, operator, contact,
/// balance, authentication. Every other non-zero code (-1, 709, 710, 715, unknown ones) says
/// nothing about whether the service acted, and 805 is settled by lookup.
fn is_refusal(code: i64) -> bool {
    !matches!(
        ErrorKind::from_api_code(code),
        ErrorKind::Service | ErrorKind::DuplicateTransaction | ErrorKind::NotFound
    )
}

/// The result of a payout the lookup shows under its id.
fn accepted_from(t: &CheckedTransfer, info: TransferInfo) -> SendResult {
    SendResult {
        transaction_id: Some(info.transaction_id),
        lot: info.lot,
        treatment_status: Some(info.treatment_status),
        ..result_of(t, SendOutcome::Accepted, None)
    }
}

fn duplicate_error(info: &TransferInfo) -> Error {
    Error::of(
        ErrorKind::DuplicateTransaction,
        Message::new("duplicate-other-payout")
            .quoted("id", info.client_transaction_id.as_deref().unwrap_or_default())
            .amount("amount", info.amount)
            .text("transaction_id", &info.transaction_id),
    )
}

/// The error an item's own answer carries.
fn item_error(answer: &wire::Item<'_>) -> Error {
    let message = answer.text("message").or_else(|| answer.text("status"));
    let description = answer.text("description");
    Error::from_api(wire::item_code(answer), message, description, None)
}

/// The result of an item the service accepted (code 0).
fn item_result(t: &CheckedTransfer, answer: &wire::Item<'_>) -> SendResult {
    SendResult {
        transaction_id: answer.text("transaction_id"),
        lot: answer.text("lot"),
        treatment_status: answer
            .text("treatment_status")
            .map(|s| TreatmentStatus::parse(&s)),
        ..result_of(t, SendOutcome::Accepted, None)
    }
}

pub(crate) fn result_of(t: &CheckedTransfer, outcome: SendOutcome, error: Option<Error>) -> SendResult {
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
    let items: Vec<WireTransfer<'_>> = batch
        .iter()
        .map(|t| WireTransfer {
            amount: t.amount,
            client_transaction_id: &t.client_transaction_id,
            notify_url: &t.notify_url,
            payment_method: t.payment_method.as_deref(),
            phone: &t.phone,
            prefix: &t.prefix,
        })
        .collect();
    serde_json::to_string(&items).expect("payouts serialise")
}

/// One payout as the service reads it, borrowed from the checked transfer: written straight to
/// text (a `serde_json::Value` per payout, a map of owned strings, was a tenth of the sending
/// thread's samples, issue 13). Fields in alphabetical order, as the `Value` maps wrote them.
#[derive(serde::Serialize)]
struct WireTransfer<'a> {
    amount: i64,
    client_transaction_id: &'a str,
    notify_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_method: Option<&'a str>,
    phone: &'a str,
    prefix: &'a str,
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

    proptest::proptest! {
        /// The payouts' text is byte for byte what a `serde_json::Value` map per payout wrote
        /// (keys sorted, `payment_method` only when there is one), whatever the strings hold.
        #[test]
        fn the_payload_is_what_a_json_map_per_payout_wrote(
            items in proptest::collection::vec(
                (".{0,12}", ".{0,12}", proptest::num::i64::ANY, ".{0,20}", ".{0,24}", proptest::option::of(".{0,8}")),
                0..6,
            )
        ) {
            let checked: Vec<CheckedTransfer> = items
                .into_iter()
                .map(|(prefix, phone, amount, notify_url, client_transaction_id, payment_method)| CheckedTransfer {
                    prefix,
                    phone,
                    amount,
                    notify_url,
                    client_transaction_id,
                    payment_method,
                })
                .collect();
            let batch: Vec<&CheckedTransfer> = checked.iter().collect();
            let maps: Vec<serde_json::Value> = batch
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
            proptest::prop_assert_eq!(wire_payload(&batch), serde_json::Value::Array(maps).to_string());
        }
    }
}
