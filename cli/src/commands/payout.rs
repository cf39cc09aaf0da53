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
use std::io::IsTerminal;
use std::ops::ControlFlow;
use std::path::Path;
use std::path::PathBuf;
use std::sync::Mutex;

use cinetpay_transfer::{ErrorKind, Limits, PayoutLookup, SendOutcome, SendResult};
use clap::Args;
use serde::Serialize;

use crate::csv_input::{read_payouts, PayoutRow, RowError};
use crate::exit::{describe, exit_of, CliError, CliResult, Exit};
use crate::identity::{fresh_run_name, parse_run_name, row_ids, sha256_hex, SANDBOX_RUN_PREFIX};
use crate::journal::{Change, FilePlan, Journal, JournalRow, NewRow, RowState, Run};
use crate::output::{cell, notice, print_json, table, totals_table, xof};
use crate::plan::{agree, per_country, plan_table, CountryPlan};
use crate::progress::Progress;
use crate::session::{Batching, Session};
use crate::summary::Totals;
use crate::tracking::{change_of, follow, look_up_all, reconcile, state_of};
use crate::{GlobalArgs, WaitArgs};

pub const AFTER_HELP: &str = "\
CSV columns (header required, ',' or ';' separated, each column once):
  phone                  national digits (with prefix), or a full +225... number
  prefix                 country calling code (225, 221, ...); optional when phone is +...
  amount                 whole XOF, at least the country minimum, a multiple of 5
  name, surname          the payee (registered as a contact when needed)
  email                  optional
  payment_method         optional operator code (OM, MOMO, WAVECI, OMSN, MTNCM, TMONEYTG, ...)
  client_transaction_id  optional; otherwise derived from the run name and the row's number,
                         amount and occurrence (names and line numbers do not change it)
  notify_url             optional when --notify-url is given

Runs: a payout run has a name. A new journal needs --run NAME (or --new-run for a generated
name; with --sandbox one is made up). The same run name always gives a row the same id, and
CinetPay never pays an id twice: reusing a run's name never pays its rows again, a new name
pays every row of the file again (next month's payroll is a new run).

Journal: FILE.csv.journal.sqlite beside the file, or --journal PATH. Running the same command
again resumes the run it holds: paid, rejected and accepted rows are never sent again; rows whose
outcome was unknown are looked up first, then sent under their same id. A file changed since the
run started is continued only with --allow-changed-file (the refusal says, in rows and XOF, what
that would pay); payouts already sent that are no longer in the file stop the run.

Exit codes: 0 all paid; 1 error (authentication, balance, service; sending stopped); 2 invalid
rows or flags, changed file, journal of another run or account; nothing sent; 3 some payouts
rejected or failed; 4 some payouts still pending or unknown when the command stopped waiting:
`cinetpay watch --journal PATH` follows them without sending, and the same payout command
resumes the run (it never sends a row twice).";

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
    /// Name of the payout run (e.g. 2026-11-salaries): needed to start a run in a new journal;
    /// rows of the same run always get the same ids, so they are never paid twice.
    #[arg(long, value_name = "NAME", value_parser = parse_run_name)]
    pub run: Option<String>,
    /// Start a new run with a generated name: every row of the file is paid, even if an earlier
    /// run paid the same rows.
    #[arg(long, conflicts_with = "run")]
    pub new_run: bool,
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
    /// Print what would be sent, per country against the balance, and stop: nothing is sent and
    /// no journal is written.
    #[arg(long)]
    pub dry_run: bool,
    /// Send without asking for confirmation (needed to send when there is no terminal to ask on,
    /// e.g. in scripts; --sandbox never asks).
    #[arg(long)]
    pub yes: bool,
    /// Continue a run whose CSV changed: its new rows are paid, rows never sent that are gone are
    /// dropped (payouts already sent must still be in the file).
    #[arg(long)]
    pub allow_changed_file: bool,
    #[command(flatten)]
    pub wait: WaitArgs,
}

#[derive(Serialize)]
struct Summary<'a> {
    run: &'a Run,
    file: String,
    journal: String,
    exit_code: u8,
    error: Option<String>,
    totals: Totals,
    /// Rows CinetPay already held when this journal started (sent by another journal of the run).
    earlier: crate::summary::Tally,
    rows: &'a [JournalRow],
}

pub async fn run(global: &GlobalArgs, args: PayoutArgs) -> CliResult {
    let data = std::fs::read(&args.file)
        .map_err(|e| CliError::invalid(format!("cannot read {}: {e}", args.file.display())))?;
    let file_sha256 = sha256_hex(&data);
    let csv_rows = read_payouts(&data, args.notify_url.as_deref(), &Limits::default())
        .map_err(|errors| bad_rows(global.json, &args.file, &errors))?;
    let journal_path = journal_path(&args, global.sandbox);
    if args.dry_run {
        return dry_run(global, &args, &journal_path, &csv_rows).await;
    }
    let mut journal = Journal::open(&journal_path)?;

    let batching = Batching {
        chunk_size: Some(args.chunk_size as usize),
        max_concurrency: Some(args.max_concurrency as usize),
    };
    let session = Session::open_with(global, batching).await?;
    let client = &session.client;
    let (run, by_id) =
        start_or_resume(&mut journal, &args, global, &session, &file_sha256, &csv_rows).await?;
    if !global.sandbox {
        let hint = format!(
            "run {:?}; if interrupted, resume it with: {}",
            run.name,
            resume_command(global, &args, journal.path())
        );
        notice(global.json, &hint);
    }
    let uncertain = reconcile(client, &journal.rows()?).await;
    if !uncertain.is_empty() {
        tracing::info!(
            rows = uncertain.len(),
            "reconciled rows left uncertain by an earlier run"
        );
        journal.apply(&uncertain)?;
    }

    confirm(global, &args, &session, &run, &journal).await?;

    let progress = Progress::new(!global.json);
    let stopped = send_rows(&session, &mut journal, &by_id, &progress).await?;
    if !args.no_wait && stopped.is_none() {
        progress.phase("waiting", journal.rows()?.len() as u64);
        follow(client, &mut journal, &args.wait, &progress).await?;
    }
    progress.finish();

    let rows = journal.rows()?;
    let totals = Totals::of(&rows);
    let earlier = Totals::of(rows.iter().filter(|r| r.earlier)).total;
    // A run stopped by an unknown outcome exits 4 like any undecided run; other stops exit 1.
    let exit = match &stopped {
        Some(e) if e.kind() != ErrorKind::OutcomeUnknown => exit_of(e.kind()),
        _ => totals.exit(),
    };
    let error = stopped.map(|e| format!("sending stopped: {}", describe(&e)));
    if global.json {
        print_json(&Summary {
            run: &run,
            file: args.file.display().to_string(),
            journal: journal.path().display().to_string(),
            exit_code: exit as u8,
            error: error.clone(),
            totals,
            earlier,
            rows: &rows,
        });
    } else {
        print_summary(&args, &run, &journal, &rows, &totals);
    }
    if let Some(error) = error {
        crate::output::error(global.json, &error, exit);
    }
    Ok(exit)
}

/// Asks before the first payout of this invocation leaves (see `plan.rs` for when and why).
async fn confirm(
    global: &GlobalArgs,
    args: &PayoutArgs,
    session: &Session,
    run: &Run,
    journal: &Journal,
) -> Result<(), CliError> {
    let rows = journal.rows()?;
    let to_send: Vec<&JournalRow> = rows.iter().filter(|r| r.state.to_send()).collect();
    if to_send.is_empty() || args.yes || global.sandbox {
        return Ok(());
    }
    if std::io::stdin().is_terminal() {
        let balance = session.client.balance().await?;
        let plans = per_country(
            to_send.iter().map(|r| (r.prefix.as_str(), r.amount)),
            &balance,
            &Limits::default(),
        );
        eprintln!("{}", plan_table(&plans));
    }
    let question = format!(
        "send {} for run {:?} from the merchant whose API key fingerprint is {}, at {}",
        rows_and_xof(to_send.iter().map(|r| &r.amount)),
        run.name,
        session.merchant,
        run.base_url
    );
    agree(&question, args.yes, global.sandbox)
}

/// `--dry-run`: what the run would send now, per country against the balance. Rows the journal's
/// run already sent (or may have) are left out; nothing is sent or written.
async fn dry_run(
    global: &GlobalArgs,
    args: &PayoutArgs,
    journal_path: &Path,
    csv_rows: &[PayoutRow],
) -> CliResult {
    let session = Session::open(global).await?;
    let base_url = session.client.config().base_url.clone();
    let mut run_name = args.run.clone();
    let mut handled: HashSet<String> = HashSet::new();
    if journal_path.is_file() {
        let journal = Journal::open(journal_path)?;
        if let Some(run) = journal.run()? {
            run.check_account(&base_url, &session.merchant, journal_path)?;
            handled = journal
                .rows()?
                .into_iter()
                .filter(|r| !r.state.to_send())
                .map(|r| r.client_transaction_id)
                .collect();
            run_name = Some(run.name);
        }
    }
    let ids = row_ids(run_name.as_deref().unwrap_or("dry-run"), csv_rows);
    let to_send: Vec<&PayoutRow> = csv_rows
        .iter()
        .zip(&ids)
        .filter(|(_, id)| !handled.contains(*id))
        .map(|(r, _)| r)
        .collect();
    let balance = session.client.balance().await?;
    let plans = per_country(
        to_send.iter().map(|r| (r.prefix.as_str(), r.amount)),
        &balance,
        &Limits::default(),
    );
    let short: Vec<&CountryPlan> = plans.iter().filter(|p| !p.covered()).collect();
    if global.json {
        print_json(&serde_json::json!({
            "dry_run": true,
            "file": args.file.display().to_string(),
            "run": run_name,
            "already_sent": handled.len(),
            "countries": plans,
        }));
    } else {
        println!("dry run of {}: nothing is sent", args.file.display());
        println!("{}", plan_table(&plans));
        if !handled.is_empty() {
            println!(
                "{} row(s) that run {:?} already sent (or may have) are left out",
                handled.len(),
                run_name.as_deref().unwrap_or_default()
            );
        }
    }
    if short.is_empty() {
        return Ok(Exit::Ok);
    }
    let lacking: Vec<String> = short
        .iter()
        .map(|p| {
            format!(
                "{} (needs {}, available {})",
                p.country,
                xof(p.amount_xof),
                p.available_xof.map_or("-".into(), xof)
            )
        })
        .collect();
    Err(CliError::new(
        Exit::Error,
        format!("the balance is not enough for: {}", lacking.join(", ")),
    ))
}

/// The command that continues this run: same service, same file, same journal.
fn resume_command(global: &GlobalArgs, args: &PayoutArgs, journal: &Path) -> String {
    let base_url = global
        .base_url
        .as_ref()
        .map(|url| format!(" --base-url {url}"))
        .unwrap_or_default();
    format!(
        "cinetpay{base_url} payout {} --journal {}",
        args.file.display(),
        journal.display()
    )
}

/// What Ctrl-C means for a payout run.
pub fn interrupted_message(global: &GlobalArgs, args: &PayoutArgs) -> String {
    if args.dry_run {
        return "interrupted; a dry run sends nothing and writes no journal".into();
    }
    if global.sandbox {
        return "interrupted; the embedded sandbox stops with this process (no money moved)".into();
    }
    format!(
        "interrupted; every change so far is in the journal. Resume the run with `{}`: rows \
         sent or possibly sent are looked up and never sent twice.",
        resume_command(global, args, &journal_path(args, false))
    )
}

/// `--journal`, else FILE.csv.journal.sqlite beside the file. With `--sandbox`, else a new file in
/// the temporary directory: the embedded sandbox dies with the process, so a later run could not
/// resume against it, and a demo should not leave a journal beside the example file.
fn journal_path(args: &PayoutArgs, sandbox: bool) -> PathBuf {
    if let Some(path) = &args.journal {
        return path.clone();
    }
    if sandbox {
        let name = format!("{}.journal.sqlite", fresh_run_name(SANDBOX_RUN_PREFIX));
        return std::env::temp_dir().join(name);
    }
    let mut name = args.file.clone().into_os_string();
    name.push(".journal.sqlite");
    PathBuf::from(name)
}

/// Every bad row, on stderr (and as JSON on stdout with `--json`); exit 2.
fn bad_rows(json: bool, file: &Path, errors: &[RowError]) -> CliError {
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

/// `N rows, X XOF`.
fn rows_and_xof<'a>(rows: impl IntoIterator<Item = &'a i64>) -> String {
    let (n, total) = rows.into_iter().fold((0, 0), |(n, t), a| (n + 1, t + a));
    format!("{n} row(s), {}", xof(total))
}

/// Starts the run in a new journal, or checks that the journal's run is the one meant and
/// continues it with the file as it is now. Returns the run and the file's rows by id.
async fn start_or_resume(
    journal: &mut Journal,
    args: &PayoutArgs,
    global: &GlobalArgs,
    session: &Session,
    file_sha256: &str,
    csv_rows: &[PayoutRow],
) -> Result<(Run, HashMap<String, PayoutRow>), CliError> {
    let base_url = session.client.config().base_url.clone();
    let existing = journal.run()?;
    let name = match (&existing, &args.run, args.new_run) {
        (Some(run), None, false) => run.name.clone(),
        (Some(run), Some(name), _) if *name == run.name => run.name.clone(),
        (Some(run), _, _) => {
            let total = rows_and_xof(csv_rows.iter().map(|r| &r.amount));
            return Err(CliError::invalid(format!(
                "the journal {} holds run {:?} (started {}), so nothing was sent. To continue that \
                 run, leave out --run and --new-run. A different run needs its own journal \
                 (--journal NEW_PATH) and pays every row of this file again ({total}), even those \
                 run {:?} paid.",
                journal.path().display(),
                run.name,
                run.created_at,
                run.name
            )));
        }
        (None, Some(name), _) => name.clone(),
        (None, None, true) => fresh_run_name("run"),
        (None, None, false) if global.sandbox => fresh_run_name(SANDBOX_RUN_PREFIX),
        (None, None, false) => {
            let total = rows_and_xof(csv_rows.iter().map(|r| &r.amount));
            return Err(CliError::invalid(format!(
                "{} is a new journal, so this starts a new payout run: name it with --run NAME \
                 (e.g. --run 2026-11-salaries). Rows of one run always get the same ids and CinetPay \
                 never pays an id twice, so the name of a run already paid pays none of its rows \
                 again, and a new name pays every row of this file ({total}). Nothing was sent.",
                journal.path().display()
            )));
        }
    };
    let ids = row_ids(&name, csv_rows);
    let new_rows: Vec<NewRow> = csv_rows
        .iter()
        .zip(&ids)
        .map(|(r, id)| NewRow {
            line: r.line,
            client_transaction_id: id.clone(),
            prefix: r.prefix.clone(),
            phone: r.phone.clone(),
            amount: r.amount,
            notify_url: r.notify_url.clone(),
        })
        .collect();
    let by_id: HashMap<String, PayoutRow> = ids.into_iter().zip(csv_rows.iter().cloned()).collect();
    let run = match existing {
        Some(run) => {
            run.check_account(&base_url, &session.merchant, journal.path())
                .map_err(|e| {
                    let total = rows_and_xof(csv_rows.iter().map(|r| &r.amount));
                    CliError::invalid(format!(
                        "{} To pay this file from this account instead, start a run for it in its \
                         own journal (--journal NEW_PATH --run NAME): that pays its {total} here.",
                        e.message
                    ))
                })?;
            if run.file_sha256 != file_sha256 {
                let plan = journal.plan_changed_file(&new_rows)?;
                check_changed_file(args, &run, journal, &plan)?;
                journal.accept_changed_file(file_sha256, &new_rows)?;
            }
            run
        }
        None => {
            let run = Run {
                name,
                csv_path: args.file.display().to_string(),
                file_sha256: file_sha256.to_owned(),
                base_url,
                merchant: session.merchant.clone(),
                created_at: String::new(),
            };
            // Ids made from a name given now were never used; any other may have been sent by
            // another journal of this run (a lost journal, another machine): ask before sending.
            let fresh = args.run.is_none();
            let maybe_used: Vec<&NewRow> = new_rows
                .iter()
                .filter(|r| !fresh || by_id[&r.client_transaction_id].client_transaction_id.is_some())
                .collect();
            let found = already_at_cinetpay(session, &maybe_used).await?;
            journal.create_run(&run, &new_rows, &found)?;
            if !found.is_empty() {
                let amounts: Vec<i64> = found
                    .iter()
                    .filter_map(|c| {
                        new_rows
                            .iter()
                            .find(|r| r.client_transaction_id == c.client_transaction_id)
                    })
                    .map(|r| r.amount)
                    .collect();
                let note = format!(
                    "note: {} of run {:?} were already at CinetPay when this journal started (sent by \
                     another journal of the run): they are not sent again. If this file is a new \
                     payment, it needs a new run name, in a new journal (that pays these rows again).",
                    rows_and_xof(&amounts),
                    run.name
                );
                notice(global.json, &note);
            }
            journal.run()?.expect("just created")
        }
    };
    Ok((run, by_id))
}

/// Refuses a changed file that dropped payouts already sent, or whose new rows the user did not
/// agree to pay; says in rows and XOF what `--allow-changed-file` would do.
fn check_changed_file(
    args: &PayoutArgs,
    run: &Run,
    journal: &Journal,
    plan: &FilePlan,
) -> Result<(), CliError> {
    let file = args.file.display();
    if !plan.sent_and_gone.is_empty() {
        let lines: Vec<String> = plan
            .sent_and_gone
            .iter()
            .map(|r| {
                format!(
                    "  line {} when sent: {}, {}",
                    r.line,
                    r.describe(),
                    r.state.as_str()
                )
            })
            .collect();
        return Err(CliError::invalid(format!(
            "{file} changed since run {:?} started, and {} payout(s) the run already sent (or may \
             have sent) are no longer in it as they were sent (changed or removed):\n{}\n\
             A payout that was sent exists whatever the file says now, so nothing was sent. Put \
             these rows back as they were; to pay someone a different amount, keep the row and \
             add another row for the difference.",
            run.name,
            plan.sent_and_gone.len(),
            lines.join("\n")
        )));
    }
    if plan.is_empty() || args.allow_changed_file {
        if !plan.is_empty() {
            tracing::info!(
                added = plan.added.len(),
                dropped = plan.dropped.len(),
                "continuing with a changed file"
            );
        }
        return Ok(());
    }
    let sent = journal.rows()?.iter().filter(|r| !r.state.to_send()).count();
    Err(CliError::invalid(format!(
        "{file} changed since run {:?} started ({}). To continue the run with the file as it is \
         now, add --allow-changed-file: that pays {} new in the file, drops {} never sent that \
         are gone from it, and sends none of the {sent} row(s) already sent again. Nothing was sent.",
        run.name,
        run.created_at,
        rows_and_xof(plan.added.iter().map(|r| &r.amount)),
        rows_and_xof(plan.dropped.iter().map(|r| &r.amount)),
    )))
}

/// What CinetPay already holds of a run's rows; a conflict (another payout under a row's id) or
/// a lookup that fails stops the run before anything is sent.
async fn already_at_cinetpay(session: &Session, rows: &[&NewRow]) -> Result<Vec<Change>, CliError> {
    let transfers: Vec<_> = rows
        .iter()
        .map(|r| {
            cinetpay_transfer::Transfer::new(&r.prefix, &r.phone, r.amount, &r.notify_url)
                .client_transaction_id(&r.client_transaction_id)
        })
        .collect();
    let answers = look_up_all(&session.client, &transfers).await;
    let mut found = Vec::new();
    for (row, answer) in rows.iter().zip(answers) {
        match answer {
            Ok(PayoutLookup::Found(info)) => found.push(change_of(&row.client_transaction_id, &info)),
            Ok(PayoutLookup::NotFound) => {}
            Ok(PayoutLookup::Conflict(info)) => {
                return Err(CliError::invalid(format!(
                    "line {}: client_transaction_id {:?} is already used at CinetPay by another payout \
                     ({}, {}): give the row another id. Nothing was sent.",
                    row.line,
                    row.client_transaction_id,
                    xof(info.amount),
                    info.transaction_id
                )))
            }
            Err(e) => {
                return Err(CliError::new(
                    Exit::Error,
                    format!(
                        "cannot tell whether CinetPay already holds line {} ({}): {}. Nothing was \
                         sent; the same command asks again.",
                        row.line,
                        row.client_transaction_id,
                        describe(&e)
                    ),
                ))
            }
        }
    }
    Ok(found)
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

fn print_summary(args: &PayoutArgs, run: &Run, journal: &Journal, rows: &[JournalRow], totals: &Totals) {
    println!(
        "run {:?}: payouts of {} (journal: {})",
        run.name,
        args.file.display(),
        journal.path().display()
    );
    println!("{}", totals_table(totals));
    let earlier: Vec<i64> = rows.iter().filter(|r| r.earlier).map(|r| r.amount).collect();
    if !earlier.is_empty() {
        println!(
            "of which {} were already at CinetPay when this journal started (not sent by it)",
            rows_and_xof(&earlier)
        );
    }
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
