//! The plan before money leaves: the confirmation of a real run, and `--dry-run`.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::Path;

use cinetpay_transfer::Limits;

use crate::csv_input::PayoutRow;
use crate::exit::{CliError, CliResult, Exit};
use crate::i18n::{count, t, text};
use crate::identity::{file_id_clash, row_ids};
use crate::journal::{Journal, Run};
use crate::output::{print_json, xof};
use crate::plan::{agree, per_country, plan_table, CountryPlan};
use crate::session::Session;
use crate::GlobalArgs;

use super::start::id_clash_fault;
use super::{bad_rows, rows_and_xof, PayoutArgs};

/// Asks before the first payout of this invocation leaves (see `plan.rs` for when and why).
pub(super) async fn confirm(
    global: &GlobalArgs,
    args: &PayoutArgs,
    session: &Session,
    run: &Run,
    journal: &Journal,
) -> Result<(), CliError> {
    if args.yes || global.sandbox {
        return Ok(());
    }
    let to_send = journal.amounts_to_send()?;
    if to_send.is_empty() {
        return Ok(());
    }
    if std::io::stdin().is_terminal() {
        let balance = session.client.balance().await?;
        let plans = per_country(
            to_send.iter().map(|(prefix, amount)| (prefix.as_str(), *amount)),
            &balance,
            &Limits::default(),
        );
        eprintln!("{}", plan_table(&plans));
    }
    let question = t!(
        "confirm-question",
        what = text(rows_and_xof(to_send.iter().map(|(_, amount)| amount))),
        run = text(format!("{:?}", run.name)),
        merchant = text(&session.merchant),
        url = text(&run.base_url)
    );
    agree(&question, args.yes, global.sandbox).await
}

/// `--dry-run`: what the run would send now, per country against the balance. Rows the journal's
/// run already sent (or may have) are left out; nothing is sent or written.
pub(super) async fn dry_run(
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
    // The run would refuse such a file (`start`): so does its dry run.
    let clash = file_id_clash(ids.iter().map(String::as_str).zip(csv_rows));
    if let Some(clash) = clash {
        return Err(bad_rows(global.json, &args.file, &[id_clash_fault(&clash)]));
    }
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
        println!("{}", t!("dry-run-title", file = text(args.file.display())));
        println!("{}", plan_table(&plans));
        if !handled.is_empty() {
            println!(
                "{}",
                t!(
                    "dry-run-left-out",
                    count = count(handled.len() as u64),
                    run = text(format!("{:?}", run_name.as_deref().unwrap_or_default()))
                )
            );
        }
    }
    if short.is_empty() {
        return Ok(Exit::Ok);
    }
    let lacking: Vec<String> = short
        .iter()
        .map(|p| {
            t!(
                "country-lacking",
                country = text(&p.country),
                needed = text(xof(p.amount_xof)),
                available = text(p.available_xof.map_or("-".into(), xof))
            )
        })
        .collect();
    Err(CliError::new(
        Exit::Error,
        t!("balance-not-enough", countries = text(lacking.join(", "))),
    ))
}
