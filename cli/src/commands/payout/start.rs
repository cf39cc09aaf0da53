//! How a payout run starts or continues: which run a journal holds, the run's ids for the file as
//! it is now, what CinetPay already holds of a new run (ADR 5), and the refusals, each saying in
//! rows and XOF what the way out would pay.
//!
//! A new journal gets its rows straight from a second read of the file, in one transaction; only
//! the rows that must be looked up first (every row of a named run, the file's own ids) and a
//! changed file's rows (compared with the journal's) are held in memory.

use std::collections::HashSet;

use cinetpay_transfer::PayoutLookup;

use crate::csv_input::PayoutRow;
use crate::exit::{describe, CliError, Exit};
use crate::identity::{fresh_run_name, SANDBOX_RUN_PREFIX};
use crate::journal::{Change, FilePlan, Journal, NewRow, RowState, Run};
use crate::output::{notice, xof};
use crate::session::Session;
use crate::tracking::{change_of, look_up_all};
use crate::GlobalArgs;

use super::file::PayoutFile;
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
            return Err(CliError::invalid(format!(
                "the journal {} holds run {:?} (started {}), so nothing was sent. To continue that \
                 run, leave out --run and --new-run. A different run needs its own journal \
                 (--journal NEW_PATH) and pays {}, even those run {:?} paid.",
                journal.path().display(),
                run.name,
                run.created_at,
                what_a_new_run_pays(file),
                run.name
            )));
        }
        (None, Some(name), _) => name.clone(),
        (None, None, true) => fresh_run_name("run"),
        (None, None, false) if global.sandbox => fresh_run_name(SANDBOX_RUN_PREFIX),
        (None, None, false) => {
            return Err(CliError::invalid(format!(
                "{} is a new journal, so this starts a new payout run: name it with --run NAME \
                 (e.g. --run 2026-11-salaries). Rows of one run always get the same ids and CinetPay \
                 never pays an id twice, so the name of a run already paid pays none of its rows \
                 again, and a new name pays {}. Nothing was sent.",
                journal.path().display(),
                what_a_new_run_pays(file)
            )));
        }
    };
    let run = match existing {
        Some(run) => {
            run.check_account(&base_url, &session.merchant, journal.path())
                .map_err(|e| {
                    CliError::invalid(format!(
                        "{} To pay this file from this account instead, start a run for it in its \
                         own journal (--journal NEW_PATH --run NAME): that pays its {} here.",
                        e.message,
                        file.all_rows()
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
            let rows = file
                .rows(&run.name)?
                .map(|row| row.map(|(id, r)| new_row(id, &r)));
            journal.create_run(&run, rows, &found, &unsure)?;
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
            error: Some(format!(
                "not at CinetPay when this journal started; another journal of run {run:?} may \
                 have sent it moments ago: looked up again before it is sent"
            )),
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
        format!("every row of this file ({total})")
    } else {
        format!(
            "every row of this file without its own client_transaction_id ({total}; the others \
             keep their ids and are never paid twice)"
        )
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
        notes.push(format!(
            "note: {what} of run {run:?} were already at CinetPay when this journal started (sent by \
             another journal of the run): they are not sent again. If this file is a new payment, \
             it needs a new run name, in a new journal: that pays these {what} again."
        ));
    }
    if !own_ids.is_empty() {
        let what = rows_and_xof(own_ids.iter().map(|(r, _)| &r.amount));
        notes.push(format!(
            "note: {what} whose client_transaction_id comes from the file were already at CinetPay \
             under those ids: they are not sent again. A run name does not change these ids; to pay \
             them again as a new payment, give them new ids in the file."
        ));
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
