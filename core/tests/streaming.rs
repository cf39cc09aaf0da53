//! `cinetpay_transfer::streaming` against the sandbox: a call reads its payouts a chunk at a time
//! and hands results over as chunks settle, holding only the chunks in flight, and keeps every
//! rule of `send` and `pay`: all checked before anything leaves, generated ids kept, and a payout
//! that reads differently when its chunk is sent is not sent.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use cinetpay_transfer::streaming::{self, Source};
use cinetpay_transfer::{Client, Contact, ErrorKind, SendOutcome, SendResult, Transfer};
use proptest::prelude::*;

mod sandboxed;

use sandboxed::sandbox_and_client;

fn payout(i: usize, with_id: bool) -> Transfer {
    let t = Transfer::new(
        "225",
        &format!("07{:08}", 10_000_000 + i * 37),
        1_000,
        "http://127.0.0.1:9/notify",
    );
    if with_id {
        t.client_transaction_id(format!("stream-{i}"))
    } else {
        t
    }
}

/// A list read through the streaming API that records how it is read: how often each position,
/// and the most chunks read to be sent but not yet handed back at once.
struct Recorded {
    items: Vec<Transfer>,
    /// Position whose item reads differently from the given read on (counting reads of it).
    changes: Option<(usize, usize)>,
    reads_of: Mutex<HashMap<usize, usize>>,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
    /// Which read of a position is the one that sends it: 2 for `send` (checks, send), 3 for
    /// `pay` (checks, payees, send).
    send_read: usize,
}

impl Recorded {
    fn new(items: Vec<Transfer>, send_read: usize) -> Self {
        Recorded {
            items,
            changes: None,
            reads_of: Mutex::new(HashMap::new()),
            in_flight: AtomicUsize::new(0),
            most_in_flight: AtomicUsize::new(0),
            send_read,
        }
    }

    /// The sink: one chunk fewer in flight, its results kept by position.
    fn handed_back(&self, results: &Mutex<Vec<Option<SendResult>>>, first: usize, chunk: Vec<SendResult>) {
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        let mut results = results.lock().unwrap();
        for (k, result) in chunk.into_iter().enumerate() {
            assert!(
                results[first + k].is_none(),
                "position {} handed back twice",
                first + k
            );
            results[first + k] = Some(result);
        }
    }
}

impl Source<Transfer> for Recorded {
    fn len(&self) -> usize {
        self.items.len()
    }

    fn read(&self, range: Range<usize>, each: &mut dyn FnMut(&Transfer)) -> cinetpay_transfer::Result<()> {
        let earlier_reads = self
            .reads_of
            .lock()
            .unwrap()
            .get(&range.start)
            .copied()
            .unwrap_or(0);
        if earlier_reads + 1 == self.send_read {
            let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            self.most_in_flight.fetch_max(now, Ordering::SeqCst);
        }
        for i in range {
            let reads = {
                let mut reads_of = self.reads_of.lock().unwrap();
                let n = reads_of.entry(i).or_default();
                *n += 1;
                *n
            };
            match self.changes {
                Some((changed, from_read)) if changed == i && reads >= from_read => {
                    let mut other = self.items[i].clone();
                    other.amount += 500;
                    each(&other);
                }
                _ => each(&self.items[i]),
            }
        }
        Ok(())
    }
}

/// Registers the payees, so that `send` (which does not) can pay them.
async fn register(client: &Client, payouts: &[Transfer]) {
    let contacts: Vec<Contact> = payouts
        .iter()
        .map(|t| Contact {
            prefix: t.prefix.clone(),
            phone: t.phone.clone(),
            name: "Awa".into(),
            surname: "Kone".into(),
            email: String::new(),
        })
        .collect();
    assert!(client
        .add_contacts(&contacts)
        .await
        .unwrap()
        .iter()
        .all(|r| r.added));
}

fn all(results: Mutex<Vec<Option<SendResult>>>) -> Vec<SendResult> {
    results
        .into_inner()
        .unwrap()
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.unwrap_or_else(|| panic!("position {i} never handed back")))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Any length, chunk size and concurrency: each payout paid once, its result at its position,
    /// generated ids the ones the service holds, and never more chunks held than requests in flight.
    #[test]
    fn a_streamed_call_pays_each_once_holding_only_the_chunks_in_flight(
        len in 1_usize..400,
        chunk_size in 1_usize..60,
        max_concurrency in 1_usize..6,
        with_ids in any::<bool>(),
        pay in any::<bool>(),
    ) {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            let (sandbox, client) = sandbox_and_client(chunk_size, max_concurrency).await;
            let source = Recorded::new((0..len).map(|i| payout(i, with_ids)).collect(), if pay { 3 } else { 2 });
            let results = Mutex::new(vec![None; len]);
            let sink = |first: usize, chunk: Vec<SendResult>| source.handed_back(&results, first, chunk);
            if pay {
                streaming::pay(&client, &source, &sink).await.unwrap();
            } else {
                register(&client, &source.items).await;
                streaming::send(&client, &source, &sink).await.unwrap();
            }
            let results = all(results);
            let ledger = sandbox.ledger();
            prop_assert_eq!(ledger.len(), len, "every payout paid, none twice");
            let paid: HashMap<&str, u64> = ledger.iter().map(|e| (e.client_transaction_id.as_str(), e.amount)).collect();
            for (i, result) in results.iter().enumerate() {
                prop_assert_eq!(result.outcome, SendOutcome::Accepted, "position {}", i);
                prop_assert_eq!(paid.get(result.client_transaction_id.as_str()), Some(&1_000));
                prop_assert_eq!(&result.phone, &source.items[i].phone);
            }
            let most = source.most_in_flight.load(Ordering::SeqCst);
            prop_assert!(most <= max_concurrency, "{} chunks held at once, {} requests in flight", most, max_concurrency);
            Ok(())
        })?;
    }
}

#[tokio::test]
async fn a_payout_that_changes_during_the_call_is_not_sent() {
    let (sandbox, client) = sandbox_and_client(10, 2).await;
    let mut source = Recorded::new((0..35).map(|i| payout(i, true)).collect(), 2);
    // Position 23 reads as checked by the first pass, then with another amount when sent.
    source.changes = Some((23, 2));
    register(&client, &source.items).await;
    let results = Mutex::new(vec![None; 35]);
    let sink = |first: usize, chunk: Vec<SendResult>| source.handed_back(&results, first, chunk);
    streaming::send(&client, &source, &sink).await.unwrap();
    let results = all(results);
    let changed = &results[23];
    assert_eq!(changed.outcome, SendOutcome::Failed);
    let error = changed.error.as_ref().unwrap();
    assert_eq!((error.kind(), error.index()), (ErrorKind::Validation, Some(23)));
    assert!(error.to_string().contains("not sent"), "{error}");
    let ledger = sandbox.ledger();
    assert_eq!(ledger.len(), 34);
    assert!(ledger.iter().all(|e| e.client_transaction_id != "stream-23"));
    assert_eq!(
        results
            .iter()
            .filter(|r| r.outcome == SendOutcome::Accepted)
            .count(),
        34
    );
}

#[tokio::test]
async fn an_invalid_or_unreadable_item_stops_the_call_before_any_request() {
    let (sandbox, client) = sandbox_and_client(10, 2).await;
    let mut items: Vec<Transfer> = (0..30).map(|i| payout(i, true)).collect();
    items[27].amount = -5;
    let source = Recorded::new(items, 2);
    let sink = |_: usize, _: Vec<SendResult>| panic!("nothing is handed back");
    let error = streaming::send(&client, &source, &sink).await.unwrap_err();
    assert_eq!((error.field(), error.index()), (Some("amount"), Some(27)));

    struct Unreadable;
    impl Source<Transfer> for Unreadable {
        fn len(&self) -> usize {
            3
        }
        fn read(
            &self,
            range: Range<usize>,
            each: &mut dyn FnMut(&Transfer),
        ) -> cinetpay_transfer::Result<()> {
            for i in range {
                if i == 2 {
                    return Err(streaming::unreadable(i, "expected a Transfer, got int"));
                }
                each(&payout(i, true));
            }
            Ok(())
        }
    }
    let error = streaming::pay(&client, &Unreadable, &sink).await.unwrap_err();
    assert_eq!(error.index(), Some(2));
    assert!(
        error.to_string().contains("expected a Transfer, got int"),
        "{error}"
    );
    assert!(sandbox.ledger().is_empty());
    assert_eq!(sandbox.requests().received, 0, "no request left");
}

/// An unreadable contact names the list it is in: `contacts`, not the payouts' `transfers`.
#[tokio::test]
async fn an_unreadable_contact_names_the_contacts() {
    let (sandbox, client) = sandbox_and_client(10, 2).await;
    struct Unreadable;
    impl Source<Contact> for Unreadable {
        fn len(&self) -> usize {
            3
        }
        fn read(&self, range: Range<usize>, _: &mut dyn FnMut(&Contact)) -> cinetpay_transfer::Result<()> {
            Err(streaming::unreadable(range.start, "expected a Contact, got int"))
        }
    }
    let sink = |_: usize, _: Vec<cinetpay_transfer::ContactResult>| panic!("nothing is handed back");
    let error = streaming::add_contacts(&client, &Unreadable, &sink)
        .await
        .unwrap_err();
    assert_eq!((error.field(), error.index()), (Some("contacts"), Some(0)));
    assert_eq!(sandbox.requests().received, 0, "no request left");
}

#[tokio::test]
async fn contacts_stream_in_chunks_with_their_positions() {
    let (_sandbox, client) = sandbox_and_client(7, 3).await;
    let contacts: Vec<Contact> = (0..40)
        .map(|i| Contact {
            prefix: "225".into(),
            phone: format!("07{:08}", 20_000_000 + i),
            name: "Awa".into(),
            surname: "Kone".into(),
            email: String::new(),
        })
        .collect();
    struct Contacts(Vec<Contact>);
    impl Source<Contact> for Contacts {
        fn len(&self) -> usize {
            self.0.len()
        }
        fn read(&self, range: Range<usize>, each: &mut dyn FnMut(&Contact)) -> cinetpay_transfer::Result<()> {
            self.0[range].iter().for_each(each);
            Ok(())
        }
    }
    let results = Mutex::new(vec![None; 40]);
    let sink = |first: usize, chunk: Vec<cinetpay_transfer::ContactResult>| {
        let mut results = results.lock().unwrap();
        for (k, r) in chunk.into_iter().enumerate() {
            results[first + k] = Some(r);
        }
    };
    streaming::add_contacts(&client, &Contacts(contacts.clone()), &sink)
        .await
        .unwrap();
    for (i, r) in results.into_inner().unwrap().into_iter().enumerate() {
        let r = r.unwrap();
        assert!(r.added, "{r:?}");
        assert_eq!(r.phone, contacts[i].phone);
    }
}
