//! No input panics the readers of what crosses the wire: the service's answers, the login token,
//! and what arrives at the notify URL. A panic there would cross an FFI boundary in every
//! binding, or take down a merchant's web worker on a forged request.
//!
//! Property tests on stable Rust (proptest), bounded so they run in CI: raw bytes, and
//! structured inputs shaped like the real thing (envelopes with odd codes and nested data, JWTs
//! with extreme claims, form bodies with odd fields) so the generator reaches past the first
//! syntax check. `CINETPAY_FUZZ_CASES` sets the cases per property (default 5000).

use proptest::prelude::*;
use serde_json::{json, Value};

use crate::auth::{token_lifetime, TokenCache};
use crate::notification::NotificationEvent;
use crate::wire;

fn config() -> ProptestConfig {
    let cases = std::env::var("CINETPAY_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5000);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Numbers at the edges: the ones that overflow conversions.
fn edgy_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        Just(json!(1e300)),
        Just(json!(-1e300)),
        Just(json!(i64::MAX)),
        Just(json!(i64::MIN)),
        prop::sample::select(vec!["0", "-1", "805", " 701 ", "5.5", "1e30", "NaN", "", "inf"])
            .prop_map(Value::from),
    ]
}

/// Any JSON value a few levels deep, with the API's own field names among the keys.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        prop::sample::select(vec![
            "code",
            "message",
            "data",
            "token",
            "amount",
            "available",
            "inUsing",
            "countryBalance",
            "transaction_id",
            "client_transaction_id",
            "lot",
            "treatment_status",
            "receiver",
            "status",
        ])
        .prop_map(str::to_owned),
        "[a-z_]{0,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        edgy_number(),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every reader of an answer, applied to whatever `data` an accepted envelope carries.
fn read_everything(status: u16, body: &[u8]) {
    let Ok(envelope) = wire::parse_envelope(status, body, wire::Quote::Without(&[])) else {
        return;
    };
    let _ = wire::parse_balance(&envelope.data());
    for item in envelope.items() {
        let _ = wire::parse_transfer_info(&item);
        let _ = wire::item_code(&item);
        let _ = item.text("transaction_id");
    }
}

fn jwt_with(claims: &Value) -> String {
    use base64::Engine;
    let enc = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.sig",
        enc.encode(r#"{"alg":"HS256"}"#),
        enc.encode(claims.to_string())
    )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn answers_of_any_bytes_never_panic(status in 100u16..600, body in prop::collection::vec(any::<u8>(), 0..256)) {
        read_everything(status, &body);
    }

    #[test]
    fn answers_shaped_like_envelopes_never_panic(status in prop::sample::select(vec![200u16, 400, 401, 404, 429, 500, 502, 504]),
                                                 code in edgy_number(), data in json_value(), extra in json_value()) {
        let body = json!({"code": code, "message": "M", "description": extra, "data": data}).to_string();
        read_everything(status, body.as_bytes());
    }

    /// serde reads a struct from a JSON list too, field by field: an answer shaped as one.
    #[test]
    fn answers_shaped_like_lists_never_panic(status in prop::sample::select(vec![200u16, 400, 500]),
                                             code in edgy_number(), data in json_value(), length in 0usize..6) {
        let fields = [code, json!("M"), Value::Null, data, json!(1)];
        let body = Value::Array(fields[..length.min(fields.len())].to_vec()).to_string();
        read_everything(status, body.as_bytes());
    }

    #[test]
    fn any_token_has_a_bounded_lifetime_or_none(token in ".{0,64}") {
        let _ = token_lifetime(&token);
    }

    #[test]
    fn jwt_claims_at_the_edges_never_panic(iat in edgy_number(), exp in edgy_number(), with_iat in any::<bool>()) {
        let claims = if with_iat { json!({"iat": iat, "exp": exp}) } else { json!({"exp": exp}) };
        let token = jwt_with(&claims);
        if let Some(lifetime) = token_lifetime(&token) {
            prop_assert!(!lifetime.is_zero());
        }
        // And the cache that schedules its renewal from it.
        let cache = TokenCache::for_tests();
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let (cached, _) = runtime.block_on(cache.get(async { Ok(token.clone()) })).unwrap();
        prop_assert_eq!(cached.expose(), token.as_str());
    }

    #[test]
    fn notify_requests_of_any_bytes_never_panic(method in prop::sample::select(vec!["POST", "GET", "post", "PUT", ""]),
                                                body in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = NotificationEvent::from_request(&body, method);
    }

    #[test]
    fn notify_forms_with_odd_fields_never_panic(
        fields in prop::collection::vec((
            prop::sample::select(vec!["transaction_id", "client_transaction_id", "amount", "treatment_status",
                                      "lot", "receiver", "sending_status", "validated_at", "x"]),
            prop_oneof![".{0,16}", edgy_number().prop_map(|v| v.to_string())],
        ), 0..8),
    ) {
        let body = serde_urlencoded::to_string(&fields).unwrap();
        let from_body = NotificationEvent::from_request(body.as_bytes(), "POST");
        let from_fields = NotificationEvent::from_fields(fields.iter().map(|(k, v)| (*k, v.as_str())), "POST");
        // The two readers of one request agree on whether it can be read, except for a body
        // whose fields are all empty: decoded fields cannot tell it from a bare ping, the raw
        // body can (and refuses it rather than answer 200 to what may be a notification).
        if fields.iter().any(|(_, v)| !v.trim().is_empty()) {
            prop_assert_eq!(from_body.is_ok(), from_fields.is_ok());
        } else if !body.is_empty() {
            prop_assert!(from_body.is_err());
        }
    }
}
