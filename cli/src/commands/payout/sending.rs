//! Sending a run's rows, a window at a time: each window's rows marked `sending` (one committed
//! transaction) before its first request leaves, then one call of the core's `pay_observed` for
//! the window, each chunk's results committed to the journal as it settles; and the decision of
//! whether a failure ends the run.
//!
//! Windows keep memory and the work per chunk bounded whatever the file's size: the rows to send
//! are found by reading the file again (their names and e-mail are not journaled) and asking the
//! journal about each id; a window holds a few chunks per request in flight, so requests keep
//! flowing and only a window's transfers are in memory; each chunk updates its own rows by id,
//! and the progress bar's totals are kept by moving each row from its old state to its new one,
//! never by reading the journal again.

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;
use std::sync::Mutex;

use cinetpay_transfer::{ErrorKind, SendOutcome, SendResult, Transfer};

use crate::exit::{describe, CliError, Exit};
use crate::journal::{Change, Journal, JournalRow, RowState};
use crate::progress::Progress;
use crate::session::Session;
use crate::summary::Totals;
use crate::tracking::state_of;

use super::file::PayoutFile;
use crate::i18n::{t, text};

/// The reason recorded for a row whose outcome the core could not tell (the request-level error,
/// printed once, says why).
fn unknown_reason() -> String {
    t!("unknown-reason")
}

/// Chunks per request in flight in one window: enough that the pause between windows (the last
/// requests of one finishing before the next starts) is a small part of each.
const CHUNKS_PER_WINDOW_PER_REQUEST: usize = 64;

/// The rows of one window: each row's journal entry and the transfer to send.
struct Window {
    rows: Vec<JournalRow>,
    transfers: Vec<Transfer>,
}

/// What the run's windows share: the journal, the running totals, the progress bar.
struct Sender<'a> {
    session: &'a Session,
    journal: &'a mut Journal,
    progress: &'a Progress,
    totals: Totals,
    /// Rows handled so far (for the progress bar).
    done: u64,
}

/// Sends every row still to send, a window at a time, recording each chunk as it settles.
/// Returns the failure that ended the run early (one about the account or the service), if any.
pub(super) async fn send_rows(
    session: &Session,
    journal: &mut Journal,
    file: &PayoutFile,
    run: &str,
    progress: &Progress,
) -> Result<Option<cinetpay_transfer::Error>, CliError> {
    let tallies = journal.tallies(false)?;
    let totals = Totals::of_tallies(&tallies);
    let to_send: u64 = tallies
        .iter()
        .filter(|(state, ..)| state.to_send())
        .map(|&(_, count, _)| count)
        .sum();
    progress.phase(crate::progress::Phase::Sending, to_send);
    if to_send == 0 {
        return Ok(None);
    }
    let config = session.client.config();
    let window_size = config.chunk_size * config.max_concurrency * CHUNKS_PER_WINDOW_PER_REQUEST;
    let mut sender = Sender {
        session,
        journal,
        progress,
        totals,
        done: 0,
    };
    let mut window = Window {
        rows: Vec::new(),
        transfers: Vec::new(),
    };
    for row in file.rows(run)? {
        let (id, csv_row) = row?;
        let Some(journaled) = sender.journal.row(&id)? else {
            continue;
        };
        if !journaled.state.to_send() {
            continue;
        }
        if (&journaled.prefix, &journaled.phone, journaled.amount)
            != (&csv_row.prefix, &csv_row.phone, csv_row.amount)
        {
            return Err(CliError::new(
                Exit::Error,
                t!(
                    "file-changed-while-reading-row",
                    line = text(csv_row.line),
                    row = text(journaled.describe())
                ),
            ));
        }
        // What the journal holds is what is sent; the file adds the payee's names.
        let transfer = Transfer {
            notify_url: journaled.notify_url.clone(),
            ..csv_row.transfer(&id)
        };
        window.rows.push(journaled);
        window.transfers.push(transfer);
        if window.rows.len() >= window_size {
            let full = std::mem::replace(
                &mut window,
                Window {
                    rows: Vec::new(),
                    transfers: Vec::new(),
                },
            );
            if let Some(stop) = sender.send(full).await? {
                return Ok(Some(stop));
            }
        }
    }
    if window.rows.is_empty() {
        return Ok(None);
    }
    sender.send(window).await
}

impl Sender<'_> {
    /// Records changes of rows whose state was `from`, and moves them in the totals.
    fn apply(
        &mut self,
        changes: &[Change],
        amounts: &HashMap<&str, (RowState, i64)>,
    ) -> Result<(), CliError> {
        self.journal.apply(changes)?;
        self.shift(changes, amounts);
        Ok(())
    }

    /// Records the results of one request (`Journal::apply_results`: committed, without waiting
    /// for the disk), and moves them in the totals.
    fn record_results(
        &mut self,
        changes: &[Change],
        amounts: &HashMap<&str, (RowState, i64)>,
    ) -> Result<(), CliError> {
        self.journal.apply_results(changes)?;
        self.shift(changes, amounts);
        Ok(())
    }

    fn shift(&mut self, changes: &[Change], amounts: &HashMap<&str, (RowState, i64)>) {
        for c in changes {
            if let Some(&(from, amount)) = amounts.get(c.client_transaction_id.as_str()) {
                self.totals.shift(from, c.state, amount);
            }
        }
    }

    /// Sends one window in one call of the core's `pay_observed`.
    async fn send(&mut self, window: Window) -> Result<Option<cinetpay_transfer::Error>, CliError> {
        let Window { rows, transfers } = window;
        // Every row of the window is `sending` (committed) before its first request leaves: a
        // crash from here on leaves only the rows not yet recorded in `sending`, which a rerun
        // looks up first.
        let marks: Vec<Change> = rows
            .iter()
            .map(|r| Change::state(&r.client_transaction_id, RowState::Sending))
            .collect();
        let before: HashMap<&str, (RowState, i64)> = rows
            .iter()
            .map(|r| (r.client_transaction_id.as_str(), (r.state, r.amount)))
            .collect();
        self.apply(&marks, &before)?;
        let sending: HashMap<&str, (RowState, i64)> = rows
            .iter()
            .map(|r| (r.client_transaction_id.as_str(), (RowState::Sending, r.amount)))
            .collect();

        let client = &self.session.client;
        let recorder = Mutex::new(Recorder {
            sender: &mut *self,
            amounts: &sending,
            observed: HashSet::new(),
            accepted: HashSet::new(),
            write_error: None,
        });
        // Records the chunk, then stops the call from starting more requests when the chunk
        // failed in a way the next requests would too (or the journal cannot record them).
        let on_chunk = |results: &[SendResult]| {
            let mut recorder = recorder.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            recorder.record(results);
            match stop_of(results) {
                Some(error) => ControlFlow::Break(error),
                None if recorder.write_error.is_some() => ControlFlow::Break(cinetpay_transfer::Error::new(
                    ErrorKind::Service,
                    "the journal cannot record results",
                )),
                None => ControlFlow::Continue(()),
            }
        };
        let outcome = client.pay_observed(&transfers, &on_chunk).await;
        let Recorder {
            observed,
            accepted,
            write_error,
            ..
        } = recorder
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(e) = write_error {
            return Err(e);
        }

        let stop = match outcome {
            // Every result was recorded by the observer. An 805 for this row's own payout (a
            // journal entry lost in a crash) comes back accepted: the core looks duplicates up and
            // treats the same payout as a replay.
            // Rows not sent because sending stopped are `pending` again: nothing of them left.
            Ok(results) => {
                let (sent, not_sent): (Vec<_>, Vec<_>) = results
                    .into_iter()
                    .partition(|r| observed.contains(&r.client_transaction_id));
                let back: Vec<Change> = not_sent
                    .iter()
                    .map(|r| Change::state(&r.client_transaction_id, RowState::Pending))
                    .collect();
                self.apply(&back, &sending)?;
                stop_of(&sent)
            }
            Err(e) if e.kind() == ErrorKind::Validation => {
                let back: Vec<Change> = rows
                    .iter()
                    .map(|r| Change::state(&r.client_transaction_id, RowState::Pending))
                    .collect();
                self.apply(&back, &sending)?;
                let line = e.index().and_then(|i| rows.get(i)).map_or(0, |r| r.line);
                return Err(CliError::invalid(t!(
                    "line-fault",
                    line = text(line),
                    reason = text(describe(&e))
                )));
            }
            // The call failed as a whole: contacts could not be registered (nothing was sent), or
            // its single request failed (nothing was accepted).
            Err(e) => {
                let unknown = e.client_transaction_ids();
                let changes: Vec<Change> = rows
                    .iter()
                    .map(|r| &r.client_transaction_id)
                    .filter(|id| !accepted.contains(*id))
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
                self.apply(&changes, &sending)?;
                Some(e)
            }
        };
        // Observed rows were counted as they were recorded; the others are handled now.
        self.done += rows.len().saturating_sub(observed.len()) as u64;
        self.progress.update(self.done, &self.totals);
        Ok(stop)
    }
}

/// What the chunk observer of one window shares with `Sender::send`.
struct Recorder<'s, 'a> {
    sender: &'s mut Sender<'a>,
    /// Each row of the window: its state before this call (`sending`) and its amount.
    amounts: &'s HashMap<&'s str, (RowState, i64)>,
    /// Rows recorded from their result: the others were never sent (after a break).
    observed: HashSet<String>,
    /// Rows the service accepted: an `Err` of the call never overrides them.
    accepted: HashSet<String>,
    /// The first journal write that failed; later chunks are not recorded (their rows stay
    /// `sending`, which a rerun reconciles by lookup).
    write_error: Option<CliError>,
}

impl Recorder<'_, '_> {
    /// Records one settled chunk: one short transaction, the totals moved, the progress bar.
    fn record(&mut self, results: &[SendResult]) {
        self.observed
            .extend(results.iter().map(|r| r.client_transaction_id.clone()));
        if self.write_error.is_some() {
            return;
        }
        let changes: Vec<Change> = results.iter().map(change_of_result).collect();
        if let Err(e) = self.sender.record_results(&changes, self.amounts) {
            self.write_error = Some(e);
            return;
        }
        self.accepted.extend(
            results
                .iter()
                .filter(|r| r.outcome == SendOutcome::Accepted)
                .map(|r| r.client_transaction_id.clone()),
        );
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
    }
}
