//! `cinetpay status`: what CinetPay says about transfers, by exactly one id.

use cinetpay_transfer::{TransferInfo, TransferQuery};
use clap::{ArgGroup, Args};

use crate::exit::{CliResult, Exit};
use crate::i18n::t;
use crate::output::{cell, print_json, table, xof};
use crate::session::Session;
use crate::GlobalArgs;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("id").required(true).args(["transaction_id", "client_transaction_id", "lot"])))]
pub struct StatusArgs {
    /// CinetPay's transaction id (e.g. EA180627.122753.M279245).
    #[arg(long)]
    pub transaction_id: Option<String>,
    /// Your own id of the payout.
    #[arg(long)]
    pub client_transaction_id: Option<String>,
    /// A batch number: every transfer of the batch.
    #[arg(long)]
    pub lot: Option<String>,
}

impl StatusArgs {
    fn query(self) -> TransferQuery {
        match (self.transaction_id, self.client_transaction_id, self.lot) {
            (Some(id), _, _) => TransferQuery::TransactionId(id),
            (_, Some(id), _) => TransferQuery::ClientTransactionId(id),
            (_, _, Some(lot)) => TransferQuery::Lot(lot),
            (None, None, None) => unreachable!("clap requires one id"),
        }
    }
}

pub async fn run(global: &GlobalArgs, args: StatusArgs) -> CliResult {
    let session = Session::open(global).await?;
    let infos = session.client.transfer_status(&args.query()).await?;
    print_infos(global.json, &infos);
    Ok(Exit::Ok)
}

/// Prints transfers as a table, or as JSON.
pub fn print_infos(json: bool, infos: &[TransferInfo]) {
    if json {
        print_json(&infos);
        return;
    }
    let rows: Vec<Vec<String>> = infos
        .iter()
        .map(|i| {
            vec![
                i.transaction_id.clone(),
                cell(i.client_transaction_id.as_deref()),
                cell(i.lot.as_deref()),
                xof(i.amount),
                cell(i.receiver_e164.as_deref().or(i.receiver.as_deref())),
                cell(i.operator.as_deref()),
                i.treatment_status.to_string(),
                cell(i.sending_status.as_ref().map(|s| s.as_str())),
                cell(i.comment.as_deref()),
            ]
        })
        .collect();
    println!(
        "{}",
        table(
            &[
                "transaction_id",
                "client_transaction_id",
                "lot",
                &t!("col-amount"),
                &t!("col-receiver"),
                &t!("col-operator"),
                &t!("col-status"),
                &t!("col-sending"),
                &t!("col-comment"),
            ],
            &rows,
            &[3]
        )
    );
}
