//! The core's [`Error`] as JavaScript sees it.
//!
//! A napi `async fn` rejects with a plain `Error` whose `code` is always `GenericFailure`: a custom
//! status or extra properties do not survive the trip through the Promise. So the whole error
//! travels in the message: [`to_napi`] writes [`ERROR_TAG`] followed by a JSON payload, and the
//! TypeScript layer (`ts/addon.ts`, with the classes of `ts/errors.ts`) turns a message with that
//! tag back into a `CinetPayError` subclass.
//! The tag and the payload's keys are the contract between this file and `ts/addon.ts`; change them
//! together.
//!
//! Per-item errors inside results (a refused contact, a failed payout) are data, not exceptions:
//! they cross as [`ItemError`] objects with the same field names. CinetPay's response code is
//! `code`, the core's name (ADR 6); `apiCode`, its first name here, stays one release as a
//! deprecated copy (a plain field on item errors, a warning getter on `CinetPayError`).
//!
//! `field` is the core's path in camelCase (`notifyUrl`, `limits.countries.225.minAmount`), as the
//! core spells it for every camelCase language (`Error::field_camel_case`); nothing else about the
//! error is changed.

use cinetpay_transfer::Error;
use napi_derive::napi;
use serde_json::json;

/// Prefix of the message of every native error that carries a CinetPay error payload.
pub const ERROR_TAG: &str = "__cinetpay_transfer_error__:";

/// A per-item error inside a result (`ContactResult.error`, `SendResult.error`).
#[napi(object, use_nullable = true)]
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemError {
    /// The core's stable error kind.
    #[napi(ts_type = "ErrorKind")]
    pub kind: String,
    /// Human-readable explanation.
    pub message: String,
    /// CinetPay's response code (`724`, `805`, ...), when the service gave one (the core's
    /// `Error::code`).
    pub code: Option<i64>,
    /// @deprecated the earlier name of `code` (ADR 6); goes in the next release.
    pub api_code: Option<i64>,
    /// CinetPay's `message` (`ERROR_PHONE_NOT_MY_CONTACT`, ...).
    pub api_message: Option<String>,
    /// CinetPay's `description`, in the client's language.
    pub description: Option<String>,
    /// HTTP status of the answer, when there was one.
    pub http_status: Option<u32>,
    /// The input field at fault, as spelled in JavaScript (`amount`, `notifyUrl`, ...).
    pub field: Option<String>,
    /// Position of the item at fault in the list given.
    pub index: Option<u32>,
    /// For `outcome_unknown`: the payouts to look up before sending them again.
    pub client_transaction_ids: Vec<String>,
    /// Whether the same request may succeed later (transport failure, 5xx, 429): the core's rule.
    pub is_retryable: bool,
}

impl From<&Error> for ItemError {
    fn from(e: &Error) -> Self {
        ItemError {
            kind: e.kind().as_str().to_owned(),
            message: e.to_string(),
            code: e.code(),
            api_code: e.code(),
            api_message: e.api_message().map(str::to_owned),
            description: e.description().map(str::to_owned),
            http_status: e.http_status().map(u32::from),
            field: e.field_camel_case(),
            index: e.index().map(|i| i as u32),
            client_transaction_ids: e.client_transaction_ids().to_vec(),
            is_retryable: e.is_retryable(),
        }
    }
}

/// The core error as a native JS error whose message is [`ERROR_TAG`] + JSON (see module docs).
pub fn to_napi(e: Error) -> napi::Error {
    let item = ItemError::from(&e);
    let payload = json!({
        "kind": item.kind,
        "message": item.message,
        "code": item.code,
        "apiMessage": item.api_message,
        "description": item.description,
        "httpStatus": item.http_status,
        "field": item.field,
        "index": item.index,
        "clientTransactionIds": item.client_transaction_ids,
        "isRetryable": item.is_retryable,
    });
    napi::Error::from_reason(format!("{ERROR_TAG}{payload}"))
}

/// Shorthand: a core result as a napi result.
pub fn js<T>(result: cinetpay_transfer::Result<T>) -> napi::Result<T> {
    result.map_err(to_napi)
}
