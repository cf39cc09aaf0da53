//! `POST /v1/auth/login`: credentials in the form body, a token back.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use serde_json::json;

use super::{Answer, Call};
use crate::codes::{ApiCode, ApiError};
use crate::engine::Engine;
use crate::wire;

/// 704 when `apikey` or `password` is missing, 701 when they do not match a merchant.
pub async fn login(State(engine): State<Arc<Engine>>, RawQuery(query): RawQuery, body: Bytes) -> Answer {
    let call = Call::new(&engine, query, &body);
    let (Some(api_key), Some(password)) = (call.form("apikey"), call.form("password")) else {
        return Err(call.fail(ApiError::with(
            ApiCode::InvalidParam,
            "apikey et password sont requis",
            "apikey and password are required",
        )));
    };
    let now = engine.clock.now_ms();
    let mut state = engine.state();
    if !state.credentials_valid(api_key, password) {
        return Err(call.fail(ApiCode::InvalidCredentials));
    }
    let token = state.tokens.issue(api_key, now, engine.config.token_lifetime);
    Ok(wire::success(json!({ "token": token })))
}
