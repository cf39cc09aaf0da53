//! `POST /v1/transfer/money/send/contact`: the payout request.
//!
//! Two kinds of refusal, decided here and documented in the crate docs:
//! - whole request (nothing recorded, nothing debited): 704 no `data`, 718 `data` not JSON, 716 bad
//!   shape or missing field, 804 unserved prefix or refused method, 802 invalid phone, 801 invalid
//!   amount, 719/720 outside the limits, 721 unknown `payment_method`, 725 missing or invalid
//!   `notify_url`, 602 balance too low in a country of the batch;
//! - per item, inside a code-0 answer: 724 phone not a contact, 805 `client_transaction_id` already
//!   used (by an earlier request or an earlier item of the same one).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use reqwest::Url;
use serde_json::{json, Map, Value};

use super::{check_phone, required, text, Answer, Call};
use crate::codes::{ApiCode, ApiError};
use crate::config::Limits;
use crate::engine::Engine;
use crate::state::{ItemResult, SendItem};
use crate::wire;

/// Records the payouts of the `data` field.
pub async fn send(State(engine): State<Arc<Engine>>, RawQuery(query): RawQuery, body: Bytes) -> Answer {
    let call = Call::new(&engine, query, &body);
    let api_key = call.authenticate(&engine)?;
    let raw = call.data_items()?;
    let items = raw
        .iter()
        .enumerate()
        .map(|(i, item)| parse_item(item, i + 1, &engine.config.limits))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| call.fail(e))?;
    let now = engine.clock.now_ms();
    let results = engine
        .state()
        .send(&api_key, items.clone(), now, &engine.delays())
        .map_err(|e| call.fail(e))?;
    let answers = items
        .into_iter()
        .zip(results)
        .map(|(item, result)| {
            let mut answer = json!({
                "prefix": item.prefix,
                "phone": item.phone,
                "amount": item.amount,
                "client_transaction_id": item.client_transaction_id,
                "notify_url": item.notify_url,
            });
            let extra = match result {
                ItemResult::Accepted { transaction_id, lot } => json!({
                    "code": 0,
                    "status": "success",
                    "treatment_status": "NEW",
                    "transaction_id": transaction_id,
                    "lot": lot,
                }),
                ItemResult::Refused(code) => json!({
                    "code": code.number(),
                    "status": code.message(),
                    "description": code.description(call.lang()),
                }),
            };
            if let (Value::Object(a), Value::Object(e)) = (&mut answer, extra) {
                a.extend(e);
            }
            answer
        })
        .collect();
    Ok(wire::success(wire::list(answers, &engine.config.quirks)))
}

fn parse_item(item: &Map<String, Value>, index: usize, limits: &Limits) -> Result<SendItem, ApiError> {
    let prefix = required(item, "prefix", index)?;
    let phone = required(item, "phone", index)?;
    let client_transaction_id = required(item, "client_transaction_id", index)?;
    let amount = item.get("amount").ok_or_else(|| {
        ApiError::with(
            ApiCode::DataNotValid,
            format!("élément {index}: champ amount absent"),
            format!("item {index}: field amount missing"),
        )
    })?;
    let country = check_phone(&prefix, &phone, index)?;
    let amount = parse_amount(amount, index)?;
    check_limits(amount, country.code, limits, index)?;
    let operator = match text(item, "payment_method").filter(|m| !m.is_empty()) {
        None => country.detect_operator(&phone).to_string(),
        Some(method) => {
            let method = method.to_ascii_uppercase();
            if country.methods.contains(&method.as_str()) {
                method
            } else if country.refused.contains(&method.as_str()) {
                return Err(ApiError::with(
                    ApiCode::OperatorUnavailable,
                    format!("élément {index}: {method} n'est pas encore supporté"),
                    format!("item {index}: {method} is not supported yet"),
                ));
            } else {
                return Err(ApiError::with(
                    ApiCode::OperatorNotAvailable,
                    format!("élément {index}: {method} inconnu pour {}", country.code),
                    format!("item {index}: {method} is unknown for {}", country.code),
                ));
            }
        }
    };
    let notify_url = text(item, "notify_url")
        .filter(|u| Url::parse(u).is_ok_and(|u| matches!(u.scheme(), "http" | "https")))
        .ok_or_else(|| {
            ApiError::with(
                ApiCode::MissingNotifyUrl,
                format!("élément {index}"),
                format!("item {index}"),
            )
        })?;
    Ok(SendItem {
        prefix,
        phone,
        country: country.code,
        amount,
        client_transaction_id,
        notify_url,
        operator,
    })
}

/// A positive whole number of XOF, as a JSON number or a string of digits; else 801.
fn parse_amount(value: &Value, index: usize) -> Result<u64, ApiError> {
    let parsed = match value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 1e15)
                .map(|f| f as u64)
        }),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
        _ => None,
    };
    parsed.filter(|&a| a > 0).ok_or_else(|| {
        ApiError::with(
            ApiCode::InvalidAmount,
            format!("élément {index}: {value} n'est pas un montant entier positif"),
            format!("item {index}: {value} is not a positive whole amount"),
        )
    })
}

fn check_limits(amount: u64, country: &str, limits: &Limits, index: usize) -> Result<(), ApiError> {
    let min = limits.min_for(country);
    if amount < min {
        return Err(ApiError::with(
            ApiCode::AmountTooSmall,
            format!("élément {index}: {amount} < {min} ({country})"),
            format!("item {index}: {amount} < {min} ({country})"),
        ));
    }
    if amount > limits.max {
        return Err(ApiError::with(
            ApiCode::AmountTooLarge,
            format!("élément {index}: {amount} > {}", limits.max),
            format!("item {index}: {amount} > {}", limits.max),
        ));
    }
    if limits.multiple_of > 1 && amount % limits.multiple_of != 0 {
        return Err(ApiError::with(
            ApiCode::InvalidAmount,
            format!(
                "élément {index}: {amount} n'est pas un multiple de {}",
                limits.multiple_of
            ),
            format!(
                "item {index}: {amount} is not a multiple of {}",
                limits.multiple_of
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_must_be_positive_whole_numbers() {
        assert_eq!(parse_amount(&json!(500), 1), Ok(500));
        assert_eq!(parse_amount(&json!("500"), 1), Ok(500));
        assert_eq!(parse_amount(&json!(500.0), 1), Ok(500));
        for bad in [
            json!(500.5),
            json!(-5),
            json!(0),
            json!("5a"),
            json!(null),
            json!(""),
        ] {
            assert_eq!(parse_amount(&bad, 1).unwrap_err().code, ApiCode::InvalidAmount);
        }
    }

    #[test]
    fn limits_are_per_country() {
        let limits = Limits::default();
        assert_eq!(check_limits(150, "TG", &limits, 1), Ok(()));
        assert_eq!(
            check_limits(150, "CI", &limits, 1).unwrap_err().code,
            ApiCode::AmountTooSmall
        );
        assert_eq!(
            check_limits(1_500_005, "CI", &limits, 1).unwrap_err().code,
            ApiCode::AmountTooLarge
        );
        assert_eq!(
            check_limits(203, "CI", &limits, 1).unwrap_err().code,
            ApiCode::InvalidAmount
        );
    }
}
