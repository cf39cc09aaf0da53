//! How a payout run starts or continues: which run a journal holds, the run's ids for the file as
//! it is now, what CinetPay already holds of a new run (ADR 5), and the refusals, each saying in
//! rows and XOF what the way out would pay.
//!
//! A run starting in a journal that holds none reads the file once before its first request: each
//! row is checked, given its id and inserted as the pass goes (the file read and checked on a
//! thread of its own, the inserts on this one), in one transaction that commits only once the
//! whole file is valid and CinetPay said which rows another journal of the run already sent. Only
//! the rows that must be looked up (every row of a named run, the file's own ids) and a changed
//! file's rows (compared with the journal's) are held in memory.

use std::collections::HashSet;

use cinetpay_transfer::PayoutLookup;

use crate::csv_input::{PayoutRow, RowError};
use crate::exit::{describe, CliError, Exit};
use crate::i18n::{count, t, text};
use crate::identity::{file_id_clash, fresh_run_name, IdClash, SANDBOX_RUN_PREFIX};
use crate::journal::{Change, FilePlan, Journal, NewRow, Payee, RowState, Run};
use crate::output::{notice, xof};
use crate::session::{Batching, Session};
use crate::tracking::{change_of, look_up_all};
use crate::GlobalArgs;

use super::file::PayoutFile;
use super::{bad_rows, count_and_xof, rows_and_xof, PayoutArgs};

/// Starts the run in a journal that holds none (`start`), or checks that the journal's run is the
/// one meant and continues it with the file as it is now (`resume`). A run that does not start
/// (refused, a bad file, a lookup that fails) leaves no journal behind where there was none (an
/// interrupted start may leave an empty one, holding no run: the next start uses it).
pub(super) async fn start_or_resume(
    mut journal: Journal,
    args: &PayoutArgs,
    global: &GlobalArgs,
    batching: Batching,
) -> Result<(Journal, Session, Run), CliError> {
    let started = match new_run_name(&journal, args, global) {
        Ok(Some(name)) => start(&mut journal, args, global, batching, name).await,
        Ok(None) => resume(&mut journal, args, global, batching).await,
        Err(e) => Err(e),
    };
    match started {
        Ok((session, run)) => Ok((journal, session, run)),
        Err(e) => {
            journal.discard();
            Err(e)
        }
    }
}

/// The name of the run to start in `journal`: `None` when the journal holds a run already, or
/// when no name was given (`resume` refuses, saying what a run would pay).
fn new_run_name(
    journal: &Journal,
    args: &PayoutArgs,
    global: &GlobalArgs,
) -> Result<Option<String>, CliError> {
    if journal.run()?.is_some() {
        return Ok(None);
    }
    Ok(match (&args.run, args.new_run) {
        (Some(name), _) => Some(name.clone()),
        (None, true) => Some(fresh_run_name("run")),
        (None, false) if global.sandbox => Some(fresh_run_name(SANDBOX_RUN_PREFIX)),
        (None, false) => None,
    })
}

/// Starts run `name` in `journal`, which holds none, reading the file once (see the module doc);
/// the session is opened once the file is found valid, so a bad file stops everything before any
/// request.
async fn start(
    journal: &mut Journal,
    args: &PayoutArgs,
    global: &GlobalArgs,
    batching: Batching,
    name: String,
) -> Result<(Session, Run), CliError> {
    // Ids made from a name given now were never used; any other may have been sent by another
    // journal of this run (a lost journal, another machine): ask before sending.
    let fresh = args.run.is_none();
    let mut maybe_used: Vec<(NewRow, bool)> = Vec::new();
    let mut new_run = journal.begin_run()?;
    let file = PayoutFile::check_with_ids(&args.file, args.notify_url.as_deref(), &name, |id, r| {
        let own_id = r.client_transaction_id.is_some();
        let row = new_row(id, r);
        new_run.insert(&row)?;
        if !fresh || own_id {
            maybe_used.push((row, own_id));
        }
        Ok(())
    })?
    .map_err(|errors| bad_rows(global.json, &args.file, &errors))?;
    if let Some((id, a, b)) = new_run.index_ids()? {
        // The row with the id in its cell was kept for the lookups (`maybe_used`).
        let own_line = maybe_used
            .iter()
            .find(|(row, own)| *own && row.client_transaction_id == id)
            .map_or(b, |(row, _)| row.line);
        let derived_line = if own_line == a { b } else { a };
        let clash = IdClash {
            id,
            own_line,
            derived_line,
        };
        return Err(bad_rows(global.json, &args.file, &[id_clash_fault(&clash)]));
    }
    let session = Session::open_with(global, batching).await?;
    let run = Run {
        name,
        csv_path: args.file.display().to_string(),
        file_sha256: file.sha256.clone(),
        base_url: session.client.config().base_url.clone(),
        merchant: session.merchant.clone(),
        created_at: String::new(),
    };
    let found = already_at_cinetpay(&session, &maybe_used).await?;
    let unsure = maybe_in_flight(&run.name, global.sandbox, &found, &maybe_used);
    new_run.commit(&run, &found, &unsure)?;
    for note in found_notes(&run.name, &found, &maybe_used) {
        notice(global.json, &note);
    }
    let run = journal.run()?.expect("just created");
    Ok((session, run))
}

/// Checks the file, then that the journal's run is the one meant, and continues it with the file
/// as it is now; a journal that holds no run needs a run name (`new_run_name`).
async fn resume(
    journal: &mut Journal,
    args: &PayoutArgs,
    global: &GlobalArgs,
    batching: Batching,
) -> Result<(Session, Run), CliError> {
    let file = PayoutFile::check(&args.file, args.notify_url.as_deref())?
        .map_err(|errors| bad_rows(global.json, &args.file, &errors))?;
    let session = Session::open_with(global, batching).await?;
    let run = continue_run(journal, args, global.json, &session, &file)?;
    Ok((session, run))
}

fn continue_run(
    journal: &mut Journal,
    args: &PayoutArgs,
    json: bool,
    session: &Session,
    file: &PayoutFile,
) -> Result<Run, CliError> {
    let Some(run) = journal.run()? else {
        return Err(CliError::invalid(t!(
            "new-journal-needs-run",
            journal = text(journal.path().display()),
            pays = text(what_a_new_run_pays(file))
        )));
    };
    let same_run = match &args.run {
        Some(name) => *name == run.name,
        None => !args.new_run,
    };
    if !same_run {
        return Err(CliError::invalid(t!(
            "journal-holds-other-run",
            journal = text(journal.path().display()),
            run = text(format!("{:?}", run.name)),
            started = text(&run.created_at),
            pays = text(what_a_new_run_pays(file))
        )));
    }
    let base_url = session.client.config().base_url.clone();
    run.check_account(&base_url, &session.merchant, journal.path())
        .map_err(|e| {
            CliError::invalid(t!(
                "other-account",
                reason = text(&e.message),
                run = text(super::shell_word(&run.name)),
                rows = text(file.all_rows())
            ))
        })?;
    // A journal of version 3 takes its rows' payees from the file, as a changed file would.
    if run.file_sha256 != file.sha256 || journal.lacks_payees()? {
        let rows = file.rows(&run.name)?;
        if let Some(clash) = file_id_clash(rows.iter().map(|(id, r)| (id.as_str(), r))) {
            return Err(bad_rows(json, &args.file, &[id_clash_fault(&clash)]));
        }
        let new_rows: Vec<NewRow> = rows.into_iter().map(|(id, r)| new_row(id, r)).collect();
        let plan = journal.plan_changed_file(&new_rows)?;
        check_changed_file(args, &run, journal, &plan)?;
        journal.accept_changed_file(&file.sha256, &new_rows)?;
    }
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

/// The fault of an `IdClash`, on the line of the row that has the id in its cell. The way out
/// it gives is the file as it was before the id was copied there: each row under the id it had.
pub(super) fn id_clash_fault(clash: &IdClash) -> RowError {
    RowError {
        line: clash.own_line,
        field: "client_transaction_id".into(),
        message: t!(
            "csv-id-taken",
            id = text(format!("{:?}", clash.id)),
            other = text(clash.derived_line)
        ),
    }
}

/// The journal's record of a row of the file.
fn new_row(client_transaction_id: String, row: PayoutRow) -> NewRow {
    NewRow {
        line: row.line,
        client_transaction_id,
        prefix: row.prefix,
        phone: row.phone,
        amount: row.amount,
        notify_url: row.notify_url,
        payee: Payee {
            name: row.name,
            surname: row.surname,
            email: row.email,
            payment_method: row.payment_method,
        },
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
