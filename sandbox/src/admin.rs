//! The admin HTTP API under `/_sandbox`: JSON in, JSON out.
//!
//! Test runners in other languages drive the sandbox only through these routes, so everything the
//! in-process [`crate::Sandbox`] methods can do is here too. The table lives in the crate docs.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::config::MerchantConfig;
use crate::engine::Engine;
use crate::error::AdminError;
use crate::faults::Fault;

/// The admin routes, mounted under `/_sandbox`.
pub fn router() -> Router<Arc<Engine>> {
    Router::new()
        .route("/reset", post(reset))
        .route("/merchants", get(merchants).post(create_merchant))
        .route("/balance", post(set_balance))
        .route("/confirm", post(confirm))
        .route("/clock/advance", post(advance))
        .route("/faults", get(faults).post(add_fault).delete(clear_faults))
        .route("/ledger", get(ledger))
        .route("/notifications", get(notifications))
        .route("/notifications/ping", post(ping))
        .route("/requests", get(requests))
        .route("/tokens/expire", post(expire_tokens))
}

/// An admin error: status and `{"error": "..."}`.
struct Rejection(StatusCode, String);

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

impl From<AdminError> for Rejection {
    fn from(e: AdminError) -> Self {
        let status = match e {
            AdminError::UnknownMerchant(_) | AdminError::UnknownTransaction(_) => StatusCode::NOT_FOUND,
            AdminError::MerchantExists(_) => StatusCode::CONFLICT,
            AdminError::UnknownCountry(_) => StatusCode::BAD_REQUEST,
        };
        Rejection(status, e.to_string())
    }
}

type Reply = Result<Json<Value>, Rejection>;

/// Decodes a JSON body; an empty body or `null` reads as `{}`.
fn body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Rejection> {
    let trimmed = bytes.trim_ascii();
    let bytes = if trimmed.is_empty() || trimmed == b"null" {
        b"{}"
    } else {
        bytes
    };
    serde_json::from_slice(bytes)
        .map_err(|e| Rejection(StatusCode::BAD_REQUEST, format!("invalid JSON body: {e}")))
}

async fn reset(State(engine): State<Arc<Engine>>) -> Reply {
    engine.reset();
    Ok(Json(json!({ "ok": true })))
}

async fn merchants(State(engine): State<Arc<Engine>>) -> Reply {
    Ok(Json(json!(engine.state().merchants())))
}

async fn create_merchant(
    State(engine): State<Arc<Engine>>,
    bytes: Bytes,
) -> Result<(StatusCode, Json<Value>), Rejection> {
    let merchant: MerchantConfig = body(&bytes)?;
    let api_key = merchant.api_key.clone();
    engine.state().add_merchant(merchant)?;
    Ok((StatusCode::CREATED, Json(json!({ "api_key": api_key }))))
}

#[derive(Deserialize)]
struct BalanceRequest {
    api_key: Option<String>,
    country: String,
    available: u64,
}

async fn set_balance(State(engine): State<Arc<Engine>>, bytes: Bytes) -> Reply {
    let req: BalanceRequest = body(&bytes)?;
    engine.set_balance(req.api_key.as_deref(), &req.country, req.available)?;
    Ok(Json(json!({ "ok": true })))
}

#[derive(Deserialize)]
struct ConfirmRequest {
    api_key: Option<String>,
    transaction_id: Option<String>,
}

async fn confirm(State(engine): State<Arc<Engine>>, bytes: Bytes) -> Reply {
    let req: ConfirmRequest = body(&bytes)?;
    let confirmed = engine.confirm(req.api_key.as_deref(), req.transaction_id.as_deref())?;
    Ok(Json(json!({ "confirmed": confirmed })))
}

#[derive(Deserialize)]
struct AdvanceRequest {
    seconds: f64,
}

async fn advance(State(engine): State<Arc<Engine>>, bytes: Bytes) -> Reply {
    let req: AdvanceRequest = body(&bytes)?;
    let by = Duration::try_from_secs_f64(req.seconds)
        .map_err(|e| Rejection(StatusCode::BAD_REQUEST, format!("invalid seconds: {e}")))?;
    let steps = engine.advance(by);
    Ok(Json(json!({ "now_ms": engine.clock.now_ms(), "steps": steps })))
}

async fn faults(State(engine): State<Arc<Engine>>) -> Reply {
    Ok(Json(json!(engine.faults.list())))
}

async fn add_fault(State(engine): State<Arc<Engine>>, bytes: Bytes) -> Reply {
    let fault: Fault = body(&bytes)?;
    fault.check().map_err(|e| Rejection(StatusCode::BAD_REQUEST, e))?;
    engine.faults.add(fault);
    Ok(Json(json!(engine.faults.list())))
}

async fn clear_faults(State(engine): State<Arc<Engine>>) -> Reply {
    engine.faults.clear();
    Ok(Json(json!([])))
}

#[derive(Deserialize)]
struct LedgerQuery {
    settle_ms: Option<u64>,
}

/// The ledger; with `settle_ms`, once no `slow_processing` request is still running (504 if some
/// still are after that long).
async fn ledger(State(engine): State<Arc<Engine>>, Query(q): Query<LedgerQuery>) -> Reply {
    if let Some(ms) = q.settle_ms {
        engine
            .in_flight
            .settled(Duration::from_millis(ms))
            .await
            .map_err(|running| {
                Rejection(
                    StatusCode::GATEWAY_TIMEOUT,
                    format!("{running} slow requests still running after {ms} ms"),
                )
            })?;
    }
    Ok(Json(json!(engine.state().ledger())))
}

#[derive(Deserialize)]
struct PingRequest {
    url: String,
}

async fn ping(State(engine): State<Arc<Engine>>, bytes: Bytes) -> Reply {
    let req: PingRequest = body(&bytes)?;
    Ok(Json(json!(engine.notifier.ping(&req.url).await)))
}

#[derive(Deserialize)]
struct WaitQuery {
    wait_for: Option<usize>,
    timeout_ms: Option<u64>,
}

async fn notifications(State(engine): State<Arc<Engine>>, Query(q): Query<WaitQuery>) -> Reply {
    let Some(n) = q.wait_for else {
        return Ok(Json(json!(engine.notifier.deliveries())));
    };
    let timeout = Duration::from_millis(q.timeout_ms.unwrap_or(5000));
    match engine.notifier.wait_for(n, timeout).await {
        Ok(log) => Ok(Json(json!(log))),
        Err(e) => Err(Rejection(StatusCode::GATEWAY_TIMEOUT, e.to_string())),
    }
}

async fn requests(State(engine): State<Arc<Engine>>) -> Reply {
    Ok(Json(json!(engine.requests.stats())))
}

async fn expire_tokens(State(engine): State<Arc<Engine>>) -> Reply {
    let now = engine.clock.now_ms();
    let expired = engine.state().tokens.expire_all(now);
    Ok(Json(json!({ "expired": expired })))
}
