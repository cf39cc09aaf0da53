//! Reading the service's answers, quirks included.
//!
//! The live service disagrees with its own documentation in small ways (see the API reference):
//! `code` is a number on success and often a string on errors; list answers come as `[[...]]` or
//! `[...]`; `amount` can be `"500"`; error answers carry `data: []`; new fields appear. Everything
//! here accepts all of those shapes and turns them into the typed model, so no other module has to
//! know about them.

mod items;

use std::collections::BTreeMap;

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::Value;

use items::Field;
pub(crate) use items::{index_by, Item};

use crate::error::{Error, ErrorKind, Result};
use crate::i18n::Message;
use crate::model::{Balance, CountryBalance, SendingStatus, TransferInfo, TreatmentStatus};

/// An answer of code 0 (`parse_envelope`), from which `data` is read as each call needs it
/// (`data`, `items`): a list answer's items straight from the text, without a
/// `serde_json::Value` map per item (issue 13).
pub(crate) struct Envelope {
    body: Vec<u8>,
}

/// Its length only: an answer can hold a token.
impl std::fmt::Debug for Envelope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Envelope({} bytes)", self.body.len())
    }
}

/// The fields of an answer, each read as `C`, `T` or `D`. Every reading of an answer is this one
/// struct, so each finds the same `data`: serde reads a struct from a JSON list too, field by
/// field, `[code, message, description, data]`.
#[derive(Deserialize)]
struct Fields<C, T, D> {
    #[serde(default)]
    code: C,
    #[serde(default)]
    message: T,
    #[serde(default)]
    description: T,
    #[serde(default)]
    data: D,
}

/// What an answer is read as first: its `data` only checked (`items::Checked`), as strictly as
/// reading it as a `Value` did, so that reading it again (`Envelope::data`, `Envelope::items`)
/// cannot fail.
type Head = Fields<Value, Option<String>, items::Checked>;

impl Envelope {
    /// `data` as JSON (`null` when there is none).
    pub fn data(&self) -> Value {
        serde_json::from_slice::<Fields<IgnoredAny, IgnoredAny, Value>>(&self.body)
            .expect("an answer parse_envelope checked")
            .data
    }

    /// The items of a list answer, flat whether the service nested them (`[[a, b]]`) or not.
    pub fn items(&self) -> Vec<Item<'_>> {
        serde_json::from_slice::<Fields<IgnoredAny, IgnoredAny, items::ListData<'_>>>(&self.body)
            .expect("an answer parse_envelope checked")
            .data
            .0
    }
}

/// What the error about an answer that is not the API's JSON may quote of it (its first
/// characters tell a gateway's page from a proxy's or the API's). Such a page may echo the
/// request (`Cannot GET /v1/...?token=...`): its secrets are never quoted.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Quote<'a> {
    /// The answer's first characters, with each of these secrets (as written, and as a URL or a
    /// form encodes it) replaced.
    Without(&'a [&'a str]),
    /// Nothing: the answer to a login, which may hold a token the client does not know yet.
    Nothing,
}

/// Reads an HTTP answer: a JSON envelope whatever the status, a code-0 envelope on success.
pub(crate) fn parse_envelope(status: u16, body: impl Into<Vec<u8>>, quote: Quote<'_>) -> Result<Envelope> {
    let body = body.into();
    let head: Head = match serde_json::from_slice(&body) {
        Ok(head) => head,
        Err(_) => return Err(non_json_answer(status, &body, quote)),
    };
    let Some(code) = read_int(&head.code) else {
        if !(200..300).contains(&status) {
            // JSON from a gateway or rate limiter, not from the API: judged by its status.
            return Err(non_json_answer(status, &body, quote));
        }
        return Err(Error::of(
            ErrorKind::Protocol,
            Message::new("code-not-number").text("code", &head.code),
        )
        .with_http_status(status));
    };
    if code != 0 {
        return Err(Error::from_api(
            code,
            head.message,
            head.description,
            Some(status),
        ));
    }
    Ok(Envelope { body })
}

/// A body that is not the API's JSON: a gateway page on 5xx or 429 is the service failing
/// (retryable for reads); anything else is an answer we cannot read.
fn non_json_answer(status: u16, body: &[u8], quote: Quote<'_>) -> Error {
    let kind = if status >= 500 || status == 429 {
        ErrorKind::Service
    } else {
        ErrorKind::Protocol
    };
    let message = match quote {
        Quote::Without(secrets) => Message::new("answer-not-api")
            .text("status", status)
            .quoted("body", &snippet(body, secrets)),
        Quote::Nothing => Message::new("answer-not-api-unquoted").text("status", status),
    };
    Error::of(kind, message).with_http_status(status)
}

/// The first 80 characters of `body`, each secret replaced first (a secret cut at the 80th
/// character would otherwise show its start).
fn snippet(body: &[u8], secrets: &[&str]) -> String {
    let mut text = String::from_utf8_lossy(body).into_owned();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let percent = encoded.replace('+', "%20");
        for written in [*secret, encoded.as_str(), percent.as_str()] {
            text = text.replace(written, "[secret]");
        }
    }
    text.chars().take(80).collect()
}

/// An integer sent as a number (`500`, `500.0`) or a string (`"500"`, `" 701 "`).
pub(crate) fn read_int(v: &Value) -> Option<i64> {
    Field::of(v).int()
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
pub(crate) fn parse_transfer_info(item: &Item<'_>) -> Result<TransferInfo> {
    let transaction_id = item
        .text("transaction_id")
        .ok_or_else(|| protocol(Message::new("status-without-id")))?;
    let amount = item
        .int("amount")
        .ok_or_else(|| protocol(Message::new("status-without-amount").text("id", &transaction_id)))?;
    Ok(TransferInfo {
        transaction_id,
        client_transaction_id: item.text("client_transaction_id"),
        lot: item.text("lot"),
        amount,
        receiver: item.text("receiver"),
        receiver_e164: item.text("receiver_e164"),
        operator: item.text("operator"),
        sending_status: item.text("sending_status").map(|s| SendingStatus::parse(&s)),
        transfer_valid: item.text("transfer_valid").map(|v| v.eq_ignore_ascii_case("Y")),
        treatment_status: TreatmentStatus::parse(&item.text("treatment_status").unwrap_or_default()),
        comment: item.text("comment"),
        validated_at: item.text("validated_at"),
        operator_transaction_id: item.text("operator_transaction_id"),
    })
}

/// The per-item code of a list answer (a missing code means the item went through).
pub(crate) fn item_code(item: &Item<'_>) -> i64 {
    item.int("code").unwrap_or(0)
}

pub(crate) fn protocol(message: Message) -> Error {
    Error::of(ErrorKind::Protocol, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Answers whose quote hides nothing (no request behind them).
    const ANY: Quote<'static> = Quote::Without(&[]);

    /// The envelope as it was read before `data` was kept as text: everything as a `Value`.
    type ValueEnvelope = Fields<Value, Option<String>, Value>;

    /// `data` is refused where reading it as a `Value` refused it, and read the same where it
    /// did not, on success and on refusals alike (a refusal read from an answer that is not JSON
    /// would say nothing was processed): lone surrogates in strings and keys, numbers out of
    /// range, nesting at the limit, serde_json's private keys.
    #[test]
    fn data_is_refused_as_reading_a_value_refused_it() {
        let mut datas: Vec<String> = [
            r#"[{"comment":"\ud800"}]"#,
            r#"[{"comment":"\udc00\ud800"}]"#,
            r#"[{"comment":"\ud83d\ude00"}]"#,
            r#"[{"comment":"\ud800\u0041"}]"#,
            r#"[{"\ud800":1}]"#,
            r#"[{"a\u0062":1,"ab":2}]"#,
            r#"[{"amount":1e400}]"#,
            r#"[{"amount":-1e400, "code": 0}]"#,
            r#"[{"amount":1e-400}]"#,
            r#"[{"code":0,"code":805}]"#,
            r#"{"token":"x"}"#,
            r#"null"#,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        datas.push(format!(r#"[{{"amount":{}}}]"#, "9".repeat(400)));
        for depth in 120..=130 {
            datas.push(format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
            datas.push(format!("{}{}", "{\"a\":".repeat(depth), "}".repeat(depth)).replace(":}", ":1}"));
        }
        for data in &datas {
            for code in [0, 1003] {
                let body = format!(r#"{{"code":{code},"message":"M","data":{data}}}"#);
                let before = serde_json::from_str::<ValueEnvelope>(&body);
                let now = parse_envelope(200, body.as_bytes(), ANY);
                match (&before, &now) {
                    (Ok(before), Ok(envelope)) => {
                        assert_eq!(envelope.data(), before.data, "{body}");
                        let mut objects = Vec::new();
                        objects_of(&before.data, &mut objects);
                        let items: Vec<Value> = envelope.items().iter().map(Item::to_json).collect();
                        assert_eq!(items, objects, "{body}");
                    }
                    (Ok(_), Err(e)) => assert_eq!((code, e.code()), (1003, Some(1003)), "{body}: {e}"),
                    (Err(_), Err(e)) => {
                        assert_eq!(e.kind(), ErrorKind::Protocol, "{body}: {e}");
                        assert_eq!(e.code(), None, "read as a refusal: {body}");
                    }
                    (Err(_), Ok(_)) => panic!("read, where a Value reading refused it: {body}"),
                }
            }
        }
        // An object under one of serde_json's private keys, which `Value` reads as the features
        // of the build say (`raw_value`, which axum turns on in any build with the sandbox: these
        // tests, the CLI; or `arbitrary_precision`): refused, as an answer that is not the API's
        // JSON.
        for data in [
            r#"[{"$serde_json::private::RawValue":1}]"#,
            r#"{"$serde_json::private::RawValue":"[{\"code\":0}]"}"#,
            r#"[{"a":{"$serde_json::private::RawValue":"x"}}]"#,
            r#"[{"$serde_json::private::Number":"abc"}]"#,
            r#"[{"a":{"$serde_json::private::Number":1}}]"#,
        ] {
            for code in [0, 1003] {
                let body = format!(r#"{{"code":{code},"message":"M","data":{data}}}"#);
                let e = parse_envelope(200, body.as_bytes(), ANY).unwrap_err();
                assert_eq!((e.kind(), e.code()), (ErrorKind::Protocol, None), "{body}");
            }
        }
    }

    fn objects_of(v: &Value, out: &mut Vec<Value>) {
        match v {
            Value::Object(_) => out.push(v.clone()),
            Value::Array(items) => items.iter().for_each(|item| objects_of(item, out)),
            _ => {}
        }
    }

    /// An answer that is a JSON list is read field by field, as serde reads a struct from a
    /// list, by every reading alike.
    #[test]
    fn an_answer_as_a_list_reads_the_same_everywhere() {
        for body in [
            "[0]",
            r#"[0,"M"]"#,
            r#"[0,"M",null,[{"client_transaction_id":"x","code":0}]]"#,
            r#"["0",null,null,[{"client_transaction_id":"x","code":0}],1]"#,
        ] {
            let before = serde_json::from_str::<ValueEnvelope>(body);
            match parse_envelope(200, body.as_bytes(), ANY) {
                Ok(envelope) => {
                    let before = before.expect(body);
                    assert_eq!(envelope.data(), before.data, "{body}");
                    let mut objects = Vec::new();
                    objects_of(&before.data, &mut objects);
                    let items: Vec<Value> = envelope.items().iter().map(Item::to_json).collect();
                    assert_eq!(items, objects, "{body}");
                }
                Err(e) => assert!(before.is_err(), "{body}: {e}"),
            }
        }
    }

    #[test]
    fn codes_come_as_numbers_or_strings() {
        assert!(parse_envelope(200, br#"{"code":0,"message":"OPERATION_SUCCES","data":{}}"#, ANY).is_ok());
        let err = parse_envelope(
            401,
            br#"{"code":"701","message":"INVALID_CREDENTIALS","data":[]}"#,
            ANY,
        )
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Authentication);
        assert_eq!(err.code(), Some(701));
        assert_eq!(err.http_status(), Some(401));
    }

    #[test]
    fn an_html_gateway_page_is_a_service_error_with_its_status() {
        let err = parse_envelope(502, b"<html><body>Bad gateway</body></html>", ANY).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Service);
        assert_eq!(err.http_status(), Some(502));
        assert!(err.is_retryable());
        let err = parse_envelope(200, b"{not json", ANY).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Protocol);
    }

    /// A page that echoes the request shows neither the token nor the credentials, whole or
    /// cut at the quote's end; a login's answer is not quoted at all.
    #[test]
    fn an_answer_quoted_in_an_error_hides_the_secrets_of_the_request() {
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDB9.c2lnbmF0dXJl";
        let password = "p@ss word&1";
        let page = format!(
            "Cannot GET /v1/transfer/check/balance?token={token}&lang=fr apikey=k&password={}",
            url::form_urlencoded::byte_serialize(password.as_bytes()).collect::<String>()
        );
        let err = parse_envelope(404, page.as_bytes(), Quote::Without(&[token, password])).unwrap_err();
        let shown = err.to_string();
        assert!(
            shown.contains("Cannot GET /v1/transfer/check/balance?token=[secret]"),
            "{shown}"
        );
        assert!(!shown.contains("eyJ"), "{shown}");
        // Cut at the 80th character, a secret is still replaced whole first.
        let cut = format!("{}{token}", "x".repeat(70));
        let shown = parse_envelope(502, cut.as_bytes(), Quote::Without(&[token]))
            .unwrap_err()
            .to_string();
        assert!(!shown.contains("eyJ") && shown.contains("[secret]"), "{shown}");
        // Spaces as `%20` (a URL) hide too; the form's `+` is the case above.
        let spaced = format!(
            "?password={}",
            password
                .replace(' ', "%20")
                .replace('@', "%40")
                .replace('&', "%26")
        );
        let shown = parse_envelope(502, spaced.as_bytes(), Quote::Without(&[password]))
            .unwrap_err()
            .to_string();
        assert!(shown.ends_with("?password=[secret]\""), "{shown}");
        let login = format!(r#"{{"code":0,"message":"OPERATION_SUCCES","data":{{"token":"{token}"#);
        let err = parse_envelope(200, login.as_bytes(), Quote::Nothing).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Protocol);
        assert!(!err.to_string().contains("eyJ"), "{err}");
        assert!(err.to_string().contains("HTTP 200"), "{err}");
    }

    #[test]
    fn amounts_as_strings_are_read() {
        assert_eq!(read_int(&json!("500")), Some(500));
        assert_eq!(read_int(&json!(500.0)), Some(500));
        assert_eq!(read_int(&json!("5.5")), None);
    }
}
