//! The Transfer API under `/v1`, one file per endpoint, and what every call shares: reading the
//! query and the form body, the language, the token check, and the `data` field of list calls.
//!
//! Bodies are read as raw bytes and decoded here rather than by extractors, so that a malformed
//! request gets the service's own error codes (704, 716, 718) instead of a framework rejection.

mod auth;
mod balance;
mod contact;
mod send;
mod status;

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{Map, Value};

use crate::codes::{ApiCode, ApiError, Lang};
use crate::config::Quirks;
use crate::country::{self, Country};
use crate::engine::Engine;
use crate::wire::Failure;

/// The API routes, mounted under `/v1`.
pub fn router() -> Router<Arc<Engine>> {
    Router::new()
        .route("/auth/login", post(auth::login).fallback(not_allowed))
        .route(
            "/transfer/check/balance",
            get(balance::balance).post(balance::balance).fallback(not_allowed),
        )
        .route("/transfer/contact", post(contact::add).fallback(not_allowed))
        .route(
            "/transfer/money/send/contact",
            post(send::send).fallback(not_allowed),
        )
        .route(
            "/transfer/check/money",
            get(status::status).post(status::status).fallback(not_allowed),
        )
}

async fn not_allowed(State(engine): State<Arc<Engine>>, query: axum::extract::RawQuery) -> Failure {
    Call::new(&engine, query.0, &[]).fail(ApiCode::NotAllowed)
}

/// One API call's inputs: query and form fields, language, and the quirks to answer with.
#[derive(Debug)]
pub struct Call {
    lang: Lang,
    quirks: Quirks,
    query: Vec<(String, String)>,
    form: Vec<(String, String)>,
}

impl Call {
    /// Decodes the query string and the form body (an undecodable body counts as empty).
    pub fn new(engine: &Engine, query: Option<String>, body: &[u8]) -> Call {
        let query: Vec<(String, String)> =
            serde_urlencoded::from_str(query.as_deref().unwrap_or_default()).unwrap_or_default();
        let form = serde_urlencoded::from_bytes(body).unwrap_or_default();
        let lang = Lang::parse(first(&query, "lang"));
        Call {
            lang,
            quirks: engine.config.quirks,
            query,
            form,
        }
    }

    /// The language of descriptions.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// A non-empty query parameter.
    pub fn query(&self, name: &str) -> Option<&str> {
        first(&self.query, name).filter(|v| !v.is_empty())
    }

    /// A form field (possibly empty).
    pub fn form(&self, name: &str) -> Option<&str> {
        first(&self.form, name)
    }

    /// The error answer for `error`.
    pub fn fail(&self, error: impl Into<ApiError>) -> Failure {
        Failure {
            error: error.into(),
            lang: self.lang,
            quirks: self.quirks,
        }
    }

    /// The merchant of the query's token: 706 when it is missing, unknown, or sent in the body;
    /// 705 when expired.
    pub fn authenticate(&self, engine: &Engine) -> Result<String, Failure> {
        if self.form("token").is_some() {
            return Err(self.fail(ApiError::with(
                ApiCode::InvalidToken,
                "le token doit être envoyé dans l'URL (GET)",
                "the token must be sent in the query string",
            )));
        }
        let token = self
            .query("token")
            .ok_or_else(|| self.fail(ApiCode::InvalidToken))?;
        let now = engine.clock.now_ms();
        engine.state().tokens.verify(token, now).map_err(|c| self.fail(c))
    }

    /// The `data` field of a list call: 704 when absent, 718 when not JSON, 716 when not a
    /// non-empty array of objects.
    pub fn data_items(&self) -> Result<Vec<Map<String, Value>>, Failure> {
        let raw = self.form("data").ok_or_else(|| {
            self.fail(ApiError::with(
                ApiCode::InvalidParam,
                "champ data absent",
                "missing data field",
            ))
        })?;
        let parsed: Value = serde_json::from_str(raw).map_err(|e| {
            self.fail(ApiError::with(
                ApiCode::JsonParseError,
                e.to_string(),
                e.to_string(),
            ))
        })?;
        let not_list = || {
            self.fail(ApiError::with(
                ApiCode::DataNotValid,
                "data doit être un tableau JSON non vide d'objets",
                "data must be a non-empty JSON array of objects",
            ))
        };
        let Value::Array(items) = parsed else {
            return Err(not_list());
        };
        if items.is_empty() {
            return Err(not_list());
        }
        items
            .into_iter()
            .map(|v| match v {
                Value::Object(o) => Ok(o),
                _ => Err(not_list()),
            })
            .collect()
    }
}

fn first<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// A text field of a `data` item: a JSON string, or a number written as digits.
pub fn text(item: &Map<String, Value>, name: &str) -> Option<String> {
    match item.get(name)? {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A required text field of item `index` (1-based), else 716 naming it.
pub fn required(item: &Map<String, Value>, name: &str, index: usize) -> Result<String, ApiError> {
    text(item, name).filter(|v| !v.is_empty()).ok_or_else(|| {
        ApiError::with(
            ApiCode::DataNotValid,
            format!("élément {index}: champ {name} absent ou invalide"),
            format!("item {index}: field {name} missing or invalid"),
        )
    })
}

/// The country of item `index`'s prefix (804 when none is served) after checking its phone (802).
pub fn check_phone(prefix: &str, phone: &str, index: usize) -> Result<&'static Country, ApiError> {
    let country = country::by_prefix(prefix).ok_or_else(|| {
        ApiError::with(
            ApiCode::OperatorUnavailable,
            format!("élément {index}: aucun opérateur pour l'indicatif {prefix}"),
            format!("item {index}: no operator for prefix {prefix}"),
        )
    })?;
    if !country.plausible_phone(phone) {
        return Err(ApiError::with(
            ApiCode::InvalidPhone,
            format!(
                "élément {index}: {phone:?} n'est pas un numéro {} valide",
                country.code
            ),
            format!("item {index}: {phone:?} is not a valid {} number", country.code),
        ));
    }
    Ok(country)
}

/// Shorthand for handler results.
pub type Answer = Result<Response, Failure>;
