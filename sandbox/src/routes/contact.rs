//! `POST /v1/transfer/contact`: adds contacts; a known one is a per-item 726 inside a code-0 answer.
//!
//! Validation is all-or-nothing: a malformed item (716), an unserved prefix (804) or an invalid
//! phone (802) refuses the whole request and adds nobody.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use serde_json::{json, Value};

use super::{check_phone, required, text, Answer, Call};
use crate::codes::ApiCode;
use crate::engine::Engine;
use crate::wire;

/// Adds the contacts of the `data` field.
pub async fn add(State(engine): State<Arc<Engine>>, RawQuery(query): RawQuery, body: Bytes) -> Answer {
    let call = Call::new(&engine, query, &body);
    let api_key = call.authenticate(&engine)?;
    let items = call.data_items()?;
    let mut phones = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let prefix = required(item, "prefix", i + 1).map_err(|e| call.fail(e))?;
        let phone = required(item, "phone", i + 1).map_err(|e| call.fail(e))?;
        check_phone(&prefix, &phone, i + 1).map_err(|e| call.fail(e))?;
        phones.push((prefix, phone));
    }
    let (lot, known) = engine
        .state()
        .add_contacts(&api_key, &phones)
        .map_err(|_| call.fail(ApiCode::InvalidToken))?;
    let answers = items
        .iter()
        .zip(phones)
        .zip(known)
        .map(|((item, (prefix, phone)), known)| {
            let field = |name| text(item, name).map_or(Value::Null, Value::String);
            let code = if known {
                ApiCode::PhoneAlreadyMyContact
            } else {
                ApiCode::Success
            };
            json!({
                "prefix": prefix,
                "phone": phone,
                "name": field("name"),
                "surname": field("surname"),
                "email": field("email"),
                "code": code.number(),
                "status": if known { code.message() } else { "success" },
                "lot": lot,
            })
        })
        .collect();
    Ok(wire::success(wire::list(answers, &engine.config.quirks)))
}
