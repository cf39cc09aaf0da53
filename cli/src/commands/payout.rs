//! `cinetpay payout FILE.csv`: a bulk payout, safe to interrupt and to run again.
//!
//! The steps, each committed to the journal before the next (see `journal.rs` for why):
//! 1. read and check the whole file; any bad row stops everything before a request is made;
//! 2. open the journal beside the file (or `--journal`): a new run records every row `pending`
//!    under its idempotency key; an existing run must be of the same file (SHA-256);
//! 3. reconcile rows an earlier run left `sending` or `unknown` (status lookup by id);
//! 4. mark every row still to send `sending` in one transaction, then send them all in one call
//!    of the core's `pay_observed` (contacts, then chunks of `--chunk-size` with up to
//!    `--max-concurrency` requests in flight; never twice), recording each chunk's results as it
//!    settles; a failure about the account or the service rather than about a row stops the call
//!    from starting more requests (those in flight finish; rows never sent are `pending` again)
//!    and ends the run;
//! 5. unless `--no-wait`, poll until every accepted row is paid or rejected (or `--timeout`);
//! 6. print the summary; the exit code says whether anything needs attention.

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::Mutex;

use cinetpay_transfer::{ErrorKind, Limits, SendOutcome, SendResult};
use clap::Args;
use serde::Serialize;

use crate::csv_input::{derived_client_transaction_id, read_payouts, sha256_hex, PayoutRow, RowError};
use crate::exit::{describe, exit_of, CliError, CliResult};
use crate::journal::{Change, Journal, JournalRow, NewRow, RowState};
use crate::output::{cell, print_json, table, totals_table, xof};
use crate::progress::Progress;
use crate::session::{Batching, Session};
use crate::summary::Totals;
use crate::tracking::{follow, reconcile, state_of};
use crate::{GlobalArgs, WaitArgs};

pub const AFTER_HELP: &str = "\
CSV columns (header required, ',' or ';' separated):
  phone                  national digits (with prefix), or a full +225... number
  prefix                 country calling code (225, 221, ...); optional when phone is +...
  amount                 whole XOF, at least the country minimum, a multiple of 5
  name, surname          the payee (registered as a contact when needed)
  email                  optional
  payment_method         optional operator code (OM, MOMO, WAVECI, OMSN, MTNCM, TMONEYTG, ...)
  client_transaction_id  optional; otherwise derived from the file's SHA-256 and the line number
  notify_url             optional when --notify-url is given

Journal: FILE.csv.journal.sqlite beside the file, or --journal PATH. Running the same command
again resumes: paid, rejected and accepted rows are never sent again; rows whose outcome was
unknown are looked up first. A file changed since the journal was started is refused unless
--allow-changed-file (rows already sent must then be unchanged).

Exit codes: 0 all paid; 1 error (authentication, balance, service; sending stopped); 2 invalid
rows or flags, changed file; 3 some payouts rejected or failed; 4 some payouts still pending or
unknown when the command stopped waiting (run it again, or `cinetpay watch --journal PATH`).";

/// The reason recorded for a row whose outcome the core could not tell (the request-level error,
/// printed once, says why).
const UNKNOWN_REASON: &str = "outcome unknown: the answer was lost; a rerun looks it up before sending";

/// Rows listed under the summary table at most (all are in `--json` and in the journal).
const ATTENTION_ROWS: usize = 20;

#[derive(Debug, Args)]
pub struct PayoutArgs {
    /// The CSV file of payouts.
    pub file: PathBuf,
    /// Journal database (default: FILE.csv.journal.sqlite beside the file; with --sandbox, a new
    /// file in the temporary directory).
    #[arg(long, value_name = "PATH")]
    pub journal: Option<PathBuf>,
    /// Notification URL for rows whose notify_url cell is empty.
    #[arg(long)]
    pub notify_url: Option<String>,
    /// Payouts per request.
    #[arg(long, default_value_t = 25, value_parser = clap::value_parser!(u64).range(1..=500))]
    pub chunk_size: u64,
    /// Requests of payouts in flight at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=16))]
    pub max_concurrency: u64,
    /// Do not wait for final statuses (the exit code is then 4 while payouts are pending).
    #[arg(long)]
    pub no_wait: bool,
    /// Continue a journal whose CSV changed (rows already sent must be unchanged).
    #[arg(long)]
    pub allow_changed_file: bool,
    #[command(flatten)]
    pub wait: WaitArgs,
}

#[derive(Serialize)]
struct Summary<'a> {
    file: String,
    journal: String,
    file_sha256: &'a str,
    exit_code: u8,
    error: Option<String>,
    totals: Totals,
    rows: &'a [JournalRow],
}

pub async fn run(global: &GlobalArgs, args: PayoutArgs) -> CliResult {
    let data = std::fs::read(&args.file)
        .map_err(|e| CliError::invalid(format!("cannot read {}: {e}", args.file.display())))?;
    let file_sha256 = sha256_hex(&data);
    let csv_rows = read_payouts(&data, args.notify_url.as_deref(), &Limits::default())
        .map_err(|errors| bad_rows(global.json, &args.file, &errors))?;
    let journal_path = journal_path(&args, global.sandbox);
    let mut journal = Journal::open(&journal_path)?;
    start_or_resume(&mut journal, &args, &file_sha256, &csv_rows)?;

    let batching = Batching {
        chunk_size: Some(args.chunk_size as usize),
        max_concurrency: Some(args.max_concurrency as usize),
    };
    let session = Session::open_with(global, batching).await?;
    let client = &session.client;
    let uncertain = reconcile(client, &journal.rows()?).await;
    if !uncertain.is_empty() {
        tracing::info!(
            rows = uncertain.len(),
            "reconciled rows left uncertain by an earlier run"
        );
        journal.apply(&uncertain)?;
    }

    let progress = Progress::new(!global.json);
    let stopped = send_rows(&session, &mut journal, &csv_rows, &progress).await?;
    if !args.no_wait && stopped.is_none() {
        progress.phase("waiting", journal.rows()?.len() as u64);
        follow(client, &mut journal, &args.wait, &progress).await?;
    }
    progress.finish();

    let rows = journal.rows()?;
    let totals = Totals::of(&rows);
    // A run stopped by an unknown outcome exits 4 like any undecided run; other stops exit 1.
    let exit = match &stopped {
        Some(e) if e.kind() != ErrorKind::OutcomeUnknown => exit_of(e.kind()),
        _ => totals.exit(),
    };
    let error = stopped.map(|e| format!("sending stopped: {}", describe(&e)));
    if global.json {
        print_json(&Summary {
            file: args.file.display().to_string(),
            journal: journal.path().display().to_string(),
            file_sha256: &file_sha256,
            exit_code: exit as u8,
            error: error.clone(),
            totals,
            rows: &rows,
        });
    } else {
        print_summary(&args, &journal, &rows, &totals);
    }
    if let Some(error) = error {
        eprintln!("error: {error}");
    }
    Ok(exit)
}

/// `--journal`, else FILE.csv.journal.sqlite beside the file. With `--sandbox`, else a new file in
/// the temporary directory: the embedded sandbox dies with the process, so a later run could not
/// resume against it, and a demo should not leave a journal beside the example file.
fn journal_path(args: &PayoutArgs, sandbox: bool) -> PathBuf {
    if let Some(path) = &args.journal {
        return path.clone();
    }
    if sandbox {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let name = format!("cinetpay-sandbox-{}-{nanos}.journal.sqlite", std::process::id());
        return std::env::temp_dir().join(name);
    }
    let mut name = args.file.clone().into_os_string();
    name.push(".journal.sqlite");
    PathBuf::from(name)
}

/// Every bad row, on stderr (and as JSON on stdout with `--json`); exit 2.
fn bad_rows(json: bool, file: &std::path::Path, errors: &[RowError]) -> CliError {
    if json {
        print_json(&serde_json::json!({ "file": file.display().to_string(), "errors": errors }));
    }
    let lines: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
    CliError::invalid(format!(
        "{} has {} problem(s); nothing was sent:\n{}",
        file.display(),
        errors.len(),
        lines.join("\n")
    ))
}

/// Records a new run, or checks that the journal's run is of this very file.
fn start_or_resume(
    journal: &mut Journal,
    args: &PayoutArgs,
    file_sha256: &str,
    csv_rows: &[PayoutRow],
) -> Result<(), CliError> {
    let new_rows: Vec<NewRow> = csv_rows
        .iter()
        .map(|r| NewRow {
            line: r.line,
            client_transaction_id: r
                .client_transaction_id
                .clone()
                .unwrap_or_else(|| derived_client_transaction_id(file_sha256, r.line)),
            id_from_file: r.client_transaction_id.is_some(),
            prefix: r.prefix.clone(),
            phone: r.phone.clone(),
            amount: r.amount,
        })
        .collect();
    match journal.run()? {
        None => journal.create_run(&args.file.display().to_string(), file_sha256, &new_rows),
        Some(run) if run.file_sha256 == file_sha256 => {
            tracing::info!(created_at = %run.created_at, "resuming the run of this file");
            Ok(())
        }
        Some(_) if args.allow_changed_file => journal.accept_changed_file(file_sha256, &new_rows),
        Some(run) => Err(CliError::invalid(format!(
            "{} changed since the run journaled in {} started ({}); nothing was sent.\n\
             Rerun with --allow-changed-file to continue that run with the new content, \
             or give a new --journal PATH to start a separate run.",
            args.file.display(),
            journal.path().display(),
            run.created_at
        ))),
    }
}

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
async fn send_rows(
    session: &Session,
    journal: &mut Journal,
    csv_rows: &[PayoutRow],
    progress: &Progress,
) -> Result<Option<cinetpay_transfer::Error>, CliError> {
    let by_line: HashMap<u64, &PayoutRow> = csv_rows.iter().map(|r| (r.line, r)).collect();
    let rows = journal.rows()?;
    let to_send: Vec<(&JournalRow, &PayoutRow)> = rows
        .iter()
        .filter(|r| r.state.to_send())
        .filter_map(|r| by_line.get(&r.line).map(|c| (r, *c)))
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

fn print_summary(args: &PayoutArgs, journal: &Journal, rows: &[JournalRow], totals: &Totals) {
    println!(
        "payouts of {} (journal: {})",
        args.file.display(),
        journal.path().display()
    );
    println!("{}", totals_table(totals));
    let not_paid: Vec<&JournalRow> = rows.iter().filter(|r| r.state != RowState::Paid).collect();
    if not_paid.is_empty() {
        return;
    }
    let attention: Vec<Vec<String>> = not_paid
        .iter()
        .take(ATTENTION_ROWS)
        .map(|r| {
            vec![
                r.line.to_string(),
                format!("+{} {}", r.prefix, r.phone),
                xof(r.amount),
                r.state.as_str().to_owned(),
                cell(r.error.as_deref()),
            ]
        })
        .collect();
    println!();
    println!(
        "{}",
        table(
            &["line", "phone", "amount", "state", "reason"],
            &attention,
            &[0, 2]
        )
    );
    if not_paid.len() > ATTENTION_ROWS {
        println!(
            "... and {} more rows not paid (every row: --json, or the journal)",
            not_paid.len() - ATTENTION_ROWS
        );
    }
}
