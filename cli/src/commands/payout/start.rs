//! How a payout run starts or continues: which run a journal holds, the run's ids for the file as
//! it is now, what CinetPay already holds of a new run (ADR 5), and the refusals, each saying in
//! rows and XOF what the way out would pay.
//!
//! A new journal gets its rows straight from a second read of the file, in one transaction (the
//! file read on a thread of its own, a batch ahead of the inserts: `file::read_ahead`); only the
//! rows that must be looked up first (every row of a named run, the file's own ids) and a
//! changed file's rows (compared with the journal's) are held in memory.

use std::collections::HashSet;

use cinetpay_transfer::PayoutLookup;

use crate::csv_input::PayoutRow;
use crate::exit::{describe, CliError, Exit};
use crate::i18n::{count, t, text};
use crate::identity::{fresh_run_name, SANDBOX_RUN_PREFIX};
use crate::journal::{Change, FilePlan, Journal, NewRow, RowState, Run};
use crate::output::{notice, xof};
use crate::session::Session;
use crate::tracking::{change_of, look_up_all};
use crate::GlobalArgs;

use super::file::{read_ahead, PayoutFile};
use super::{count_and_xof, rows_and_xof, PayoutArgs};

/// Starts the run in a new journal, or checks that the journal's run is the one meant and
/// continues it with the file as it is now.
pub(super) async fn start_or_resume(
    journal: &mut Journal,
    args: &PayoutArgs,
    global: &GlobalArgs,
    session: &Session,
    file: &PayoutFile,
) -> Result<Run, CliError> {
    let base_url = session.client.config().base_url.clone();
    let existing = journal.run()?;
    let name = match (&existing, &args.run, args.new_run) {
        (Some(run), None, false) => run.name.clone(),
        (Some(run), Some(name), _) if *name == run.name => run.name.clone(),
        (Some(run), _, _) => {
            return Err(CliError::invalid(t!(
                "journal-holds-other-run",
                journal = text(journal.path().display()),
                run = text(format!("{:?}", run.name)),
                started = text(&run.created_at),
                pays = text(what_a_new_run_pays(file))
            )));
        }
        (None, Some(name), _) => name.clone(),
        (None, None, true) => fresh_run_name("run"),
        (None, None, false) if global.sandbox => fresh_run_name(SANDBOX_RUN_PREFIX),
        (None, None, false) => {
            return Err(CliError::invalid(t!(
                "new-journal-needs-run",
                journal = text(journal.path().display()),
                pays = text(what_a_new_run_pays(file))
            )));
        }
    };
    let run = match existing {
        Some(run) => {
            run.check_account(&base_url, &session.merchant, journal.path())
                .map_err(|e| {
                    CliError::invalid(t!(
                        "other-account",
                        reason = text(&e.message),
                        rows = text(file.all_rows())
                    ))
                })?;
            if run.file_sha256 != file.sha256 {
                let new_rows: Vec<NewRow> = file
                    .rows(&run.name)?
                    .map(|row| row.map(|(id, r)| new_row(id, &r)))
                    .collect::<Result<_, _>>()?;
                let plan = journal.plan_changed_file(&new_rows)?;
                check_changed_file(args, &run, journal, &plan)?;
                journal.accept_changed_file(&file.sha256, &new_rows)?;
            }
            run
        }
        None => {
            let run = Run {
                name,
                csv_path: args.file.display().to_string(),
                file_sha256: file.sha256.clone(),
                base_url,
                merchant: session.merchant.clone(),
                created_at: String::new(),
            };
            // Ids made from a name given now were never used; any other may have been sent by
            // another journal of this run (a lost journal, another machine): ask before sending.
            let fresh = args.run.is_none();
            let mut maybe_used: Vec<(NewRow, bool)> = Vec::new();
            // (A fresh name with no id of the file's own: nothing to look up, no pass.)
            if !fresh || file.derived.0 < file.all.0 {
                for row in file.rows(&run.name)? {
                    let (id, r) = row?;
                    let own_id = r.client_transaction_id.is_some();
                    if !fresh || own_id {
                        maybe_used.push((new_row(id, &r), own_id));
                    }
                }
            }
            let found = already_at_cinetpay(session, &maybe_used).await?;
            let unsure = maybe_in_flight(&run.name, global.sandbox, &found, &maybe_used);
            std::thread::scope(|scope| {
                let rows = read_ahead(scope, || -> Box<dyn Iterator<Item = Result<NewRow, CliError>>> {
                    match file.rows(&run.name) {
                        Ok(rows) => Box::new(rows.map(|row| row.map(|(id, r)| new_row(id, &r)))),
                        Err(e) => Box::new(std::iter::once(Err(e))),
                    }
                });
                journal.create_run(&run, rows, &found, &unsure)
            })?;
            for note in found_notes(&run.name, &found, &maybe_used) {
                notice(global.json, &note);
            }
            journal.run()?.expect("just created")
        }
    };
    Ok(run)
}

/// The rows looked up and not found: another journal of the run (a lost one, another machine) may
/// have sent them moments ago, its requests still running unseen at CinetPay. They start
/// `unknown` (with the time they were looked up), so that the run looks them up again, and sends
/// them only once no such request may still be running (`tracking::reconcile`), a Ctrl-C or a
/// crash included. The embedded sandbox is new in this process: nothing of it can be in flight.
fn maybe_in_flight(run: &str, sandbox: bool, found: &[Change], looked_up: &[(NewRow, bool)]) -> Vec<Change> {
    if sandbox {
        return Vec::new();
    }
    let found: HashSet<&str> = found.iter().map(|c| c.client_transaction_id.as_str()).collect();
    looked_up
        .iter()
        .map(|(r, _)| r.client_transaction_id.as_str())
        .filter(|id| !found.contains(id))
        .map(|id| Change {
            error: Some(t!("maybe-sent-by-other-journal", run = text(format!("{run:?}")))),
            ..Change::state(id, RowState::Unknown)
        })
        .collect()
}

/// The journal's record of a row of the file.
fn new_row(client_transaction_id: String, row: &PayoutRow) -> NewRow {
    NewRow {
        line: row.line,
        client_transaction_id,
        prefix: row.prefix.clone(),
        phone: row.phone.clone(),
        amount: row.amount,
        notify_url: row.notify_url.clone(),
    }
}

/// What a run under a new name pays of the file: every row, except rows with their own id in the
/// file (a run name does not change those, and CinetPay never pays an id twice).
fn what_a_new_run_pays(file: &PayoutFile) -> String {
    let total = count_and_xof(file.derived.0, file.derived.1);
    if file.derived.0 == file.all.0 {
        t!("new-run-pays-all", rows = text(total))
    } else {
        t!("new-run-pays-derived", rows = text(total))
    }
}

/// What to tell about rows CinetPay already held when the run started in this journal: rows with
/// derived ids are paid again only under a new run name; rows with the file's own ids only under
/// new ids (a run name does not change them).
/// `rows` are the rows looked up, each with whether its id is the file's own.
fn found_notes(run: &str, found: &[Change], rows: &[(NewRow, bool)]) -> Vec<String> {
    let found: HashSet<&str> = found.iter().map(|c| c.client_transaction_id.as_str()).collect();
    let (own_ids, derived): (Vec<_>, Vec<_>) = rows
        .iter()
        .filter(|(r, _)| found.contains(r.client_transaction_id.as_str()))
        .partition(|(_, own_id)| *own_id);
    let mut notes = Vec::new();
    if !derived.is_empty() {
        let what = rows_and_xof(derived.iter().map(|(r, _)| &r.amount));
        notes.push(t!(
            "note-found-derived",
            what = text(what),
            run = text(format!("{run:?}"))
        ));
    }
    if !own_ids.is_empty() {
        let what = rows_and_xof(own_ids.iter().map(|(r, _)| &r.amount));
        notes.push(t!("note-found-own", what = text(what)));
    }
    notes
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
                t!(
                    "sent-row-line",
                    line = text(r.line),
                    row = text(r.describe()),
                    state = text(r.state.as_str())
                )
            })
            .collect();
        let title = t!(
            "sent-rows-gone",
            file = text(&file),
            run = text(format!("{:?}", run.name)),
            count = count(plan.sent_and_gone.len() as u64)
        );
        return Err(CliError::invalid(format!(
            "{title}\n{}\n{}",
            lines.join("\n"),
            t!("sent-rows-gone-advice")
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
    Err(CliError::invalid(t!(
        "file-changed",
        file = text(&file),
        run = text(format!("{:?}", run.name)),
        started = text(&run.created_at),
        added = text(rows_and_xof(plan.added.iter().map(|r| &r.amount))),
        dropped = text(rows_and_xof(plan.dropped.iter().map(|r| &r.amount))),
        sent = count(sent as u64)
    )))
}

/// What CinetPay already holds of a run's rows; a conflict (another payout under a row's id) or
/// a lookup that fails stops the run before anything is sent.
async fn already_at_cinetpay(session: &Session, rows: &[(NewRow, bool)]) -> Result<Vec<Change>, CliError> {
    let transfers: Vec<_> = rows
        .iter()
        .map(|(r, _)| {
            cinetpay_transfer::Transfer::new(&r.prefix, &r.phone, r.amount, &r.notify_url)
                .client_transaction_id(&r.client_transaction_id)
        })
        .collect();
    let answers = look_up_all(&session.client, &transfers).await;
    let mut found = Vec::new();
    for ((row, _), answer) in rows.iter().zip(answers) {
        match answer {
            Ok(PayoutLookup::Found(info)) => found.push(change_of(&row.client_transaction_id, &info)),
            Ok(PayoutLookup::NotFound) => {}
            Ok(PayoutLookup::Conflict(info)) => {
                return Err(CliError::invalid(t!(
                    "id-taken",
                    line = text(row.line),
                    id = text(format!("{:?}", row.client_transaction_id)),
                    amount = text(xof(info.amount)),
                    transaction = text(&info.transaction_id)
                )))
            }
            Err(e) => {
                return Err(CliError::new(
                    Exit::Error,
                    t!(
                        "lookup-undecided",
                        line = text(row.line),
                        id = text(&row.client_transaction_id),
                        reason = text(describe(&e))
                    ),
                ))
            }
        }
    }
    Ok(found)
}
