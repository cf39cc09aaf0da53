//! Every file of `tests/fixtures/` parsed the way the client parses live answers, and checked
//! against the expectation written beside it in `index.json` (shared with the other languages).

use serde_json::{json, Value};

use crate::error::Error;
use crate::notification::NotificationEvent;
use crate::wire;

fn fixtures_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// Every key of `expected` is in `actual` with an equal value (recursively; lists item by item).
fn assert_partial(expected: &Value, actual: &Value, path: &str) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                let got = a.get(key).unwrap_or(&Value::Null);
                assert_partial(value, got, &format!("{path}.{key}"));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            assert_eq!(e.len(), a.len(), "{path}: length");
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                assert_partial(ev, av, &format!("{path}[{i}]"));
            }
        }
        _ => assert_eq!(expected, actual, "{path}"),
    }
}

fn error_json(err: &Error) -> Value {
    json!({
        "kind": err.kind().as_str(),
        "code": err.code(),
        "field": err.field(),
        "http_status": err.http_status(),
    })
}

/// Reads a fixture as the client reads the answer to `call`.
fn read(call: &str, status: u16, body: &[u8]) -> Result<Value, Error> {
    if call == "notification" {
        return Ok(match NotificationEvent::from_request(body, "POST")? {
            NotificationEvent::Ping => json!("ping"),
            NotificationEvent::Transfer(n) => serde_json::to_value(n).unwrap(),
        });
    }
    let envelope = wire::parse_envelope(status, body, wire::Quote::Without(&[]))?;
    Ok(match call {
        "login" => {
            let data = envelope.data();
            let token = data["token"].as_str().expect("token");
            json!({ "token_lifetime_seconds": crate::auth::token_lifetime(token).map(|d| d.as_secs()) })
        }
        "balance" => serde_json::to_value(wire::parse_balance(&envelope.data())?).unwrap(),
        "transfer_status" => {
            let infos = envelope
                .items()
                .iter()
                .map(wire::parse_transfer_info)
                .collect::<Result<Vec<_>, _>>()?;
            serde_json::to_value(infos).unwrap()
        }
        "add_contacts" | "send" => {
            let items: Vec<Value> = envelope
                .items()
                .iter()
                .map(|item| {
                    let mut json = item.to_json();
                    json["code"] = json!(wire::item_code(item));
                    json
                })
                .collect();
            json!({ "items": items })
        }
        other => panic!("unknown call {other} in index.json"),
    })
}

#[test]
fn every_fixture_reads_as_its_index_says() {
    let index: Vec<Value> =
        serde_json::from_slice(&std::fs::read(fixtures_dir().join("index.json")).unwrap()).unwrap();
    assert!(index.len() >= 20, "the index lists every fixture");
    for entry in index {
        let file = entry["file"].as_str().unwrap();
        let body = std::fs::read(fixtures_dir().join(file)).unwrap();
        let status = entry["http_status"].as_u64().unwrap() as u16;
        let outcome = read(entry["call"].as_str().unwrap(), status, &body);
        match (&entry["expect"].get("error"), outcome) {
            (Some(expected), Err(err)) => assert_partial(expected, &error_json(&err), file),
            (None, Ok(value)) => assert_partial(&entry["expect"]["ok"], &value, file),
            (_, outcome) => panic!("{file}: expected {}, got {outcome:?}", entry["expect"]),
        }
    }
}
