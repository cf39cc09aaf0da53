//! Following payouts once sent: reconciling uncertain ones, and polling until they are final.
//!
//! Whether CinetPay holds a row's payout is asked through the core's one lookup rule,
//! `Client::look_up` (the send engine settles lost answers and 805s with it): `Found` (this very
//! payout), `Conflict` (another payout under the id) or `NotFound`. Reconciliation asks it before
//! a rerun sends anything, for rows whose request may have reached the service unheard (`sending`,
//! `unknown`): found means accepted, never sent again; a conflict or a failed lookup leaves the
//! row unknown for a person to check. Not found goes back to `pending` only once no earlier
//! attempt may still be running (the request timeout plus the processing window since it may have
//! left, as the journal records it; ADR 2): before that the service may be working on it unseen,
//! and a resend could be recorded twice, so the row stays `unknown` and reconciliation waits.
//! Not found is still no proof that nothing was recorded (the payout may not be visible yet): the
//! rerun sends the row under the *same* id, which CinetPay refuses (805) if it holds it, and the
//! core settles that by lookup. A new id is never made for a row.
//!
//! The same lookup tells, when a run starts in a new journal, which rows another journal of the
//! same run already sent (`look_up_all`).
//!
//! Polling asks by lot where several rows share one (one request for the batch) and by client
//! transaction id otherwise, until every row is final or the time is up.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use cinetpay_transfer::{
    Client, ErrorKind, PayoutLookup, Transfer, TransferInfo, TransferQuery, TreatmentStatus,
};
use futures::stream::{self, StreamExt};
use tokio::time::Instant;

use crate::exit::{describe, CliError};
use crate::i18n::{count, t, text};
use crate::journal::{now_ms, Change, Journal, JournalRow, RowState};
use crate::progress::Progress;
use crate::summary::Totals;
use crate::WaitArgs;

/// Lookups in flight at once.
const LOOKUPS_IN_FLIGHT: usize = 4;

/// The row state a treatment status means: paid, rejected, or still accepted.
pub fn state_of(status: &TreatmentStatus) -> RowState {
    match status {
        TreatmentStatus::Val => RowState::Paid,
        TreatmentStatus::Rej => RowState::Rejected,
        _ => RowState::Accepted,
    }
}

/// The journal change a status answer means.
pub fn change_of(client_transaction_id: &str, info: &TransferInfo) -> Change {
    let state = state_of(&info.treatment_status);
    let error = (state == RowState::Rejected)
        .then(|| info.comment.clone().unwrap_or_else(|| "rejected (REJ)".into()));
    Change {
        client_transaction_id: client_transaction_id.to_owned(),
        state,
        transaction_id: Some(info.transaction_id.clone()),
        lot: info.lot.clone(),
        treatment_status: Some(info.treatment_status.as_str().to_owned()),
        error,
        row: None,
    }
}

/// Looks every transfer up (a few at a time), in the order given.
pub async fn look_up_all(
    client: &Client,
    transfers: &[Transfer],
) -> Vec<cinetpay_transfer::Result<PayoutLookup>> {
    stream::iter(transfers)
        .map(|t| client.look_up(t))
        .buffered(LOOKUPS_IN_FLIGHT)
        .collect()
        .await
}

/// Looks up every row that may be at CinetPay without us knowing (`sending`, `unknown`) and
/// records what it is now: found -> its state; another payout under the id or a failed lookup ->
/// `unknown`; not found -> `pending` (sent again under the same id) only once no earlier attempt
/// of it may still be running, i.e. once the request timeout and the processing window have
/// passed since it may have left. Before that, the row is recorded `unknown` and this waits (with
/// a notice saying how long) and looks it up again. An interruption at any point leaves every row
/// `sending` or `unknown`, with the time its attempt may have left, never `pending`.
pub async fn reconcile(client: &Client, journal: &mut Journal, json: bool) -> Result<(), CliError> {
    // How long an attempt may keep running: as long as the longest window any command of the run
    // used, this one's recorded first (before it sends anything). A command with shorter flags
    // than the one that sent would otherwise look a row up too early.
    let config = client.config();
    let in_flight = journal.in_flight(config.request_timeout + config.processing_window)?;
    let in_flight = i64::try_from(in_flight.as_millis()).unwrap_or(i64::MAX);
    let rows = journal.uncertain_rows()?;
    if rows.is_empty() {
        return Ok(());
    }
    // A `sending` row was left by a process that stopped while its request may have been in
    // flight (or queued): it may have left at any moment until that process stopped, which was
    // before this one took the journal's lock, so before now. Recorded first, so that the row
    // keeps this bound whatever happens next.
    let started = now_ms();
    let bounds: Vec<(String, i64)> = rows
        .iter()
        .filter(|r| r.state == RowState::Sending)
        .map(|r| (r.client_transaction_id.clone(), started))
        .collect();
    journal.set_last_sent_at(&bounds)?;
    let sent_at = journal.last_sent_at()?;
    // Until when an attempt of the row may still be running (a row without a time: from now).
    let busy_until = |row: &JournalRow| {
        sent_at
            .get(&row.client_transaction_id)
            .copied()
            .unwrap_or(started)
            .saturating_add(in_flight)
    };
    // An `unknown` row that may still be in flight was looked up not found when it was recorded
    // (by the core, a start or an interrupted wait): it is looked up once the wait is over.
    let (mut rows, mut young): (Vec<JournalRow>, Vec<JournalRow>) = rows
        .into_iter()
        .partition(|r| r.state == RowState::Sending || busy_until(r) <= started);
    loop {
        let transfers: Vec<Transfer> = rows.iter().map(|r| r.transfer()).collect();
        let answers = look_up_all(client, &transfers).await;
        let now = now_ms();
        let mut changes = Vec::new();
        for (row, answer) in rows.iter().zip(answers) {
            let id = &row.client_transaction_id;
            let change = match answer {
                Ok(PayoutLookup::Found(info)) => change_of(id, &info),
                Ok(PayoutLookup::NotFound) if now < busy_until(row) => {
                    young.push(row.clone());
                    Change {
                        error: Some(t!("earlier-attempt-running", until = text(utc(busy_until(row))))),
                        ..Change::state(id, RowState::Unknown)
                    }
                }
                // No attempt may still run: the same id, same payout, again (CinetPay refuses it,
                // 805, if it holds it after all).
                Ok(PayoutLookup::NotFound) => Change::state(id, RowState::Pending),
                Ok(PayoutLookup::Conflict(info)) => Change {
                    error: Some(t!(
                        "id-held-by-other",
                        amount = text(crate::output::xof(info.amount)),
                        transaction = text(&info.transaction_id),
                        id = text(id)
                    )),
                    ..Change::state(id, RowState::Unknown)
                },
                Err(e) => Change {
                    error: Some(t!("lookup-failed", reason = text(describe(&e)))),
                    ..Change::state(id, RowState::Unknown)
                },
            };
            tracing::info!(line = row.line, client_transaction_id = %id, state = change.state.as_str(), "reconciled");
            changes.push(change);
        }
        journal.apply(&changes)?;
        let Some(until) = young.iter().map(&busy_until).max() else {
            return Ok(());
        };
        let left = Duration::from_millis(u64::try_from(until - now_ms()).unwrap_or(0));
        // Whole seconds, rounded up: what the notice says is what is waited.
        let left = Duration::from_secs(left.as_secs() + u64::from(left.subsec_millis() > 0));
        crate::output::notice(
            json,
            &t!(
                "waiting-for-earlier",
                count = count(young.len() as u64),
                wait = text(humantime::format_duration(left)),
                until = text(utc(until))
            ),
        );
        tokio::time::sleep(left).await;
        rows = std::mem::take(&mut young);
    }
}

/// A Unix time in milliseconds as `2026-12-02T13:40:02Z`.
fn utc(ms: i64) -> String {
    let at = std::time::UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap_or(0));
    humantime::format_rfc3339_seconds(at).to_string()
}

/// A row (or a payout of `send`) to poll: its id, and its lot when known.
pub struct Target<'a> {
    pub client_transaction_id: &'a str,
    pub lot: Option<&'a str>,
}

/// Asks once for the status of every target. Lookups that fail are logged and skipped (the next
/// round tries again), except a refused authentication, which ends the command.
pub async fn poll_once(client: &Client, targets: &[Target<'_>]) -> Result<Vec<TransferInfo>, CliError> {
    let wanted: HashSet<&str> = targets.iter().map(|t| t.client_transaction_id).collect();
    let mut by_lot: BTreeMap<&str, usize> = BTreeMap::new();
    for lot in targets.iter().filter_map(|t| t.lot) {
        *by_lot.entry(lot).or_default() += 1;
    }
    let mut queries: Vec<TransferQuery> = by_lot
        .iter()
        .filter(|(_, &n)| n > 1)
        .map(|(lot, _)| TransferQuery::Lot((*lot).to_owned()))
        .collect();
    queries.extend(
        targets
            .iter()
            .filter(|t| t.lot.is_none_or(|lot| by_lot[lot] < 2))
            .map(|t| TransferQuery::ClientTransactionId(t.client_transaction_id.to_owned())),
    );
    let mut infos = Vec::new();
    for query in queries {
        match client.transfer_status(&query).await {
            Ok(found) => infos.extend(found.into_iter().filter(|i| {
                i.client_transaction_id
                    .as_deref()
                    .is_some_and(|id| wanted.contains(id))
            })),
            Err(e) if e.kind() == ErrorKind::Authentication => return Err(e.into()),
            Err(e) => tracing::warn!(query = ?query, error = %e, "status lookup failed; will try again"),
        }
    }
    Ok(infos)
}

/// Paces polling rounds and stops them at the deadline.
pub struct Poller {
    interval: Duration,
    deadline: Instant,
}

impl Poller {
    pub fn new(wait: &WaitArgs) -> Poller {
        Poller {
            interval: wait.interval,
            deadline: Instant::now() + wait.timeout,
        }
    }

    /// Sleeps one interval (cut short by the deadline); false once the deadline has passed.
    pub async fn wait(&self) -> bool {
        let now = Instant::now();
        if now >= self.deadline {
            return false;
        }
        tokio::time::sleep_until((now + self.interval).min(self.deadline)).await;
        true
    }
}

/// Polls the journal's accepted rows until none is left or the wait is over, recording every
/// answer. Rows in other states are left alone.
pub async fn follow(
    client: &Client,
    journal: &mut Journal,
    wait: &WaitArgs,
    progress: &Progress,
) -> Result<(), CliError> {
    let poller = Poller::new(wait);
    loop {
        let rows = journal.rows()?;
        let totals = Totals::of(&rows);
        progress.update(
            totals.total.count - totals.pending.count - totals.unknown.count,
            &totals,
        );
        let targets: Vec<Target<'_>> = rows
            .iter()
            .filter(|r| r.state == RowState::Accepted)
            .map(|r| Target {
                client_transaction_id: &r.client_transaction_id,
                lot: r.lot.as_deref(),
            })
            .collect();
        if targets.is_empty() {
            return Ok(());
        }
        let changes: Vec<Change> = poll_once(client, &targets)
            .await?
            .iter()
            .filter_map(|info| {
                let id = info.client_transaction_id.as_deref()?;
                Some(change_of(id, info))
            })
            .collect();
        journal.apply(&changes)?;
        if changes.iter().all(|c| c.state != RowState::Accepted) && changes.len() == targets.len() {
            continue;
        }
        if !poller.wait().await {
            return Ok(());
        }
    }
}
