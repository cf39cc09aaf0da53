//! Sending a run's rows, a window at a time: each window's rows marked `sending` (one committed
//! transaction) before its first request leaves, then one call of the core's `pay_observed` for
//! the window, each chunk's results committed to the journal once it settles (with the results
//! of the next few milliseconds, `journal_thread.rs`); and the decision of
//! whether a failure ends the run.
//!
//! Windows keep memory and the work per chunk bounded whatever the file's size: the rows to send
//! are read from the journal, which holds each row's payout and payee (the file is not read
//! again), in rowid order; a window holds a few chunks per request in flight, so requests keep
//! flowing and only two windows' transfers are in memory; each chunk updates its own rows by id,
//! and the progress bar's totals are kept by moving each row from its old state to its new one,
//! never by reading the journal again. The journal's work runs on its own thread
//! (`journal_thread.rs`): the next window is read and marked while the current one is in flight.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::Mutex;

use cinetpay_transfer::{ErrorKind, SendOutcome, SendResult};

use crate::exit::{describe, CliError};
use crate::journal::{Change, Journal, RowState};
use crate::progress::Progress;
use crate::session::Session;
use crate::summary::Totals;
use crate::tracking::state_of;

use super::journal_thread::{checkpoint, JournalThread, Window};
use crate::i18n::{t, text};

/// The reason recorded for a row whose outcome the core could not tell (the request-level error,
/// printed once, says why).
fn unknown_reason() -> String {
    t!("unknown-reason")
}

/// Chunks per request in flight in one window: enough that the pause between windows (the last
/// requests of one finishing before the next starts) is a small part of each. Two windows are in
/// memory at once (the next one is read while this one is sent), as many rows as one window of
/// 64 before (issue 13: peak RSS under 50 MB on 100,000 rows).
const CHUNKS_PER_WINDOW_PER_REQUEST: usize = 32;

/// What the run's windows share: the journal's thread, the running totals, the progress bar.
struct Sender<'a> {
    session: &'a Session,
    journal: &'a JournalThread,
    progress: &'a Progress,
    totals: Totals,
    /// Rows handled so far (for the progress bar).
    done: u64,
}

/// Sends every row still to send, a window at a time, recording each chunk as it settles.
/// Returns the journal, and the failure that ended the run early (one about the account or the
/// service), if any.
pub(super) async fn send_rows(
    session: &Session,
    journal: Journal,
    progress: &Progress,
) -> Result<(Journal, Option<cinetpay_transfer::Error>), CliError> {
    let tallies = journal.tallies()?.all;
    let totals = Totals::of_tallies(&tallies);
    let to_send: u64 = tallies
        .iter()
        .filter(|(state, ..)| state.to_send())
        .map(|&(_, count, _)| count)
        .sum();
    progress.phase(crate::progress::Phase::Sending, to_send);
    if to_send == 0 {
        // No journal's thread: the checkpoint a start defers is done here (a start whose rows
        // CinetPay all held already), or the log would grow until the end of the wait.
        let mut journal = journal;
        checkpoint(&mut journal);
        return Ok((journal, None));
    }
    let config = session.client.config();
    let window_size = config.chunk_size * config.max_concurrency * CHUNKS_PER_WINDOW_PER_REQUEST;
    let thread = JournalThread::start(journal, window_size);
    let mut sender = Sender {
        session,
        journal: &thread,
        progress,
        totals,
        done: 0,
    };
    let stopped = sender.send_all().await;
    let journal = thread.finish().await;
    stopped.map(|stop| (journal, stop))
}

impl Sender<'_> {
    /// Sends window after window, the next one read and marked while the current one is in
    /// flight.
    async fn send_all(&mut self) -> Result<Option<cinetpay_transfer::Error>, CliError> {
        let mut next = Box::pin(self.journal.next_window());
        while let Some(window) = next.await? {
            self.marked(&window);
            next = Box::pin(self.journal.next_window());
            let sent = self.send(window).await;
            if !matches!(sent, Ok(None)) {
                // The run stops: the next window, marked but never sent, goes back as it was.
                if let Ok(Some(unsent)) = next.await {
                    self.unmark(&unsent).await?;
                }
                return sent;
            }
        }
        Ok(None)
    }

    /// Moves a window's rows to `sending` in the totals (the journal's thread marked them).
    fn marked(&mut self, window: &Window) {
        for r in &window.rows {
            self.totals.shift(r.state, RowState::Sending, r.amount);
        }
    }

    /// Puts the rows of a window marked but never sent back in the state they had.
    async fn unmark(&mut self, window: &Window) -> Result<(), CliError> {
        let back: Vec<Change> = window
            .rows
            .iter()
            .map(|r| Change {
                error: r.error.clone(),
                row: Some(r.rowid),
                ..Change::state(&r.client_transaction_id, r.state)
            })
            .collect();
        self.journal.apply(back).await?;
        for r in &window.rows {
            self.totals.shift(RowState::Sending, r.state, r.amount);
        }
        Ok(())
    }

    /// Records changes of rows of the window being sent (committed when this returns, after
    /// every result recorded before), and moves them from `sending` in the totals.
    async fn apply(&mut self, mut changes: Vec<Change>, window: &WindowRows<'_>) -> Result<(), CliError> {
        for c in &mut changes {
            place(&mut self.totals, window, c);
        }
        self.journal.apply(changes).await
    }

    /// Sends one window, whose rows are `sending` already, in one call of the core's
    /// `pay_observed`.
    async fn send(&mut self, window: Window) -> Result<Option<cinetpay_transfer::Error>, CliError> {
        let Window { rows, transfers } = window;
        // Whether rows of earlier windows were sent: then a refusal of this one is no longer
        // "nothing sent" (exit 2), but a stop with the run's summary.
        let sent_before = self.done > 0;
        let sending: WindowRows<'_> = rows
            .iter()
            .enumerate()
            .map(|(at, r)| {
                let row = WindowRow {
                    at,
                    rowid: r.rowid,
                    amount: r.amount,
                };
                (r.client_transaction_id.as_str(), row)
            })
            .collect();

        let client = &self.session.client;
        let recorder = Mutex::new(Recorder {
            sender: &mut *self,
            window: &sending,
            observed: vec![false; rows.len()],
            accepted: vec![false; rows.len()],
        });
        // Records the chunk, then stops the call from starting more requests when the chunk
        // failed in a way the next requests would too (or the journal cannot record them).
        let on_chunk = |results: &[SendResult]| {
            let mut recorder = recorder.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            recorder.record(results);
            match stop_of(results) {
                Some(error) => ControlFlow::Break(error),
                None if recorder.sender.journal.recording_failed() => ControlFlow::Break(
                    cinetpay_transfer::Error::new(ErrorKind::Service, "the journal cannot record results"),
                ),
                None => ControlFlow::Continue(()),
            }
        };
        let outcome = client.pay_observed(&transfers, &on_chunk).await;
        let Recorder {
            observed, accepted, ..
        } = recorder
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);

        // Every result observed is recorded (or its recording failed) before what follows.
        self.journal.apply(Vec::new()).await?;
        let stop = match outcome {
            // Every result was recorded by the observer. An 805 for this row's own payout (a
            // journal entry lost in a crash) comes back accepted: the core looks duplicates up and
            // treats the same payout as a replay.
            // Rows not sent because sending stopped are `pending` again: nothing of them left.
            Ok(results) => {
                // A result whose id were not of the window (never expected) counts as sent: a
                // row is put back to `pending` only when it certainly was not.
                let (sent, not_sent): (Vec<_>, Vec<_>) = results.into_iter().partition(|r| {
                    sending
                        .get(r.client_transaction_id.as_str())
                        .is_none_or(|row| observed[row.at])
                });
                let back: Vec<Change> = not_sent
                    .iter()
                    .map(|r| Change::state(&r.client_transaction_id, RowState::Pending))
                    .collect();
                self.apply(back, &sending).await?;
                stop_of(&sent)
            }
            // Refused as a whole, nothing of it processed: the window's single request (its rows'
            // refusals were observed and recorded, `failed` with the reason), or the core's own
            // check of the window (nothing sent: its rows are `pending` again).
            Err(e) if e.kind() == ErrorKind::Validation => {
                let back: Vec<Change> = rows
                    .iter()
                    .zip(&observed)
                    .filter(|(_, observed)| !**observed)
                    .map(|(r, _)| Change::state(&r.client_transaction_id, RowState::Pending))
                    .collect();
                self.apply(back, &sending).await?;
                if sent_before {
                    Some(e)
                } else {
                    let line = e.index().and_then(|i| rows.get(i)).map_or(0, |r| r.line);
                    return Err(CliError::invalid(t!(
                        "line-fault",
                        line = text(line),
                        reason = text(describe(&e))
                    )));
                }
            }
            // The call failed as a whole: contacts could not be registered (nothing was sent), or
            // its single request failed (nothing was accepted).
            Err(e) => {
                let unknown = e.client_transaction_ids();
                let changes: Vec<Change> = rows
                    .iter()
                    .zip(&accepted)
                    .filter(|(_, accepted)| !**accepted)
                    .map(|(r, _)| &r.client_transaction_id)
                    .map(|id| {
                        if unknown.contains(id) {
                            Change {
                                error: Some(unknown_reason()),
                                ..Change::state(id, RowState::Unknown)
                            }
                        } else {
                            Change {
                                error: Some(describe(&e)),
                                ..Change::state(id, RowState::Failed)
                            }
                        }
                    })
                    .collect();
                self.apply(changes, &sending).await?;
                Some(e)
            }
        };
        // Observed rows were counted as they were recorded; the others are handled now.
        self.done += observed.iter().filter(|observed| !**observed).count() as u64;
        self.progress.update(self.done, &self.totals);
        Ok(stop)
    }
}

/// Where a row of the window being sent is: its position in the window, its rowid in the journal
/// (its result is written there without looking its id up), and its amount (for the totals).
struct WindowRow {
    at: usize,
    rowid: i64,
    amount: i64,
}

/// The rows of the window being sent, by id.
type WindowRows<'w> = HashMap<&'w str, WindowRow>;

/// Finds the row of the window a change is about: moves it from `sending` to the change's state
/// in the totals, and gives the change the row's rowid (written there without a lookup by id).
fn place<'w>(totals: &mut Totals, window: &'w WindowRows<'_>, change: &mut Change) -> Option<&'w WindowRow> {
    let row = window.get(change.client_transaction_id.as_str())?;
    totals.shift(RowState::Sending, change.state, row.amount);
    change.row = Some(row.rowid);
    Some(row)
}

/// What the chunk observer of one window shares with `Sender::send`.
struct Recorder<'s, 'a> {
    sender: &'s mut Sender<'a>,
    /// Each row of the window, by id (all of them `sending` during the call).
    window: &'s WindowRows<'s>,
    /// By position in the window, rows recorded from their result: the others were never sent
    /// (after a break).
    observed: Vec<bool>,
    /// By position in the window, rows the service accepted: an `Err` of the call never
    /// overrides them.
    accepted: Vec<bool>,
}

impl Recorder<'_, '_> {
    /// Records one settled chunk: handed to the journal's thread (committed with the results of
    /// the next few milliseconds), the totals moved, the progress bar.
    fn record(&mut self, results: &[SendResult]) {
        let mut changes = Vec::with_capacity(results.len());
        for result in results {
            let mut change = change_of_result(result);
            // Every result is of a row of the window: one lookup finds where it is.
            if let Some(row) = place(&mut self.sender.totals, self.window, &mut change) {
                self.observed[row.at] = true;
                self.accepted[row.at] |= result.outcome == SendOutcome::Accepted;
            }
            changes.push(change);
        }
        self.sender.journal.record(changes);
        self.sender.done += results.len() as u64;
        self.sender.progress.update(self.sender.done, &self.sender.totals);
    }
}

/// What ends the run after a call whose results are per payout: a failed payout whose error is
/// about the account or the service (exit 1), else payouts of unknown outcome, as one
/// `outcome_unknown` error naming them (exit 4, like the single request that returns it).
fn stop_of(results: &[SendResult]) -> Option<cinetpay_transfer::Error> {
    let failure = results
        .iter()
        .filter(|r| r.outcome == SendOutcome::Failed)
        .filter_map(|r| r.error.as_ref())
        .find(|e| stops_the_run(e.kind()));
    if let Some(failure) = failure {
        return Some(failure.clone());
    }
    let unknown: Vec<&SendResult> = results
        .iter()
        .filter(|r| r.outcome == SendOutcome::Unknown)
        .collect();
    let cause =
        unknown.first()?.error.clone().unwrap_or_else(|| {
            cinetpay_transfer::Error::new(ErrorKind::OutcomeUnknown, "the answer was lost")
        });
    let ids = unknown.iter().map(|r| r.client_transaction_id.clone()).collect();
    Some(cinetpay_transfer::Error::outcome_unknown(ids, &cause))
}

/// Failures about the account, the service or the network end the run: sending more rows would
/// fail the same way. Failures about one row (its number, operator, amount) do not.
fn stops_the_run(kind: ErrorKind) -> bool {
    !matches!(
        kind,
        ErrorKind::Validation
            | ErrorKind::NotAContact
            | ErrorKind::DuplicateTransaction
            | ErrorKind::OperatorUnavailable
    )
}

fn change_of_result(result: &SendResult) -> Change {
    let state = match result.outcome {
        SendOutcome::Accepted => result
            .treatment_status
            .as_ref()
            .map_or(RowState::Accepted, state_of),
        SendOutcome::Failed => RowState::Failed,
        SendOutcome::Unknown => RowState::Unknown,
    };
    // Why it is unknown (the failed lookup) is the run's error, printed once.
    let error = match result.outcome {
        SendOutcome::Unknown => Some(unknown_reason()),
        _ => result.error.as_ref().map(describe),
    };
    Change {
        client_transaction_id: result.client_transaction_id.clone(),
        state,
        transaction_id: result.transaction_id.clone(),
        lot: result.lot.clone(),
        treatment_status: result.treatment_status.as_ref().map(|s| s.as_str().to_owned()),
        error,
        // Set by the recorder, which knows the window's rows.
        row: None,
    }
}
