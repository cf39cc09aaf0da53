//! The caller's JS array as the core's streaming [`Source`], and each chunk's results handed back
//! as it settles (issue 13, item 4: one call of 100,000 holds only the chunks in flight).
//!
//! Converting the whole array into a Rust `Vec` before the call cost about 0.56 s of the JS thread
//! for 100,000 contacts and 100,000 payouts, and the core then held every payout for the whole
//! call. Here the array stays on the JS thread and the core reads it a range at a time
//! ([`cinetpay_transfer::streaming`]): checks in batches of 1,000, then each chunk as it is sent.
//!
//! - Reading: `list(start, end, exact, null)` is a JS function called through a
//!   [`ThreadsafeFunction`] from the runtime thread that drives the call, which waits for its
//!   answer (the read is synchronous in the core) in `block_in_place`, so that a busy JS thread
//!   holds no worker that other calls need. The JS thread never waits on the runtime: no deadlock.
//!   JS answers with the items' fields as one flat JSON array (`[prefix, phone, amount, ...,
//!   prefix, phone, amount, ...]`, property reads and `JSON.stringify` are native speed in V8,
//!   reads through napi are not), parsed here with serde into rows ([`Row`]).
//! - Reading ahead: the core reads a pass in order, one range after the other, so each read
//!   also asks JS for the range that follows it, of the same length, and the next read takes that
//!   answer if it is for the same range (else it is dropped). JS writes the next rows while this
//!   side parses and checks, or sends, the current ones; the task that drives the call (and with it
//!   every request in flight) no longer waits for the JS thread, busy storing results or
//!   collecting garbage, at every chunk. The cost: one range more read at a time (one chunk while
//!   sending, 1,000 items during the checks), and one range read for nothing when a call stops
//!   early.
//! - Exactly as before: a range whose rows do not parse (an item that is not an object, a
//!   number that JSON writes as `null`) is read again with `exact`: JS hands the items to
//!   [`transfer_rows`] / [`contact_rows`], napi's conversion of the items as it always was. What
//!   that throws (the same error, type and message as before) JS keeps, answers `null`, and the
//!   call fails before any request with [`streaming::unreadable`] at the range's start, which
//!   `ts/index.ts` replaces with the error it kept.
//! - Results: each chunk's results go to `list(first, end, false, json)` as the chunk settles: one
//!   non-blocking call with one flat JSON array of the chunk's results: the values of each
//!   result's fields in the order of the napi object's keys, result after result ([`Fields`]),
//!   from which `ts/lists.ts` builds the same objects (keys, `null`s) and stores them by position.
//!   V8's `JSON.parse` of objects looks every key up in its string table; an object literal does
//!   not: 25% less time on the JS thread than the array of objects. Reads and results go
//!   through the one function, hence one queue: they reach the JS thread in the order they were
//!   sent, so the results of a chunk are stored before the read ahead that the read of the chunk
//!   taking its place asks for: at most one chunk more than those in flight is read ahead of its
//!   results.

use std::marker::PhantomData;
use std::ops::Range;
use std::sync::{mpsc, Mutex};

use cinetpay_transfer as core;
use cinetpay_transfer::streaming::{self, Source};
use napi::bindgen_prelude::FnArgs;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::Status;
use napi_derive::napi;
use serde::de::{self, SeqAccess, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::errors::js;
use crate::types::{whole, Contact, ContactResult, SendResult, Transfer};

/// `list(start, end, exact, results)`, `ListCallback` in `src/dts-header.d.ts`: with `results`
/// `null`, the rows of the items at `start..end` (`null` when their exact reading threw: JS keeps
/// the error); otherwise stores the results of the items at `start..end`. Both as one flat JSON
/// array of fields.
pub type List = ThreadsafeFunction<Args, Option<String>, Args, Status, false>;

type Args = FnArgs<(u32, u32, bool, Option<String>)>;

/// One item as the values of its fields in a range's flat JSON array (`[prefix, phone, ...,
/// prefix, phone, ...]`: one packed array per range, not one per item in the holey array that
/// `map` makes, is 15-25% less work for `JSON.stringify`), and the core item it stands for.
pub trait Row: Fields + Sized {
    /// The core's item.
    type Item;

    /// The next row of a flat array, `None` at its end.
    fn next<'de, A: SeqAccess<'de>>(values: &mut A) -> Result<Option<Self>, A::Error>;

    /// The core's item; `index` is the item's position, named in an error.
    fn item(self, index: usize) -> core::Result<Self::Item>;
}

/// The next value of a row that has begun.
fn value<'de, A: SeqAccess<'de>, T: Deserialize<'de>>(values: &mut A) -> Result<T, A::Error> {
    values
        .next_element()?
        .ok_or_else(|| de::Error::custom("the array ends inside a row"))
}

/// The rows of a range, from its flat JSON array.
struct Rows<R>(Vec<R>);

impl<'de, R: Row> Deserialize<'de> for Rows<R> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Flat<R>(PhantomData<R>);
        impl<'de, R: Row> Visitor<'de> for Flat<R> {
            type Value = Rows<R>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an array of rows' values")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut values: A) -> Result<Rows<R>, A::Error> {
                let mut rows = Vec::new();
                while let Some(row) = R::next(&mut values)? {
                    rows.push(row);
                }
                Ok(Rows(rows))
            }
        }
        deserializer.deserialize_seq(Flat(PhantomData))
    }
}

/// A payout: `prefix, phone, amount, notifyUrl, clientTransactionId, paymentMethod, name,
/// surname, email` (the order of `transferRow` in `ts/lists.ts`).
pub struct TransferRow(
    Option<String>,
    String,
    f64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

impl Fields for TransferRow {
    fn fields<S: SerializeSeq>(&self, seq: &mut S) -> Result<(), S::Error> {
        let TransferRow(prefix, phone, amount, notify_url, id, method, name, surname, email) = self;
        seq.serialize_element(prefix)?;
        seq.serialize_element(phone)?;
        seq.serialize_element(amount)?;
        seq.serialize_element(notify_url)?;
        seq.serialize_element(id)?;
        seq.serialize_element(method)?;
        seq.serialize_element(name)?;
        seq.serialize_element(surname)?;
        seq.serialize_element(email)
    }
}

impl Row for TransferRow {
    type Item = core::Transfer;

    fn next<'de, A: SeqAccess<'de>>(values: &mut A) -> Result<Option<Self>, A::Error> {
        let Some(prefix) = values.next_element()? else {
            return Ok(None);
        };
        // Arguments are evaluated left to right: the values in their order.
        Ok(Some(TransferRow(
            prefix,
            value(values)?,
            value(values)?,
            value(values)?,
            value(values)?,
            value(values)?,
            value(values)?,
            value(values)?,
            value(values)?,
        )))
    }

    fn item(self, index: usize) -> core::Result<core::Transfer> {
        let TransferRow(prefix, phone, amount, notify_url, id, method, name, surname, email) = self;
        Ok(core::Transfer {
            prefix: prefix.unwrap_or_default(),
            phone,
            amount: whole(amount, "amount", Some(index))?,
            notify_url,
            client_transaction_id: id,
            payment_method: method,
            name,
            surname,
            email,
        })
    }
}

/// A contact: `prefix, phone, name, surname, email` (`contactRow` in `ts/lists.ts`).
pub struct ContactRow(Option<String>, String, String, String, Option<String>);

impl Fields for ContactRow {
    fn fields<S: SerializeSeq>(&self, seq: &mut S) -> Result<(), S::Error> {
        let ContactRow(prefix, phone, name, surname, email) = self;
        seq.serialize_element(prefix)?;
        seq.serialize_element(phone)?;
        seq.serialize_element(name)?;
        seq.serialize_element(surname)?;
        seq.serialize_element(email)
    }
}

impl Row for ContactRow {
    type Item = core::Contact;

    fn next<'de, A: SeqAccess<'de>>(values: &mut A) -> Result<Option<Self>, A::Error> {
        let Some(prefix) = values.next_element()? else {
            return Ok(None);
        };
        Ok(Some(ContactRow(
            prefix,
            value(values)?,
            value(values)?,
            value(values)?,
            value(values)?,
        )))
    }

    fn item(self, _index: usize) -> core::Result<core::Contact> {
        let ContactRow(prefix, phone, name, surname, email) = self;
        Ok(core::Contact::from(Contact {
            prefix,
            phone,
            name,
            surname,
            email,
        }))
    }
}

/// JS's answer to one read, on its way: the JSON rows, `None` when JS could not give them.
type Answer = mpsc::Receiver<Option<String>>;

/// A result or a row as the values of its fields, in the order of its keys (the order in which
/// `sendResults` and `contactResults` of `ts/lists.ts` read results back).
pub trait Fields {
    fn fields<S: SerializeSeq>(&self, seq: &mut S) -> Result<(), S::Error>;
}

impl Fields for SendResult {
    fn fields<S: SerializeSeq>(&self, seq: &mut S) -> Result<(), S::Error> {
        seq.serialize_element(&self.client_transaction_id)?;
        seq.serialize_element(&self.prefix)?;
        seq.serialize_element(&self.phone)?;
        seq.serialize_element(&self.amount)?;
        seq.serialize_element(&self.outcome)?;
        seq.serialize_element(&self.transaction_id)?;
        seq.serialize_element(&self.lot)?;
        seq.serialize_element(&self.treatment_status)?;
        seq.serialize_element(&self.error)
    }
}

impl Fields for ContactResult {
    fn fields<S: SerializeSeq>(&self, seq: &mut S) -> Result<(), S::Error> {
        seq.serialize_element(&self.prefix)?;
        seq.serialize_element(&self.phone)?;
        seq.serialize_element(&self.added)?;
        seq.serialize_element(&self.already_existed)?;
        seq.serialize_element(&self.code)?;
        seq.serialize_element(&self.lot)?;
        seq.serialize_element(&self.error)
    }
}

/// Results or rows as one flat JSON array: the fields of the first, then of the second, ...
struct Flat<'a, J>(&'a [J]);

impl<J: Fields> Serialize for Flat<'_, J> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for result in self.0 {
            result.fields(&mut seq)?;
        }
        seq.end()
    }
}

/// The caller's array, read and given the results through `list` (see the module docs).
pub struct JsList<R> {
    len: usize,
    list: List,
    /// The range asked for ahead of the core's next read, and its answer.
    ahead: Mutex<Option<(Range<usize>, Answer)>>,
    rows: PhantomData<fn() -> R>,
}

impl<R: Row> JsList<R> {
    pub fn new(len: u32, list: List) -> Self {
        JsList {
            len: len as usize,
            list,
            ahead: Mutex::new(None),
            rows: PhantomData,
        }
    }

    /// The call's sink: each chunk's results (`J`, the napi result) as one flat JSON array (see
    /// the module docs), handed over without waiting.
    pub fn sink<C, J: Fields + From<C>>(&self) -> impl Fn(usize, Vec<C>) + Send + Sync + '_ {
        move |first, results| {
            let end = (first + results.len()) as u32;
            let results: Vec<J> = results.into_iter().map(J::from).collect();
            // Serializing these strings, numbers and options cannot fail.
            let json = serde_json::to_string(&Flat(&results)).expect("results encode as JSON");
            let args = FnArgs::from((first as u32, end, false, Some(json)));
            self.list.call(args, ThreadsafeFunctionCallMode::NonBlocking);
        }
    }

    /// Asks JS for the rows at `range`, `exact` or not, without waiting; `None` when the call
    /// cannot be queued (the list is gone).
    fn ask(&self, range: &Range<usize>, exact: bool) -> Option<Answer> {
        let (answer, answered) = mpsc::sync_channel(1);
        let args = FnArgs::from((range.start as u32, range.end as u32, exact, None));
        let status = self.list.call_with_return_value(
            args,
            ThreadsafeFunctionCallMode::NonBlocking,
            move |text: napi::Result<Option<String>>, _| {
                // The receiver is gone when a read ahead was not wanted after all.
                let _ = answer.send(text.ok().flatten());
                Ok(())
            },
        );
        (status == Status::Ok).then_some(answered)
    }

    /// The rows of an answer; `None` when JS could not give them or they do not parse. An answer
    /// already there (a read ahead, mostly) is taken without handing this worker's tasks over.
    fn parse(answered: Answer) -> Option<Vec<R>> {
        let text = match answered.try_recv() {
            Ok(text) => text,
            Err(mpsc::TryRecvError::Empty) => blocking(|| answered.recv().ok().flatten()),
            Err(mpsc::TryRecvError::Disconnected) => None,
        }?;
        serde_json::from_str(&text).ok().map(|Rows(rows)| rows)
    }

    /// The rows at `range` (not exact), from the answer asked ahead when it is for this range;
    /// asks for the range after it before waiting (see the module docs).
    fn rows_reading_ahead(&self, range: &Range<usize>) -> Option<Vec<R>> {
        let mut ahead = self.ahead.lock().expect("read-ahead poisoned");
        let asked = match ahead.take() {
            Some((next, answer)) if next == *range => Some(answer),
            _ => self.ask(range, false),
        };
        let next = range.end..(range.end + range.len()).min(self.len);
        if !next.is_empty() {
            *ahead = self.ask(&next, false).map(|answer| (next, answer));
        }
        drop(ahead);
        Self::parse(asked?)
    }
}

/// Runs `wait`, which blocks this runtime thread until the JS thread answers (the JS thread never
/// waits on the runtime). On napi's multi-thread runtime the worker's other tasks move to another
/// thread meanwhile (`block_in_place`), so a busy JS thread does not stall other calls' requests.
fn blocking<U>(wait: impl FnOnce() -> U) -> U {
    use napi::tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current() {
        Ok(runtime) if runtime.runtime_flavor() == RuntimeFlavor::MultiThread => {
            napi::tokio::task::block_in_place(wait)
        }
        _ => wait(),
    }
}

impl<R: Row> Source<R::Item> for JsList<R> {
    fn len(&self) -> usize {
        self.len
    }

    fn read(&self, range: Range<usize>, each: &mut dyn FnMut(&R::Item)) -> core::Result<()> {
        let rows = self
            .rows_reading_ahead(&range)
            .or_else(|| Self::parse(self.ask(&range, true)?))
            .ok_or_else(|| streaming::unreadable(range.start, "the JavaScript list could not read it"))?;
        // Every item of the range converted before any is handed over, as the whole list was.
        let items = rows
            .into_iter()
            .enumerate()
            .map(|(k, row)| row.item(range.start + k))
            .collect::<core::Result<Vec<R::Item>>>()?;
        items.iter().for_each(each);
        Ok(())
    }
}

/// The exact reading of payouts (internal to `ts/index.ts`): napi's conversion, then whole
/// amounts, as the rows `read` answers; throws what a list of them always threw.
#[napi]
pub fn transfer_rows(transfers: Vec<Transfer>, first: u32) -> napi::Result<String> {
    let rows = transfers
        .into_iter()
        .enumerate()
        .map(|(k, t)| {
            let t = js(t.into_core(first as usize + k))?;
            Ok(TransferRow(
                Some(t.prefix),
                t.phone,
                t.amount as f64,
                t.notify_url,
                t.client_transaction_id,
                t.payment_method,
                t.name,
                t.surname,
                t.email,
            ))
        })
        .collect::<napi::Result<Vec<TransferRow>>>()?;
    Ok(serde_json::to_string(&Flat(&rows)).expect("rows encode as JSON"))
}

/// The exact reading of contacts (internal to `ts/index.ts`): napi's conversion, as rows.
#[napi]
pub fn contact_rows(contacts: Vec<Contact>) -> String {
    let rows: Vec<ContactRow> = contacts
        .into_iter()
        .map(|c| ContactRow(c.prefix, c.phone, c.name, c.surname, c.email))
        .collect();
    serde_json::to_string(&Flat(&rows)).expect("rows encode as JSON")
}
