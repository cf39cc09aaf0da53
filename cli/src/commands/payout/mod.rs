//! `cinetpay payout FILE.csv`: a bulk payout, safe to interrupt and to run again.
//!
//! The steps, each committed to the journal before the next (see `journal.rs` for why):
//! 1. open the journal beside the file (or `--journal`), and read and check the whole file
//!    (streamed, `file.rs`); any bad row or column stops everything before a request. A journal
//!    holding no run starts the run named by `--run` (or `--new-run`) in the same pass, each row
//!    inserted as it is checked, committed once the whole file is valid and CinetPay said which
//!    rows another journal of that run already sent (ADR 5); a run that does not start leaves no
//!    new journal behind;
//! 2. an existing journal continues its own run, on its own service and merchant only, with the
//!    file as it is now (rows matched by id; sent rows may not vanish);
//! 3. reconcile rows an earlier attempt left `sending` or `unknown` (the core's `look_up`); a row
//!    not found goes back to `pending` only once no earlier attempt of it may still be running
//!    (`--request-timeout` + `--processing-window` since it may have left): until then it waits;
//! 4. ask before the first payout leaves (`plan.rs`); `--dry-run` shows the plan and stops;
//! 5. send the rows still to send a window at a time (`sending.rs`): the window's rows marked
//!    `sending` in one transaction, then one call of the core's `pay_observed` (contacts, then
//!    chunks of `--chunk-size` with up to `--max-concurrency` requests in flight; never twice),
//!    recording each chunk's results once it settles (`journal_thread.rs`); a failure about the account or the service
//!    rather than about a row stops the call from starting more requests (those in flight
//!    finish; rows never sent are `pending` again) and ends the run;
//! 6. unless `--no-wait`, poll until every accepted row is paid or rejected (or `--timeout`);
//! 7. print the summary with the run's name; the exit code says whether anything needs attention.

use std::path::Path;
use std::path::PathBuf;

use cinetpay_transfer::{ErrorKind, Limits};
use clap::Args;
use serde::Serialize;

use crate::csv_input::{read_payouts, RowError};
use crate::exit::{describe, exit_of, CliError, CliResult, Exit};
use crate::i18n::{count, t, text};
use crate::identity::{fresh_run_name, parse_run_name, SANDBOX_RUN_PREFIX};
use crate::journal::{Journal, JournalRow, Run};
use crate::output::{cell, notice, print_json, table, totals_table, xof};
use crate::progress::Progress;
use crate::session::Batching;
use crate::summary::Totals;
use crate::tracking::{follow, reconcile};
use crate::{GlobalArgs, WaitArgs};

mod ask;
mod file;
mod journal_thread;
mod packed_rows;
mod sending;
mod start;

use ask::{confirm, dry_run};
use file::PayoutFile;
use sending::send_rows;
use start::start_or_resume;

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
pays every row of the file again (next month's payroll is a new run), except rows with their
own client_transaction_id, which keep it.

Journal: FILE.csv.journal.sqlite beside the file, or --journal PATH. Running the same command
again resumes the run it holds: paid, rejected and accepted rows are never sent again; rows whose
outcome was unknown are looked up first, and sent again under their same id only once no earlier
request of them may still be running (--request-timeout + --processing-window since it may have
left, the longest any command of the run used; the command waits, saying how long). Rows are matched by id,
not line: fixing names or reordering changes nothing; rows added or removed since the run started
are taken only with --allow-changed-file (the refusal says, in rows and XOF, what that would pay);
payouts already sent that are no longer in the file as sent stop the run.

Before sending, a run asks for confirmation on a terminal; --yes skips it, and without a terminal
it is required. --dry-run shows what would be sent per country against the balance, and stops.

Exit codes: 0 all paid; 1 error (authentication, balance, service; sending stopped); 2 invalid
rows or flags, changed file, journal of another run or account; nothing sent; 3 some payouts
rejected or failed; 4 some payouts still pending or unknown when the command stopped waiting:
`cinetpay watch --journal PATH` follows them without sending, and the same payout command
resumes the run (it never sends a row twice).";

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

impl PayoutArgs {
    /// The flags as clap defaults them (to leave defaults out of printed commands).
    fn defaults() -> PayoutArgs {
        match <crate::Cli as clap::Parser>::parse_from(["cinetpay", "payout", "x.csv"]).command {
            crate::Command::Payout(args) => args,
            _ => unreachable!("a payout command line"),
        }
    }
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
    let journal_path = journal_path(&args, global.sandbox);
    if args.dry_run {
        // What a dry run shows is per row: it reads the file in memory.
        let data = std::fs::read(&args.file)
            .map_err(|e| CliError::invalid(format!("cannot read {}: {e}", args.file.display())))?;
        let csv_rows = read_payouts(&data, args.notify_url.as_deref(), &Limits::default())
            .map_err(|errors| bad_rows(global.json, &args.file, &errors))?;
        return dry_run(global, &args, &journal_path, &csv_rows).await;
    }
    // A file that cannot be read is that error (exit 2), whatever the journal's path.
    PayoutFile::readable(&args.file)?;
    let batching = Batching {
        chunk_size: Some(args.chunk_size as usize),
        max_concurrency: Some(args.max_concurrency as usize),
    };
    let journal = Journal::open(&journal_path)?;
    let (mut journal, session, run) = start_or_resume(journal, &args, global, batching).await?;
    let client = &session.client;
    if !global.sandbox {
        let hint = t!(
            "payout-started",
            run = text(format!("{:?}", run.name)),
            resume = text(resume_command(global, &args, journal.path()))
        );
        notice(global.json, &hint);
    }
    reconcile(client, &mut journal, global.json).await?;

    confirm(global, &args, &session, &run, &journal).await?;

    let progress = Progress::new(!global.json);
    let (mut journal, stopped) = send_rows(&session, journal, &progress).await?;
    if !args.no_wait && stopped.is_none() {
        let rows = Totals::of_tallies(&journal.tallies()?.all).total.count;
        progress.phase(crate::progress::Phase::Waiting, rows);
        follow(client, &mut journal, &args.wait, &progress).await?;
    }
    progress.finish();

    let tallies = journal.tallies()?;
    let totals = Totals::of_tallies(&tallies.all);
    let earlier = Totals::of_tallies(&tallies.earlier).total;
    // A run stopped by an unknown outcome exits 4 like any undecided run, one stopped by a
    // window refused as a whole (after earlier windows were sent) as its rows' states say; other
    // stops exit 1.
    let exit = match &stopped {
        Some(e) if !matches!(e.kind(), ErrorKind::OutcomeUnknown | ErrorKind::Validation) => {
            exit_of(e.kind())
        }
        _ => totals.exit(),
    };
    let error = stopped.map(|e| t!("sending-stopped", reason = text(describe(&e))));
    if global.json {
        print_json(&Summary {
            run: &run,
            file: args.file.display().to_string(),
            journal: journal.path().display().to_string(),
            exit_code: exit as u8,
            error: error.clone(),
            totals,
            earlier,
            rows: &journal.rows()?,
        });
    } else {
        print_summary(&args, &run, &journal, &totals, earlier)?;
    }
    if let Some(error) = error {
        crate::output::error(global.json, &error, exit);
    }
    if exit == Exit::Unfinished && !global.sandbox {
        let resume = resume_command(global, &args, journal.path());
        let flags = connection_flags(global);
        let hint = t!(
            "payout-unfinished",
            pending = count(totals.pending.count),
            unknown = count(totals.unknown.count),
            flags = text(flags),
            journal = text(journal.path().display()),
            resume = text(resume)
        );
        notice(global.json, &hint);
    }
    // The process ends with this command: the client's memory (among it, every payee the run
    // registered, 100,000 on a large payroll) is left to the operating system, not freed string
    // by string (40 ms after the summary was printed, issue 13).
    std::mem::forget(session);
    Ok(exit)
}

/// The command that continues this run: same service, same file, same journal, and every flag
/// given that changes what is sent or how (credentials stay where they are: never flags).
/// Confirmation (`--yes`) and a changed file (`--allow-changed-file`) are asked for again.
fn resume_command(global: &GlobalArgs, args: &PayoutArgs, journal: &Path) -> String {
    let mut command = format!(
        "cinetpay{} payout {} --journal {}",
        connection_flags(global),
        shell_word(&args.file.display().to_string()),
        shell_word(&journal.display().to_string())
    );
    if let Some(url) = &args.notify_url {
        command.push_str(&format!(" --notify-url {}", shell_word(url)));
    }
    let defaults = PayoutArgs::defaults();
    if args.chunk_size != defaults.chunk_size {
        command.push_str(&format!(" --chunk-size {}", args.chunk_size));
    }
    if args.max_concurrency != defaults.max_concurrency {
        command.push_str(&format!(" --max-concurrency {}", args.max_concurrency));
    }
    if args.no_wait {
        command.push_str(" --no-wait");
    }
    if args.wait.interval != defaults.wait.interval {
        command.push_str(&format!(" --interval {}", duration_word(args.wait.interval)));
    }
    if args.wait.timeout != defaults.wait.timeout {
        command.push_str(&format!(" --timeout {}", duration_word(args.wait.timeout)));
    }
    command
}

/// The global flags that choose the service and the account, and how requests are sent, as
/// given (those left at their default are left out), for hints.
fn connection_flags(global: &GlobalArgs) -> String {
    let mut flags = String::new();
    if let Some(url) = &global.base_url {
        flags.push_str(&format!(" --base-url {}", shell_word(url)));
    }
    if let Some(path) = &global.credentials_file {
        flags.push_str(&format!(
            " --credentials-file {}",
            shell_word(&path.display().to_string())
        ));
    }
    let defaults = <crate::Cli as clap::Parser>::parse_from(["cinetpay", "balance"]).global;
    if global.lang != defaults.lang {
        flags.push_str(match global.lang {
            crate::LangArg::En => " --lang en",
            crate::LangArg::Fr => " --lang fr",
        });
    }
    if global.max_attempts != defaults.max_attempts {
        flags.push_str(&format!(" --max-attempts {}", global.max_attempts));
    }
    if global.request_timeout != defaults.request_timeout {
        flags.push_str(&format!(
            " --request-timeout {}",
            duration_word(global.request_timeout)
        ));
    }
    if global.processing_window != defaults.processing_window {
        flags.push_str(&format!(
            " --processing-window {}",
            duration_word(global.processing_window)
        ));
    }
    flags
}

/// A duration as a flag value that reads back the same: `90s`, `1500ms`.
fn duration_word(d: std::time::Duration) -> String {
    if d.subsec_nanos() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

/// A value as one shell word: as is when it has no character a shell treats specially, else in
/// single quotes, so that a printed command can be pasted literally.
fn shell_word(raw: &str) -> String {
    let plain = !raw.is_empty()
        && raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        raw.to_owned()
    } else {
        format!("'{}'", raw.replace('\'', r"'\''"))
    }
}

/// What Ctrl-C means for a payout run.
pub fn interrupted_message(global: &GlobalArgs, args: &PayoutArgs) -> String {
    if args.dry_run {
        return t!("interrupted-dry-run");
    }
    if global.sandbox {
        return t!("interrupted-sandbox");
    }
    t!(
        "interrupted-payout",
        resume = text(resume_command(global, args, &journal_path(args, false)))
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
pub(super) fn bad_rows(json: bool, file: &Path, errors: &[RowError]) -> CliError {
    if json {
        print_json(&serde_json::json!({ "file": file.display().to_string(), "errors": errors }));
    }
    let lines: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
    let title = t!(
        "file-problems",
        file = text(file.display()),
        count = count(errors.len() as u64)
    );
    CliError::invalid(format!("{title}\n{}", lines.join("\n")))
}

/// `N rows, X XOF`.
pub(super) fn rows_and_xof<'a>(rows: impl IntoIterator<Item = &'a i64>) -> String {
    let (n, total) = rows.into_iter().fold((0, 0), |(n, t), a| (n + 1, t + a));
    count_and_xof(n, total)
}

/// `N rows, X XOF` of a count and a total.
pub(super) fn count_and_xof(rows: u64, total: i64) -> String {
    t!("rows-and-xof", rows = count(rows), amount = text(xof(total)))
}

/// The totals, the rows found at CinetPay when the journal started, and the first rows not paid
/// (read from the journal, never all of its rows).
fn print_summary(
    args: &PayoutArgs,
    run: &Run,
    journal: &Journal,
    totals: &Totals,
    earlier: crate::summary::Tally,
) -> Result<(), CliError> {
    println!(
        "{}",
        t!(
            "summary-title",
            run = text(format!("{:?}", run.name)),
            file = text(args.file.display()),
            journal = text(journal.path().display())
        )
    );
    println!("{}", totals_table(totals));
    if earlier.count > 0 {
        println!(
            "{}",
            t!(
                "summary-earlier",
                rows = text(count_and_xof(earlier.count, earlier.amount_xof))
            )
        );
    }
    let not_paid = totals.total.count - totals.paid.count;
    if not_paid == 0 {
        return Ok(());
    }
    let attention: Vec<Vec<String>> = journal
        .rows_not_paid(ATTENTION_ROWS)?
        .iter()
        .map(|r| {
            vec![
                r.line.to_string(),
                format!("+{} {}", r.prefix, r.phone),
                xof(r.amount),
                state_name(r.state),
                cell(r.error.as_deref()),
            ]
        })
        .collect();
    println!();
    println!(
        "{}",
        table(
            &[
                &t!("col-line"),
                &t!("col-phone"),
                &t!("col-amount"),
                &t!("col-state"),
                &t!("col-reason")
            ],
            &attention,
            &[0, 2]
        )
    );
    if not_paid > ATTENTION_ROWS as u64 {
        println!(
            "{}",
            t!("summary-more", count = count(not_paid - ATTENTION_ROWS as u64))
        );
    }
    Ok(())
}

/// A journal row's state in the command's language (JSON keeps `RowState::as_str`).
fn state_name(state: crate::journal::RowState) -> String {
    use crate::journal::RowState;
    match state {
        RowState::Sending => t!("state-sending"),
        RowState::Accepted => t!("state-accepted"),
        RowState::Pending => t!("state-pending"),
        RowState::Paid => t!("state-paid"),
        RowState::Rejected => t!("state-rejected"),
        RowState::Failed => t!("state-failed"),
        RowState::Unknown => t!("state-unknown"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn parse(words: &[&str]) -> (GlobalArgs, PayoutArgs) {
        let cli = crate::Cli::try_parse_from(words).expect("a valid command line");
        match cli.command {
            crate::Command::Payout(args) => (cli.global, args),
            _ => unreachable!(),
        }
    }

    /// Issue 11: the printed resume command, run literally, sends as the first run did: every
    /// flag that changes what is sent or how is in it (credentials never are).
    #[test]
    fn the_resume_command_keeps_every_flag_that_changes_what_is_sent() {
        let (global, args) = parse(&[
            "cinetpay",
            "--base-url",
            "http://127.0.0.1:9/v1",
            "--lang",
            "fr",
            "--max-attempts",
            "5",
            "--request-timeout",
            "1500ms",
            "--processing-window",
            "2m",
            "payout",
            "pay.csv",
            "--journal",
            "j.sqlite",
            "--run",
            "nov",
            "--notify-url",
            "https://m.example/n",
            "--chunk-size",
            "7",
            "--max-concurrency",
            "2",
            "--yes",
        ]);
        let resume = resume_command(&global, &args, Path::new("j.sqlite"));
        let words: Vec<&str> = resume.split(' ').collect();
        let (g, a) = parse(&words);
        assert_eq!(g.base_url, global.base_url);
        assert_eq!(g.lang, crate::LangArg::Fr);
        assert_eq!(g.max_attempts, 5);
        assert_eq!(g.request_timeout, global.request_timeout);
        assert_eq!(g.processing_window, global.processing_window);
        assert_eq!(a.file, args.file);
        assert_eq!(a.journal, args.journal);
        assert_eq!(a.notify_url, args.notify_url);
        assert_eq!((a.chunk_size, a.max_concurrency), (7, 2));
        assert!(a.run.is_none() && !a.yes && !a.allow_changed_file, "{resume}");

        // Defaults are left out; a path with a space is one shell word.
        let (global, args) = parse(&["cinetpay", "payout", "my pay.csv"]);
        let resume = resume_command(&global, &args, Path::new("my pay.csv.journal.sqlite"));
        assert_eq!(
            resume,
            "cinetpay payout 'my pay.csv' --journal 'my pay.csv.journal.sqlite'"
        );
        assert_eq!(shell_word("it's"), r"'it'\''s'");
    }
}
