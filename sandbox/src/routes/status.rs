//! `GET /v1/transfer/check/money`: payouts by exactly one of `transaction_id`,
//! `client_transaction_id` or `lot` (704 otherwise, 723 when nothing matches). Always a flat list.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};

use super::{Answer, Call};
use crate::codes::{ApiCode, ApiError};
use crate::engine::Engine;
use crate::state::Lookup;
use crate::wire;

/// The status of the payouts asked for.
pub async fn status(State(engine): State<Arc<Engine>>, RawQuery(query): RawQuery, body: Bytes) -> Answer {
    let call = Call::new(&engine, query, &body);
    let api_key = call.authenticate(&engine)?;
    let given: Vec<Lookup<'_>> = [
        call.query("transaction_id").map(Lookup::TransactionId),
        call.query("client_transaction_id")
            .map(Lookup::ClientTransactionId),
        call.query("lot").map(Lookup::Lot),
    ]
    .into_iter()
    .flatten()
    .collect();
    let [lookup] = given[..] else {
        return Err(call.fail(ApiError::with(
            ApiCode::InvalidParam,
            "donner exactement un de transaction_id, client_transaction_id, lot",
            "give exactly one of transaction_id, client_transaction_id, lot",
        )));
    };
    let state = engine.state();
    let found: Vec<_> = state
        .find(&api_key, lookup)
        .into_iter()
        .map(|p| wire::status_item(&p.entry, &engine.config.quirks))
        .collect();
    if found.is_empty() {
        return Err(call.fail(ApiCode::NotFound));
    }
    Ok(wire::success(found.into()))
}
