//! The JSON shapes of answers, with the quirk switches of [`Quirks`].
//!
//! Handlers decide what to answer; this module alone decides how it looks on the wire, so each quirk
//! (string error codes, doubly nested lists, string amounts, per-country balances) is one `if` here.

use std::collections::BTreeMap;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::codes::{ApiCode, ApiError, Lang};
use crate::config::Quirks;
use crate::payout::LedgerEntry;
use crate::state::CountryBalance;

fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}

/// `200 {"code":0,"message":"OPERATION_SUCCES","data":...}`.
pub fn success(data: Value) -> Response {
    let body = json!({
        "code": 0,
        "message": ApiCode::Success.message(),
        "data": data,
    });
    json_response(StatusCode::OK, &body)
}

/// A list for contact and send answers: `[[...]]` with the nesting quirk, `[...]` without.
pub fn list(items: Vec<Value>, quirks: &Quirks) -> Value {
    if quirks.nested_list_data {
        json!([items])
    } else {
        Value::Array(items)
    }
}

/// One check/money item.
pub fn status_item(e: &LedgerEntry, quirks: &Quirks) -> Value {
    let amount = if quirks.string_status_amounts {
        json!(e.amount.to_string())
    } else {
        json!(e.amount)
    };
    json!({
        "transaction_id": e.transaction_id,
        "client_transaction_id": e.client_transaction_id,
        "lot": e.lot,
        "amount": amount,
        "receiver": e.phone,
        "receiver_e164": format!("+{}{}", e.prefix, e.phone),
        "operator": e.operator,
        "sending_status": e.sending_status,
        "transfer_valid": if e.validated_at.is_some() { "Y" } else { "N" },
        "treatment_status": e.treatment_status,
        "comment": e.comment,
        "validated_at": e.validated_at,
        "operator_transaction_id": e.operator_transaction_id,
    })
}

/// The balance answer's `data`: totals, plus `countryBalance` with the quirk.
pub fn balance(countries: &BTreeMap<String, CountryBalance>, quirks: &Quirks) -> Value {
    let total = countries
        .values()
        .fold(CountryBalance::default(), |t, b| CountryBalance {
            amount: t.amount + b.amount,
            in_using: t.in_using + b.in_using,
            available: t.available + b.available,
        });
    let mut data = json!(total);
    if quirks.country_balance {
        data["countryBalance"] = json!(countries);
    }
    data
}

/// An error answer: the code (string or number by quirk), message, description in the caller's
/// language, `data: []`, and the code's HTTP status.
#[derive(Debug)]
pub struct Failure {
    /// What went wrong.
    pub error: ApiError,
    /// Language of the description.
    pub lang: Lang,
    /// Shape switches.
    pub quirks: Quirks,
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let code = self.error.code;
        let code_value = if self.quirks.string_error_codes {
            json!(code.number().to_string())
        } else {
            json!(code.number())
        };
        let body = json!({
            "code": code_value,
            "message": code.message(),
            "description": self.error.description(self.lang),
            "data": [],
        });
        json_response(code.http_status(), &body)
    }
}
