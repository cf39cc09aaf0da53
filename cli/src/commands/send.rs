//! `cinetpay send`: one payout from flags, optionally followed until it is final.
//!
//! It goes through the core's `pay`, which registers the payee when needed and never sends the
//! payout twice under one id. The id is the user's only handle on the payout, and the only way
//! to try again without paying twice, so without `--client-transaction-id` the CLI makes one up
//! *before* sending (`ensure_id`) and prints it first: if the answer is lost or the command
//! interrupted, every hint names it, and repeating the command with it cannot pay again.

use cinetpay_transfer::{
    ErrorKind, PayoutLookup, SendOutcome, SendResult, Transfer, TransferInfo, TreatmentStatus,
};
use clap::Args;
use serde::Serialize;

use crate::exit::{describe, CliResult, Exit};
use crate::i18n::{count, t, text};
use crate::output::{cell, notice, print_json, table, xof};
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
    /// Whether the id was made up by `ensure_id` (never used before: nothing to look up).
    #[arg(skip)]
    pub generated_id: bool,
}

#[derive(Serialize)]
struct Report<'a> {
    result: &'a SendResult,
    status: Option<&'a TransferInfo>,
}

/// Gives the payout an id when the user gave none (`cli-` and 32 random hex digits).
pub fn ensure_id(args: &mut SendArgs) {
    if args.client_transaction_id.is_none() {
        args.client_transaction_id = Some(format!("cli-{}", uuid::Uuid::new_v4().simple()));
        args.generated_id = true;
    }
}

/// The id `ensure_id` settled on.
fn id_of(args: &SendArgs) -> &str {
    args.client_transaction_id.as_deref().unwrap_or_default()
}

/// What a user interrupting `send` needs to know: the id, how to check, how to retry safely.
pub fn interrupted_message(global: &GlobalArgs, args: &SendArgs) -> String {
    let id = id_of(args);
    t!(
        "interrupted-send",
        id = text(id),
        retry = text(how_to_retry(global, id))
    )
}

/// How to check a payout whose outcome is not known, and how to try again without paying twice:
/// after the request timeout and the processing window (ADR 2), a request that left can no
/// longer be running at CinetPay, so a lookup that does not show it means it was not recorded.
fn how_to_retry(global: &GlobalArgs, id: &str) -> String {
    let window = crate::session::in_flight_for(global);
    let minutes = (window.as_secs() + u64::from(window.subsec_nanos() > 0)).div_ceil(60);
    t!("send-how-to-retry", id = text(id), minutes = count(minutes))
}

pub async fn run(global: &GlobalArgs, mut args: SendArgs) -> CliResult {
    ensure_id(&mut args);
    let id = id_of(&args).to_owned();
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
    let to = if transfer.prefix.is_empty() {
        transfer.phone.clone()
    } else {
        format!("+{} {}", transfer.prefix, transfer.phone)
    };
    let announce = t!(
        "send-announce",
        amount = text(xof(transfer.amount)),
        phone = text(to),
        id = text(&id)
    );
    // An id given on the command line may have been sent already (a repeated command): what
    // CinetPay holds under it is reported, and nothing is sent again.
    let earlier = if args.generated_id {
        None
    } else {
        already_sent(&session, &transfer, &id).await?
    };
    let result = match earlier {
        Some(result) => {
            let already = t!("send-already-held", id = text(&id));
            notice(global.json, &already);
            result
        }
        None => {
            notice(global.json, &announce);
            let payout = [transfer];
            match session.client.pay(&payout).await {
                Ok(results) => results.into_iter().next().expect("one result per payout"),
                // One payout is one request, whose unknown outcome is the call's error rather
                // than a result: reported as the unknown result it is, so that the advice to try
                // again under this id (never a new one) is printed and the exit code is 4.
                Err(e) if e.kind() == ErrorKind::OutcomeUnknown => {
                    let [transfer] = payout;
                    SendResult {
                        client_transaction_id: id.clone(),
                        prefix: transfer.prefix,
                        phone: transfer.phone,
                        amount: transfer.amount,
                        outcome: SendOutcome::Unknown,
                        transaction_id: None,
                        lot: None,
                        treatment_status: None,
                        error: Some(e),
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
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
    let exit = exit_of(&result, status.as_ref(), args.wait);
    if let Some(hint) = hint(global, &result, status.as_ref()) {
        notice(global.json, &hint);
    }
    Ok(exit)
}

/// What to do next when the payout is not simply paid, naming its id.
fn hint(global: &GlobalArgs, result: &SendResult, status: Option<&TransferInfo>) -> Option<String> {
    let id = &result.client_transaction_id;
    match (result.outcome, status.map(|s| &s.treatment_status)) {
        (SendOutcome::Unknown, _) => Some(t!("send-unknown", retry = text(how_to_retry(global, id)))),
        (SendOutcome::Accepted, Some(s)) if s.is_final() => None,
        (SendOutcome::Accepted, _) => Some(t!("send-accepted-not-final", id = text(id))),
        (SendOutcome::Failed, _) => Some(t!("send-failed", id = text(id))),
    }
}

/// What CinetPay already holds under the id given on the command line: the payout itself (reported
/// as accepted, nothing sent), nothing (`None`: send it), or another payout (refused).
async fn already_sent(
    session: &Session,
    transfer: &Transfer,
    id: &str,
) -> Result<Option<SendResult>, crate::exit::CliError> {
    use crate::exit::CliError;
    match session.client.look_up(transfer).await {
        Ok(PayoutLookup::NotFound) => Ok(None),
        Ok(PayoutLookup::Found(info)) => Ok(Some(SendResult {
            client_transaction_id: id.to_owned(),
            prefix: transfer.prefix.clone(),
            phone: transfer.phone.clone(),
            amount: info.amount,
            outcome: SendOutcome::Accepted,
            transaction_id: Some(info.transaction_id.clone()),
            lot: info.lot.clone(),
            treatment_status: Some(info.treatment_status.clone()),
            error: None,
        })),
        Ok(PayoutLookup::Conflict(info)) => Err(CliError::invalid(t!(
            "send-id-taken",
            id = text(id),
            amount = text(xof(info.amount)),
            transaction = text(&info.transaction_id)
        ))),
        Err(e) => Err(CliError::new(
            Exit::Error,
            t!(
                "send-lookup-undecided",
                id = text(id),
                reason = text(describe(&e))
            ),
        )),
    }
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
        SendOutcome::Accepted => t!("outcome-accepted"),
        SendOutcome::Failed => t!("outcome-failed"),
        SendOutcome::Unknown => t!("outcome-unknown"),
    };
    let mut rows = vec![
        vec![
            "client_transaction_id".to_owned(),
            result.client_transaction_id.clone(),
        ],
        vec![
            t!("row-to"),
            // A payout found by lookup keeps the number as given (`+225...` without --prefix).
            if result.prefix.is_empty() {
                result.phone.clone()
            } else {
                format!("+{} {}", result.prefix, result.phone)
            },
        ],
        vec![t!("row-amount"), xof(result.amount)],
        vec![t!("row-outcome"), outcome],
        vec![
            "transaction_id".to_owned(),
            cell(result.transaction_id.as_deref()),
        ],
        vec!["lot".to_owned(), cell(result.lot.as_deref())],
    ];
    if let Some(error) = &result.error {
        rows.push(vec![t!("row-error"), describe(error)]);
    }
    if let Some(info) = status {
        rows.push(vec![t!("row-status"), info.treatment_status.to_string()]);
        rows.push(vec![t!("row-comment"), cell(info.comment.as_deref())]);
    }
    println!("{}", table(&[&t!("col-payout"), ""], &rows, &[]));
}
