//! One call of any length that holds only the chunks in flight (issue 13, item 4).
//!
//! [`Client::send`] takes a slice and returns a `Vec`: a binding that converts a list of 100,000
//! objects of its language into Rust and the results back holds every payout three or four times
//! over for the whole call. Here payouts are read from a [`Source`] a chunk at a time, and each
//! chunk's results go to a sink as the chunk settles. Beyond the caller's own inputs and results,
//! a call holds one id and one fingerprint per payout, the payees `pay` registers (their numbers),
//! and the chunks in flight.
//!
//! The source is read more than once, which is what keeps the rules of [`Client::send`]:
//! 1. every payout is checked before anything leaves: a first pass keeps of each its id (given,
//!    or generated then) and a fingerprint of the checked payout;
//! 2. `pay` reads it again for the payees to register, before any payout is sent;
//! 3. each chunk is read again as it is sent. A payout that reads differently than in the first
//!    pass (the caller changed the list during the call) is not sent: it fails, naming its
//!    position. No money moves for it, so `failed` is the truth.
//!
//! [`Client::send`], [`Client::pay`], their `_observed` forms and [`Client::add_contacts`] are
//! this engine over a slice: there is one send path, the one the never-twice model test drives.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::ops::{ControlFlow, Range};
use std::sync::Mutex;

use futures::{StreamExt, TryStreamExt};

use crate::client::{Client, Inner};
use crate::error::{Error, Result};
use crate::i18n::{Localize, Message};
use crate::model::{Contact, ContactResult, SendOutcome, SendResult, Transfer};
use crate::send::{result_of, send_chunk, single_request_result};
use crate::validate::{self, CheckedTransfer, TransferChecker};

/// Items a call reads a chunk at a time; see the module docs for when and how often.
pub trait Source<T>: Send + Sync {
    /// How many items the call sends.
    fn len(&self) -> usize;

    /// True when there is nothing to send (a call refuses an empty list).
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Hands the items at positions `range` to `each`, in order. Called on the task that drives
    /// the call (keep it short; a binding takes its interpreter's lock here). The same positions
    /// must give the same items for the whole call. An item that cannot be read ends the read with
    /// an error, [`unreadable`] for instance; the items handed over before it count.
    fn read(&self, range: Range<usize>, each: &mut dyn FnMut(&T)) -> Result<()>;
}

/// Where a call's results go: `sink(first, results)`, where `results[k]` is the result of the
/// item at position `first + k`. Called once per chunk as it settles, on the task that drives the
/// call, so not in input order; when the call returns `Ok`, every position was in exactly one
/// call. Keep it short: store, count.
pub type Sink<'a, R> = &'a (dyn Fn(usize, Vec<R>) + Send + Sync);

/// The error a [`Source`] returns for the item at `index` that it cannot read as an item (a
/// binding's object of the wrong type, say), with the reason in the caller's words. It names the
/// field `transfers`; an engine reading contacts names its own list (`in_contacts`).
pub fn unreadable(index: usize, reason: &str) -> Error {
    Error::invalid(
        "transfers",
        Some(index),
        Message::new("item-unreadable")
            .count("index", index)
            .quoted("reason", reason),
    )
}

/// [`Client::send`], reading the payouts from `transfers` a chunk at a time and handing each
/// chunk's results to `sink`. Errors as [`Client::send`]'s: an invalid payout (before anything
/// is sent or handed to `sink`), or the failure of the call's single request (after `sink` had its
/// results).
pub async fn send(
    client: &Client,
    transfers: &dyn Source<Transfer>,
    sink: Sink<'_, SendResult>,
) -> Result<()> {
    send_to_sink(client, transfers, Payees::Registered, sink).await
}

/// [`Client::pay`] (registers the payees this client does not know, then sends), reading the
/// payouts from `transfers` a chunk at a time; see [`send`] for `sink` and errors.
pub async fn pay(
    client: &Client,
    transfers: &dyn Source<Transfer>,
    sink: Sink<'_, SendResult>,
) -> Result<()> {
    send_to_sink(client, transfers, Payees::ToRegister, sink).await
}

/// The engine with a sink that watches nothing: every chunk is sent, every result handed over.
async fn send_to_sink(
    client: &Client,
    transfers: &dyn Source<Transfer>,
    payees: Payees,
    sink: Sink<'_, SendResult>,
) -> Result<()> {
    let deliver = |first: usize, results: Vec<SendResult>, _observed: bool| {
        sink(first, results);
        ControlFlow::Continue(())
    };
    send_from(&client.inner, transfers, payees, &deliver)
        .await
        .map_err(|e| e.in_lang(client.inner.config.lang))
}

/// [`Client::add_contacts`], reading the contacts from `contacts` a chunk at a time. Errors as
/// its: an invalid contact (before any request), or a failed request, which fails the call
/// (contacts move no money; `sink` may have had the results of other requests by then).
pub async fn add_contacts(
    client: &Client,
    contacts: &dyn Source<Contact>,
    sink: Sink<'_, ContactResult>,
) -> Result<()> {
    add_contacts_from(&client.inner, contacts, sink)
        .await
        .map_err(|e| e.in_lang(client.inner.config.lang))
}

/// A slice as a [`Source`]: what the calls that take a slice read.
pub(crate) struct SliceSource<'a, T>(pub(crate) &'a [T]);

impl<T: Send + Sync> Source<T> for SliceSource<'_, T> {
    fn len(&self) -> usize {
        self.0.len()
    }

    fn read(&self, range: Range<usize>, each: &mut dyn FnMut(&T)) -> Result<()> {
        self.0[range].iter().for_each(each);
        Ok(())
    }
}

/// The results of a call that returns them all: one slot per position, filled chunk by chunk.
pub(crate) struct Slots<R>(Mutex<Vec<Option<R>>>);

impl<R: Clone> Slots<R> {
    pub(crate) fn new(len: usize) -> Self {
        Slots(Mutex::new(vec![None; len]))
    }

    pub(crate) fn fill(&self, first: usize, results: Vec<R>) {
        let mut slots = self.0.lock().expect("result slots poisoned");
        for (slot, result) in slots[first..].iter_mut().zip(results) {
            *slot = Some(result);
        }
    }

    pub(crate) fn into_vec(self) -> Vec<R> {
        let slots = self.0.into_inner().expect("result slots poisoned");
        slots
            .into_iter()
            .map(|slot| slot.expect("every position has a result"))
            .collect()
    }
}

/// How the engine hands a chunk's results over: `observed` is false for payouts that were not
/// sent because an observer stopped the call (the `_observed` calls do not show those).
pub(crate) type Deliver<'a> = &'a (dyn Fn(usize, Vec<SendResult>, bool) -> ControlFlow<Error> + Send + Sync);

/// Whether the payees are registered as contacts before sending (`pay`) or taken as they are.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Payees {
    Registered,
    ToRegister,
}

/// How many items one read of the first passes asks for (the source's lock is taken per read).
const READ_BATCH: usize = 1_000;

fn ranges(len: usize, size: usize) -> impl Iterator<Item = Range<usize>> {
    (0..len)
        .step_by(size.max(1))
        .map(move |start| start..(start + size).min(len))
}

/// A payee's key: calling code and national number, normalised.
type PayeeKey = (String, String);

/// What the first pass keeps of each payout.
struct Plan {
    /// The id each payout is sent under (given, or generated by the first pass).
    ids: Vec<String>,
    /// A fingerprint of each checked payout, to know it again when its chunk is read to be sent.
    fingerprints: Vec<u64>,
    /// Payees this client does not know yet (`pay` only).
    new_payees: HashSet<PayeeKey>,
}

fn fingerprint(t: &CheckedTransfer) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    t.hash(&mut hasher);
    hasher.finish()
}

/// The first pass: every payout checked, as [`validate::validate_transfers`] would judge the
/// list; the first fault is the error.
fn check_all(inner: &Inner, source: &dyn Source<Transfer>, payees: Payees) -> Result<Plan> {
    let len = source.len();
    if source.is_empty() {
        return Err(Error::invalid("transfers", None, Message::new("no-transfers")));
    }
    let limits = &inner.config.limits;
    let mut checker = TransferChecker::new(limits);
    let mut faults = Vec::new();
    let mut plan = Plan {
        ids: Vec::with_capacity(len),
        fingerprints: Vec::with_capacity(len),
        new_payees: HashSet::new(),
    };
    for range in ranges(len, READ_BATCH) {
        let mut index = range.start;
        let read = source.read(range.clone(), &mut |t| {
            if let Some(checked) = checker.check(index, t, &mut faults) {
                if payees == Payees::ToRegister {
                    let contact = validate::payee_contact(t, &checked);
                    validate::check_one_contact(index, &contact, limits, &mut faults);
                    plan.new_payees.insert((contact.prefix, contact.phone));
                }
                plan.fingerprints.push(fingerprint(&checked));
                plan.ids.push(checked.client_transaction_id);
            }
            index += 1;
        });
        read?;
        if let Some(fault) = faults.into_iter().next() {
            return Err(fault);
        }
        faults = Vec::new();
        if index < range.end {
            return Err(unreadable(index, "the list gave fewer items than its length"));
        }
    }
    let known = inner.known_contacts.lock().expect("contact set poisoned");
    plan.new_payees.retain(|payee| !known.contains(payee));
    drop(known);
    Ok(plan)
}

/// A payout of a chunk read to be sent: to send, or already settled without a request.
enum Slot {
    Send(CheckedTransfer),
    Done(SendResult),
}

/// Reads the payouts at `range` again, as the first pass saw them: those to send, and those that
/// fail unsent (their payee was refused as a contact, or they read differently now).
fn read_chunk(
    inner: &Inner,
    source: &dyn Source<Transfer>,
    plan: &Plan,
    refused: &HashMap<PayeeKey, Error>,
    range: Range<usize>,
) -> Vec<Slot> {
    let mut slots = Vec::with_capacity(range.len());
    let mut index = range.start;
    let read = source.read(range.clone(), &mut |t| {
        let mut faults = Vec::new();
        let checked = validate::check_one_transfer(
            index,
            t,
            &inner.config.limits,
            &mut faults,
            // Sent under the id the first pass gave it.
            || plan.ids[index].clone(),
        );
        let slot = match checked {
            Some(checked) => {
                if fingerprint(&checked) != plan.fingerprints[index] {
                    Slot::Done(result_of(&checked, SendOutcome::Failed, Some(changed(index))))
                } else if let Some(refusal) = refused.get(&(checked.prefix.clone(), checked.phone.clone())) {
                    Slot::Done(result_of(&checked, SendOutcome::Failed, Some(refusal.clone())))
                } else {
                    Slot::Send(checked)
                }
            }
            None => Slot::Done(unsent(plan, index, Some(t), changed(index))),
        };
        slots.push(slot);
        index += 1;
    });
    let why = read.err().unwrap_or_else(|| changed(index));
    for missing in index..range.end {
        slots.push(Slot::Done(unsent(plan, missing, None, why.clone())));
    }
    slots
}

/// The error of a payout that read differently when its chunk was sent: it was not sent.
fn changed(index: usize) -> Error {
    Error::invalid(
        "transfers",
        Some(index),
        Message::new("item-changed").count("index", index),
    )
}

/// The result of a payout not sent because its chunk could not read it as the first pass did.
fn unsent(plan: &Plan, index: usize, read: Option<&Transfer>, error: Error) -> SendResult {
    SendResult {
        client_transaction_id: plan.ids[index].clone(),
        prefix: read.map(|t| t.prefix.clone()).unwrap_or_default(),
        phone: read.map(|t| t.phone.clone()).unwrap_or_default(),
        amount: read.map_or(0, |t| t.amount),
        outcome: SendOutcome::Failed,
        transaction_id: None,
        lot: None,
        treatment_status: None,
        error: Some(error),
    }
}

/// The engine: checks every payout, registers the payees for `pay`, then sends chunk by chunk
/// (`chunk_size`, up to `max_concurrency` in flight), handing each chunk's final results to
/// `deliver` as it settles. When `deliver` breaks, chunks not started are not sent: their payouts
/// are handed over `failed` with its error, not observed. See [`crate::send`] for the rules of
/// each chunk.
pub(crate) async fn send_from(
    inner: &Inner,
    source: &dyn Source<Transfer>,
    payees: Payees,
    deliver: Deliver<'_>,
) -> Result<()> {
    let mut plan = check_all(inner, source, payees)?;
    let refused = match payees {
        Payees::ToRegister => register_payees(inner, source, std::mem::take(&mut plan.new_payees)).await?,
        Payees::Registered => HashMap::new(),
    };
    let len = source.len();
    let single_request = len <= inner.config.chunk_size;
    let stop: Mutex<Option<Error>> = Mutex::new(None);
    let single_outcome: Mutex<Result<()>> = Mutex::new(Ok(()));
    let (plan, refused, stop, outcome) = (&plan, &refused, &stop, &single_outcome);
    futures::stream::iter(ranges(len, inner.config.chunk_size))
        .map(|range| async move {
            let first = range.start;
            let slots = read_chunk(inner, source, plan, refused, range);
            let stopped = stop.lock().expect("stop poisoned").clone();
            if let Some(error) = stopped {
                let results: Vec<SendResult> = slots
                    .into_iter()
                    .map(|slot| match slot {
                        Slot::Send(t) => result_of(&t, SendOutcome::Failed, Some(error.clone())),
                        Slot::Done(result) => result,
                    })
                    .collect();
                let _ = deliver(first, results.localize(inner.config.lang), false);
                return;
            }
            let mut to_send = Vec::with_capacity(slots.len());
            let done: Vec<Option<SendResult>> = slots
                .into_iter()
                .map(|slot| match slot {
                    Slot::Send(t) => {
                        to_send.push(t);
                        None
                    }
                    Slot::Done(result) => Some(result),
                })
                .collect();
            let all_sent = to_send.len() == done.len();
            let report = send_chunk(inner, to_send).await;
            if single_request && all_sent {
                *outcome.lock().expect("outcome poisoned") = single_request_result(&report);
            }
            let mut sent = report.results.into_iter();
            let results: Vec<SendResult> = done
                .into_iter()
                .map(|done| done.unwrap_or_else(|| sent.next().expect("a result per payout sent")))
                .collect();
            // The sink reads the texts too: in the client's language, like the returned results.
            if let ControlFlow::Break(error) = deliver(first, results.localize(inner.config.lang), true) {
                stop.lock().expect("stop poisoned").get_or_insert(error);
            }
        })
        .buffer_unordered(inner.config.max_concurrency)
        .collect::<()>()
        .await;
    single_outcome.into_inner().expect("outcome poisoned")
}

/// `pay`'s second pass: registers the payees the first pass found unknown, in chunks read from
/// the source, before any payout is sent. Returns the refused ones, with why.
async fn register_payees(
    inner: &Inner,
    source: &dyn Source<Transfer>,
    wanted: HashSet<PayeeKey>,
) -> Result<HashMap<PayeeKey, Error>> {
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    let wanted = Mutex::new(wanted);
    let contacts_of = |range: Range<usize>| {
        let mut contacts = Vec::new();
        let mut index = range.start;
        let mut wanted = wanted.lock().expect("payee set poisoned");
        // A payout that no longer reads as checked is not sent (its chunk sees it): skip it.
        let _ = source.read(range, &mut |t| {
            let mut faults = Vec::new();
            let limits = &inner.config.limits;
            let no_id = String::new; // only the payee counts here
            if let Some(checked) = validate::check_one_transfer(index, t, limits, &mut faults, no_id) {
                if wanted.remove(&(checked.prefix.clone(), checked.phone.clone())) {
                    contacts.push(validate::payee_contact(t, &checked));
                }
            }
            index += 1;
        });
        futures::stream::iter(contacts)
    };
    let results: Vec<Vec<ContactResult>> = futures::stream::iter(ranges(source.len(), READ_BATCH))
        .map(contacts_of)
        .flatten()
        .chunks(inner.config.chunk_size)
        .map(|chunk| async move { inner.add_contact_chunk(&chunk).await })
        .buffer_unordered(inner.config.max_concurrency)
        .try_collect()
        .await?;
    let mut refused = HashMap::new();
    let mut known = inner.known_contacts.lock().expect("contact set poisoned");
    for r in results.into_iter().flatten() {
        let key = (r.prefix.clone(), r.phone.clone());
        if r.added {
            known.insert(key);
        } else {
            let error = r
                .error
                .unwrap_or_else(|| Error::from_api(r.code, None, None, None));
            refused.insert(key, error);
        }
    }
    Ok(refused)
}

/// `add_contacts`: every contact checked first, then sent chunk by chunk, each read again.
pub(crate) async fn add_contacts_from(
    inner: &Inner,
    source: &dyn Source<Contact>,
    sink: Sink<'_, ContactResult>,
) -> Result<()> {
    let len = source.len();
    if source.is_empty() {
        return Err(Error::invalid("contacts", None, Message::new("no-contacts")));
    }
    let limits = &inner.config.limits;
    for range in ranges(len, READ_BATCH) {
        read_contacts(source, range, limits)?;
    }
    futures::stream::iter(ranges(len, inner.config.chunk_size))
        .map(|range| async move {
            let first = range.start;
            let chunk = read_contacts(source, range, limits)?;
            let mut results = inner.add_contact_chunk(&chunk).await?;
            let mut known = inner.known_contacts.lock().expect("contact set poisoned");
            for (k, result) in results.iter_mut().enumerate() {
                result.error = result.error.take().map(|e| e.with_index(first + k));
                if result.added {
                    known.insert((result.prefix.clone(), result.phone.clone()));
                }
            }
            drop(known);
            sink(first, results.localize(inner.config.lang));
            Ok(())
        })
        .buffer_unordered(inner.config.max_concurrency)
        .try_collect::<()>()
        .await
}

/// The contacts at `range`, checked; the first fault (or an unreadable item) is the error.
fn read_contacts(
    source: &dyn Source<Contact>,
    range: Range<usize>,
    limits: &crate::limits::Limits,
) -> Result<Vec<Contact>> {
    let mut checked = Vec::with_capacity(range.len());
    let mut faults = Vec::new();
    let mut index = range.start;
    source
        .read(range.clone(), &mut |c| {
            if let Some(contact) = validate::check_one_contact(index, c, limits, &mut faults) {
                checked.push(contact);
            }
            index += 1;
        })
        .map_err(in_contacts)?;
    if let Some(fault) = faults.into_iter().next() {
        return Err(fault);
    }
    if index < range.end {
        return Err(in_contacts(unreadable(
            index,
            "the list gave fewer items than its length",
        )));
    }
    Ok(checked)
}

/// An item of a contact list that could not be read names the list it is in (`unreadable`
/// names the payouts' list, `transfers`).
fn in_contacts(mut error: Error) -> Error {
    if error.field() == Some("transfers") {
        error.set_field("contacts");
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_every_position_once_in_order() {
        for (len, size) in [(0_usize, 3_usize), (1, 3), (3, 3), (7, 3), (7, 1), (5, 50)] {
            let ranges: Vec<Range<usize>> = ranges(len, size).collect();
            assert!(
                ranges.iter().all(|r| !r.is_empty() && r.len() <= size),
                "{len}/{size}: {ranges:?}"
            );
            assert_eq!(ranges.len(), len.div_ceil(size), "{len}/{size}");
            let positions: Vec<usize> = ranges.into_iter().flatten().collect();
            assert_eq!(positions, (0..len).collect::<Vec<usize>>(), "{len}/{size}");
        }
    }
}
