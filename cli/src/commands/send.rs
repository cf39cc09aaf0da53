//! `cinetpay send`: one payout from flags, optionally followed until it is final.
//!
//! It goes through the core's `pay`, which registers the payee when needed and never sends the
//! payout twice; without `--client-transaction-id` the core makes one up and it is printed, since
//! it is the handle to look the payout up later.

use cinetpay_transfer::{SendOutcome, SendResult, Transfer, TransferInfo, TreatmentStatus};
use clap::Args;
use serde::Serialize;

use crate::exit::{describe, CliResult, Exit};
use crate::output::{cell, print_json, table, xof};
use crate::session::Session;
use crate::tracking::{poll_once, Poller, Target};
use crate::{GlobalArgs, WaitArgs};

#[derive(Debug, Args)]
pub struct SendArgs {
    /// National number (with --prefix), or a full +225... number.
    #[arg(long)]
    pub phone: String,
    /// Country calling code (225, 221, ...); optional with a +... phone.
    #[arg(long, default_value = "")]
    pub prefix: String,
    /// Whole XOF.
    #[arg(long)]
    pub amount: i64,
    /// URL CinetPay notifies when the payout is final.
    #[arg(long)]
    pub notify_url: String,
    /// Your id for the payout (the idempotency key); generated when absent.
    #[arg(long)]
    pub client_transaction_id: Option<String>,
    /// Operator code (OM, MOMO, WAVECI, OMSN, MTNCM, ...); detected from the number when absent.
    #[arg(long)]
    pub payment_method: Option<String>,
    /// Payee's first name (for the contact).
    #[arg(long)]
    pub name: Option<String>,
    /// Payee's last name (for the contact).
    #[arg(long)]
    pub surname: Option<String>,
    /// Payee's e-mail (for the contact).
    #[arg(long)]
    pub email: Option<String>,
    /// Poll until the payout is paid or rejected.
    #[arg(long)]
    pub wait: bool,
    #[command(flatten)]
    pub wait_args: WaitArgs,
}

#[derive(Serialize)]
struct Report<'a> {
    result: &'a SendResult,
    status: Option<&'a TransferInfo>,
}

pub async fn run(global: &GlobalArgs, args: SendArgs) -> CliResult {
    let transfer = Transfer {
        prefix: args.prefix,
        phone: args.phone,
        amount: args.amount,
        notify_url: args.notify_url,
        client_transaction_id: args.client_transaction_id,
        payment_method: args.payment_method,
        name: args.name,
        surname: args.surname,
        email: args.email,
    };
    let session = Session::open(global).await?;
    let result = session
        .client
        .pay(&[transfer])
        .await?
        .into_iter()
        .next()
        .expect("one result per payout");
    let status = if args.wait && result.outcome == SendOutcome::Accepted {
        wait_final(&session, &result, &args.wait_args).await?
    } else {
        None
    };
    if global.json {
        print_json(&Report {
            result: &result,
            status: status.as_ref(),
        });
    } else {
        print_report(&result, status.as_ref());
    }
    Ok(exit_of(&result, status.as_ref(), args.wait))
}

/// The last status seen before the payout became final or the wait ended.
async fn wait_final(
    session: &Session,
    result: &SendResult,
    wait: &WaitArgs,
) -> Result<Option<TransferInfo>, crate::exit::CliError> {
    let poller = Poller::new(wait);
    let target = [Target {
        client_transaction_id: &result.client_transaction_id,
        lot: result.lot.as_deref(),
    }];
    let mut last = None;
    loop {
        if let Some(info) = poll_once(&session.client, &target).await?.into_iter().next() {
            let done = info.treatment_status.is_final();
            last = Some(info);
            if done {
                return Ok(last);
            }
        }
        if !poller.wait().await {
            return Ok(last);
        }
    }
}

fn exit_of(result: &SendResult, status: Option<&TransferInfo>, waited: bool) -> Exit {
    match (result.outcome, status.map(|s| &s.treatment_status)) {
        (SendOutcome::Failed, _) => Exit::PartialFailure,
        (SendOutcome::Unknown, _) => Exit::Unfinished,
        (SendOutcome::Accepted, Some(TreatmentStatus::Val)) => Exit::Ok,
        (SendOutcome::Accepted, Some(TreatmentStatus::Rej)) => Exit::PartialFailure,
        (SendOutcome::Accepted, _) if waited => Exit::Unfinished,
        (SendOutcome::Accepted, _) => Exit::Ok,
    }
}

fn print_report(result: &SendResult, status: Option<&TransferInfo>) {
    let outcome = match result.outcome {
        SendOutcome::Accepted => "accepted",
        SendOutcome::Failed => "failed",
        SendOutcome::Unknown => "unknown",
    };
    let mut rows = vec![
        vec![
            "client_transaction_id".to_owned(),
            result.client_transaction_id.clone(),
        ],
        vec!["to".to_owned(), format!("+{} {}", result.prefix, result.phone)],
        vec!["amount".to_owned(), xof(result.amount)],
        vec!["outcome".to_owned(), outcome.to_owned()],
        vec![
            "transaction_id".to_owned(),
            cell(result.transaction_id.as_deref()),
        ],
        vec!["lot".to_owned(), cell(result.lot.as_deref())],
    ];
    if let Some(error) = &result.error {
        rows.push(vec!["error".to_owned(), describe(error)]);
    }
    if let Some(info) = status {
        rows.push(vec!["status".to_owned(), info.treatment_status.to_string()]);
        rows.push(vec!["comment".to_owned(), cell(info.comment.as_deref())]);
    }
    println!("{}", table(&["payout", ""], &rows, &[]));
}
