//! `cinetpay watch`: poll until every payout of a lot, or of a payout run's journal, is final.
//!
//! For a run this is the read-only half of `payout`: it reconciles uncertain rows by lookup and
//! records statuses in the journal, but never sends; rows found never sent are left `pending` for
//! the next `payout` run.

use std::path::PathBuf;

use cinetpay_transfer::{TransferInfo, TransferQuery, TreatmentStatus};
use clap::{ArgGroup, Args};

use crate::exit::{CliError, CliResult, Exit};
use crate::i18n::{t, text};
use crate::journal::Journal;
use crate::output::{print_json, totals_table};
use crate::progress::Phase;
use crate::progress::Progress;
use crate::session::Session;
use crate::summary::Totals;
use crate::tracking::{follow, reconcile, Poller};
use crate::{GlobalArgs, WaitArgs};

use super::status::print_infos;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("what").required(true).args(["lot", "journal"])))]
pub struct WatchArgs {
    /// A batch number (lot) returned by a send.
    #[arg(long)]
    pub lot: Option<String>,
    /// The journal of a payout run (FILE.csv.journal.sqlite, or the --journal PATH of `payout`).
    #[arg(long, value_name = "PATH")]
    pub journal: Option<PathBuf>,
    #[command(flatten)]
    pub wait: WaitArgs,
}

pub async fn run(global: &GlobalArgs, args: WatchArgs) -> CliResult {
    match (&args.lot, &args.journal) {
        (Some(lot), _) => watch_lot(global, lot, &args.wait).await,
        (None, Some(path)) => watch_journal(global, path, &args.wait).await,
        (None, None) => unreachable!("clap requires --lot or --journal"),
    }
}

async fn watch_lot(global: &GlobalArgs, lot: &str, wait: &WaitArgs) -> CliResult {
    let session = Session::open(global).await?;
    let poller = Poller::new(wait);
    let query = TransferQuery::Lot(lot.to_owned());
    let infos: Vec<TransferInfo> = loop {
        let infos = session.client.transfer_status(&query).await?;
        if infos.iter().all(|i| i.treatment_status.is_final()) || !poller.wait().await {
            break infos;
        }
    };
    print_infos(global.json, &infos);
    let exit = if infos.iter().any(|i| !i.treatment_status.is_final()) {
        Exit::Unfinished
    } else if infos.iter().any(|i| i.treatment_status == TreatmentStatus::Rej) {
        Exit::PartialFailure
    } else {
        Exit::Ok
    };
    Ok(exit)
}

async fn watch_journal(global: &GlobalArgs, path: &std::path::Path, wait: &WaitArgs) -> CliResult {
    let mut journal = Journal::open_existing(path)?;
    let session = Session::open(global).await?;
    let Some(run) = journal.run()? else {
        return Err(CliError::invalid(t!(
            "watch-no-run",
            journal = text(path.display())
        )));
    };
    run.check_account(&session.client.config().base_url, &session.merchant, path)?;
    reconcile(&session.client, &mut journal, global.json).await?;
    let progress = Progress::new(!global.json);
    progress.phase(Phase::Waiting, journal.rows()?.len() as u64);
    follow(&session.client, &mut journal, wait, &progress).await?;
    progress.finish();
    let rows = journal.rows()?;
    let totals = Totals::of(&rows);
    if global.json {
        print_json(
            &serde_json::json!({ "run": run, "journal": path.display().to_string(), "totals": totals, "rows": rows }),
        );
    } else {
        println!(
            "{}",
            t!(
                "watch-title",
                run = text(format!("{:?}", run.name)),
                journal = text(path.display())
            )
        );
        println!("{}", totals_table(&totals));
    }
    Ok(totals.exit())
}
