//! `GET /v1/transfer/check/balance`: totals and, with the quirk, the per-country breakdown.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};

use super::{Answer, Call};
use crate::codes::ApiCode;
use crate::engine::Engine;
use crate::wire;

/// The merchant's transfer balance.
pub async fn balance(State(engine): State<Arc<Engine>>, RawQuery(query): RawQuery, body: Bytes) -> Answer {
    let call = Call::new(&engine, query, &body);
    let api_key = call.authenticate(&engine)?;
    let balances = engine
        .state()
        .balances(&api_key)
        .map_err(|_| call.fail(ApiCode::InvalidToken))?;
    Ok(wire::success(wire::balance(&balances, &engine.config.quirks)))
}
