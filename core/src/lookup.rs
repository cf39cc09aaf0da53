//! Asking the service what it holds under one `client_transaction_id`: the one lookup rule.
//!
//! The send engine settles lost answers and 805s with it, and the CLI reconciles its journal with
//! it, so both read the service the same way:
//!
//! - only an item carrying the very id asked about counts (an answer about other payouts says
//!   nothing about ours: it is unreadable, so the caller cannot tell, never "not found");
//! - the item must be the same payout (number and amount), else the id is taken by another one;
//! - 723 means the service shows nothing under the id *now*: a payout being recorded may not be
//!   visible yet, so "not found" is never proof that no money left after a request that may have
//!   been processed. The caller decides what it may conclude (see ADR 2).

use crate::client::Inner;
use crate::error::{Error, ErrorKind, Result};
use crate::i18n::Message;
use crate::model::{TransferInfo, TransferQuery};
use crate::validate::CheckedTransfer;

/// What the service shows under a `client_transaction_id`, compared with the payout meant.
#[derive(Debug, Clone, PartialEq)]
pub enum PayoutLookup {
    /// The service holds this payout (same number and amount) under the id.
    Found(TransferInfo),
    /// The service holds a different payout under the id: the id is taken.
    Conflict(TransferInfo),
    /// The service shows no payout under the id (723). After a request that may have been
    /// processed this is not proof of anything: a payout being recorded may not be visible yet.
    NotFound,
}

/// Looks up one payout by its id, and compares what is shown with its number and amount. `Err`
/// when the service could not be asked or answered something that does not settle the question
/// (retried like every read before that).
pub(crate) async fn look_up(inner: &Inner, expected: &CheckedTransfer) -> Result<PayoutLookup> {
    let query = TransferQuery::ClientTransactionId(expected.client_transaction_id.to_owned());
    let infos = match inner.transfer_status(&query).await {
        Ok(infos) => infos,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(PayoutLookup::NotFound),
        Err(e) => return Err(e),
    };
    let ours: Vec<TransferInfo> = infos
        .into_iter()
        .filter(|i| i.client_transaction_id.as_deref() == Some(expected.client_transaction_id.as_str()))
        .collect();
    match <[TransferInfo; 1]>::try_from(ours) {
        Ok([info]) if info.is_payout_of(&expected.phone, expected.amount) => Ok(PayoutLookup::Found(info)),
        Ok([info]) => Ok(PayoutLookup::Conflict(info)),
        Err(ours) if ours.is_empty() => Err(Error::of(
            ErrorKind::Protocol,
            Message::new("lookup-other-payouts").quoted("id", &expected.client_transaction_id),
        )),
        Err(_) => Err(Error::of(
            ErrorKind::Protocol,
            Message::new("lookup-several-payouts").quoted("id", &expected.client_transaction_id),
        )),
    }
}
