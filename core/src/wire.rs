//! Reading the service's answers, quirks included.
//!
//! The live service disagrees with its own documentation in small ways (see the API reference):
//! `code` is a number on success and often a string on errors; list answers come as `[[...]]` or
//! `[...]`; `amount` can be `"500"`; error answers carry `data: []`; new fields appear. Everything
//! here accepts all of those shapes and turns them into the typed model, so no other module has to
//! know about them.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};
use crate::i18n::Message;
use crate::model::{Balance, CountryBalance, SendingStatus, TransferInfo, TreatmentStatus};

/// The envelope every answer shares.
#[derive(Debug, Deserialize)]
pub(crate) struct Envelope {
    #[serde(default)]
    pub code: Value,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub data: Value,
}

/// Reads an HTTP answer: a JSON envelope whatever the status, a code-0 envelope on success.
pub(crate) fn parse_envelope(status: u16, body: &[u8]) -> Result<Envelope> {
    let envelope: Envelope = match serde_json::from_slice(body) {
        Ok(env) => env,
        Err(_) => return Err(non_json_answer(status, body)),
    };
    let Some(code) = read_int(&envelope.code) else {
        if !(200..300).contains(&status) {
            // JSON from a gateway or rate limiter, not from the API: judged by its status.
            return Err(non_json_answer(status, body));
        }
        return Err(Error::of(
            ErrorKind::Protocol,
            Message::new("code-not-number").text("code", &envelope.code),
        )
        .with_http_status(status));
    };
    if code != 0 {
        return Err(Error::from_api(
            code,
            envelope.message,
            envelope.description,
            Some(status),
        ));
    }
    Ok(envelope)
}

/// A body that is not the API's JSON: a gateway page on 5xx or 429 is the service failing
/// (retryable for reads); anything else is an answer we cannot read.
fn non_json_answer(status: u16, body: &[u8]) -> Error {
    let kind = if status >= 500 || status == 429 {
        ErrorKind::Service
    } else {
        ErrorKind::Protocol
    };
    let snippet: String = String::from_utf8_lossy(body).chars().take(80).collect();
    Error::of(
        kind,
        Message::new("answer-not-api")
            .text("status", status)
            .quoted("body", &snippet),
    )
    .with_http_status(status)
}

/// An integer sent as a number (`500`, `500.0`) or a string (`"500"`, `" 701 "`).
pub(crate) fn read_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<i64>().ok().or_else(|| {
                s.parse::<f64>()
                    .ok()
                    .filter(|f| f.fract() == 0.0)
                    .map(|f| f as i64)
            })
        }
        _ => None,
    }
}

/// A text field that may come as a string, a number, or null.
pub(crate) fn read_text(v: Option<&Value>) -> Option<String> {
    read_text_in(v).map(Cow::into_owned)
}

/// `read_text`, borrowed from the answer where it is a string.
fn read_text_in(v: Option<&Value>) -> Option<Cow<'_, str>> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(Cow::Borrowed(s)),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        _ => None,
    }
}

/// The items of a list answer grouped by the text of one of their fields (`read_text`), each
/// group in the answer's order, so that an item answered twice is seen as such. Built in one pass:
/// matching a chunk's payouts to their answers then costs one lookup per payout, not a scan of
/// every answer (with a string allocated per comparison) for each of them (issue 13). Keys are
/// borrowed from the answer where they are strings, as they are on the wire.
pub(crate) fn index_by<'a>(
    items: &[&'a serde_json::Map<String, Value>],
    field: &str,
) -> HashMap<Cow<'a, str>, Vec<&'a serde_json::Map<String, Value>>> {
    let mut index: HashMap<Cow<'a, str>, Vec<_>> = HashMap::with_capacity(items.len());
    for item in items {
        if let Some(key) = read_text_in(item.get(field)) {
            index.entry(key).or_default().push(*item);
        }
    }
    index
}

/// The items of a list answer, flat whether the service nested them (`[[a, b]]`) or not.
pub(crate) fn list_items(data: &Value) -> Vec<&serde_json::Map<String, Value>> {
    let mut items = Vec::new();
    collect_objects(data, &mut items);
    items
}

fn collect_objects<'a>(v: &'a Value, out: &mut Vec<&'a serde_json::Map<String, Value>>) {
    match v {
        Value::Object(map) => out.push(map),
        Value::Array(items) => items.iter().for_each(|item| collect_objects(item, out)),
        _ => {}
    }
}

/// `data` of `check/balance`.
pub(crate) fn parse_balance(data: &Value) -> Result<Balance> {
    let field = |name: &str| {
        data.get(name)
            .and_then(read_int)
            .ok_or_else(|| protocol(Message::new("balance-field-missing").text("name", name)))
    };
    let mut countries = BTreeMap::new();
    if let Some(Value::Object(map)) = data.get("countryBalance") {
        for (country, entry) in map {
            if let Some(available) = entry.get("available").and_then(read_int) {
                countries.insert(
                    country.clone(),
                    CountryBalance {
                        available,
                        amount: entry.get("amount").and_then(read_int),
                        in_using: entry.get("inUsing").and_then(read_int),
                    },
                );
            }
        }
    }
    Ok(Balance {
        amount: field("amount")?,
        in_using: data.get("inUsing").and_then(read_int).unwrap_or(0),
        available: field("available")?,
        countries,
    })
}

/// One item of `check/money`.
pub(crate) fn parse_transfer_info(item: &serde_json::Map<String, Value>) -> Result<TransferInfo> {
    let transaction_id =
        read_text(item.get("transaction_id")).ok_or_else(|| protocol(Message::new("status-without-id")))?;
    let amount = item
        .get("amount")
        .and_then(read_int)
        .ok_or_else(|| protocol(Message::new("status-without-amount").text("id", &transaction_id)))?;
    Ok(TransferInfo {
        transaction_id,
        client_transaction_id: read_text(item.get("client_transaction_id")),
        lot: read_text(item.get("lot")),
        amount,
        receiver: read_text(item.get("receiver")),
        receiver_e164: read_text(item.get("receiver_e164")),
        operator: read_text(item.get("operator")),
        sending_status: read_text(item.get("sending_status")).map(|s| SendingStatus::parse(&s)),
        transfer_valid: read_text(item.get("transfer_valid")).map(|v| v.eq_ignore_ascii_case("Y")),
        treatment_status: TreatmentStatus::parse(
            &read_text(item.get("treatment_status")).unwrap_or_default(),
        ),
        comment: read_text(item.get("comment")),
        validated_at: read_text(item.get("validated_at")),
        operator_transaction_id: read_text(item.get("operator_transaction_id")),
    })
}

/// The per-item code of a list answer (a missing code means the item went through).
pub(crate) fn item_code(item: &serde_json::Map<String, Value>) -> i64 {
    item.get("code").and_then(read_int).unwrap_or(0)
}

pub(crate) fn protocol(message: Message) -> Error {
    Error::of(ErrorKind::Protocol, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn answers_are_grouped_by_a_field_in_order_and_twice_stays_twice() {
        let data = json!([[
            {"client_transaction_id": "a", "code": 0},
            {"client_transaction_id": 7, "code": 0},
            {"client_transaction_id": "a", "code": 805},
            {"client_transaction_id": "", "code": 0},
            {"code": 0}
        ]]);
        let items = list_items(&data);
        let index = index_by(&items, "client_transaction_id");
        let codes = |id: &str| index[id].iter().map(|i| i["code"].clone()).collect::<Vec<_>>();
        assert_eq!(codes("a"), [json!(0), json!(805)]);
        assert_eq!(codes("7"), [json!(0)]);
        assert_eq!(
            index.len(),
            2,
            "items without a readable id are in no group: {index:?}"
        );
    }

    #[test]
    fn codes_come_as_numbers_or_strings() {
        assert!(parse_envelope(200, br#"{"code":0,"message":"OPERATION_SUCCES","data":{}}"#).is_ok());
        let err = parse_envelope(
            401,
            br#"{"code":"701","message":"INVALID_CREDENTIALS","data":[]}"#,
        )
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Authentication);
        assert_eq!(err.code(), Some(701));
        assert_eq!(err.http_status(), Some(401));
    }

    #[test]
    fn an_html_gateway_page_is_a_service_error_with_its_status() {
        let err = parse_envelope(502, b"<html><body>Bad gateway</body></html>").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Service);
        assert_eq!(err.http_status(), Some(502));
        assert!(err.is_retryable());
        let err = parse_envelope(200, b"{not json").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Protocol);
    }

    #[test]
    fn nested_and_flat_lists_read_the_same() {
        let nested = json!([[{"a": 1}, {"a": 2}]]);
        let flat = json!([{"a": 1}, {"a": 2}]);
        assert_eq!(list_items(&nested), list_items(&flat));
        assert_eq!(list_items(&nested).len(), 2);
        assert!(list_items(&json!([])).is_empty());
    }

    #[test]
    fn amounts_as_strings_are_read() {
        assert_eq!(read_int(&json!("500")), Some(500));
        assert_eq!(read_int(&json!(500.0)), Some(500));
        assert_eq!(read_int(&json!("5.5")), None);
    }
}
