//! Sending a run's rows: all of them marked `sending` first, then one call of the core's
//! `pay_observed`, each chunk's results committed to the journal as it settles, and the decision
//! of whether a failure ends the run.

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;
use std::sync::Mutex;

use cinetpay_transfer::{ErrorKind, SendOutcome, SendResult};

use crate::csv_input::PayoutRow;
use crate::exit::{describe, CliError};
use crate::journal::{Change, Journal, JournalRow, RowState};
use crate::progress::Progress;
use crate::session::Session;
use crate::summary::Totals;
use crate::tracking::state_of;

/// The reason recorded for a row whose outcome the core could not tell (the request-level error,
/// printed once, says why).
const UNKNOWN_REASON: &str = "outcome unknown: the answer was lost; a rerun looks it up before sending";

/// What the chunk observer shares with `send_rows`: the journal, and what it saw.
struct Recorder<'j> {
    journal: &'j mut Journal,
    /// Rows observed so far (for the progress bar).
    done: u64,
    /// Rows recorded from their result: the others were never sent (after a break).
    observed: HashSet<String>,
    /// Rows the service accepted: an `Err` of the call never overrides them.
    accepted: HashSet<String>,
    /// The first journal write that failed; later chunks are not recorded (their rows stay
    /// `sending`, which a rerun reconciles by lookup).
    write_error: Option<CliError>,
}

impl Recorder<'_> {
    /// Records one settled chunk: one short transaction, then the progress bar.
    fn record(&mut self, results: &[SendResult], progress: &Progress) {
        self.observed
            .extend(results.iter().map(|r| r.client_transaction_id.clone()));
        if self.write_error.is_some() {
            return;
        }
        let changes: Vec<Change> = results.iter().map(change_of_result).collect();
        if let Err(e) = self.journal.apply(&changes) {
            self.write_error = Some(e);
            return;
        }
        self.accepted.extend(
            results
                .iter()
                .filter(|r| r.outcome == SendOutcome::Accepted)
                .map(|r| r.client_transaction_id.clone()),
        );
        self.done += results.len() as u64;
        match self.journal.rows() {
            Ok(rows) => progress.update(self.done, &Totals::of(&rows)),
            Err(e) => self.write_error = Some(e),
        }
    }
}

/// Sends every row still to send in one call of the core's `pay_observed`, recording each chunk
/// as it settles. Returns the failure that ended the run early (one about the account or the
/// service), if any.
pub(super) async fn send_rows(
    session: &Session,
    journal: &mut Journal,
    by_id: &HashMap<String, PayoutRow>,
    progress: &Progress,
) -> Result<Option<cinetpay_transfer::Error>, CliError> {
    let rows = journal.rows()?;
    let to_send: Vec<(&JournalRow, &PayoutRow)> = rows
        .iter()
        .filter(|r| r.state.to_send())
        .filter_map(|r| by_id.get(&r.client_transaction_id).map(|c| (r, c)))
        .collect();
    progress.phase("sending", to_send.len() as u64);
    if to_send.is_empty() {
        return Ok(None);
    }
    // Every row is `sending` (committed) before the first request leaves: a crash from here on
    // leaves only the rows not yet recorded in `sending`, which a rerun looks up first.
    let marks: Vec<Change> = to_send
        .iter()
        .map(|(r, _)| Change::state(&r.client_transaction_id, RowState::Sending))
        .collect();
    journal.apply(&marks)?;
    let transfers: Vec<_> = to_send
        .iter()
        .map(|(r, c)| c.transfer(&r.client_transaction_id))
        .collect();

    let recorder = Mutex::new(Recorder {
        journal,
        done: 0,
        observed: HashSet::new(),
        accepted: HashSet::new(),
        write_error: None,
    });
    // Records the chunk, then stops the call from starting more requests when the chunk failed in
    // a way the next requests would too (or the journal cannot record them).
    let on_chunk = |results: &[SendResult]| {
        let mut recorder = recorder.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        recorder.record(results, progress);
        match stop_of(results) {
            Some(error) => ControlFlow::Break(error),
            None if recorder.write_error.is_some() => ControlFlow::Break(cinetpay_transfer::Error::new(
                ErrorKind::Service,
                "the journal cannot record results",
            )),
            None => ControlFlow::Continue(()),
        }
    };
    let outcome = session.client.pay_observed(&transfers, &on_chunk).await;
    let Recorder {
        journal,
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
        // Every result was recorded by the observer. An 805 for this row's own payout (a journal
        // entry lost in a crash) comes back accepted: the core looks duplicates up and treats the
        // same payout as a replay.
        // Rows not sent because sending stopped are `pending` again: nothing of them left.
        Ok(results) => {
            let (sent, not_sent): (Vec<_>, Vec<_>) = results
                .into_iter()
                .partition(|r| observed.contains(&r.client_transaction_id));
            let back: Vec<Change> = not_sent
                .iter()
                .map(|r| Change::state(&r.client_transaction_id, RowState::Pending))
                .collect();
            journal.apply(&back)?;
            stop_of(&sent)
        }
        Err(e) if e.kind() == ErrorKind::Validation => {
            let back: Vec<Change> = to_send
                .iter()
                .map(|(r, _)| Change::state(&r.client_transaction_id, RowState::Pending))
                .collect();
            journal.apply(&back)?;
            let line = e.index().and_then(|i| to_send.get(i)).map_or(0, |(r, _)| r.line);
            return Err(CliError::invalid(format!("line {line}: {}", describe(&e))));
        }
        // The call failed as a whole: contacts could not be registered (nothing was sent), or
        // its single request failed (nothing was accepted).
        Err(e) => {
            let unknown = e.client_transaction_ids();
            let changes: Vec<Change> = to_send
                .iter()
                .map(|(r, _)| &r.client_transaction_id)
                .filter(|id| !accepted.contains(*id))
                .map(|id| {
                    if unknown.contains(id) {
                        Change {
                            error: Some(UNKNOWN_REASON.into()),
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
            journal.apply(&changes)?;
            Some(e)
        }
    };
    progress.update(to_send.len() as u64, &Totals::of(&journal.rows()?));
    Ok(stop)
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
        SendOutcome::Unknown => Some(UNKNOWN_REASON.to_owned()),
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
