//! The answers the service's own faults give: error codes no rule produces, per-item errors inside a
//! code-0 answer, and lookups that lag behind the notification.
//!
//! Kept apart from the handlers so that the handlers only ever say what the sandbox's rules say;
//! everything here is made up (or altered) on a fault's behalf, in the same wire shapes and quirks.

use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode};
use serde_json::{json, Map, Value};

use crate::codes::{ApiCode, Lang};
use crate::config::Quirks;
use crate::wire;

/// Message, description and HTTP status of `code`; a code the sandbox does not know is sent as
/// given, as the "unknown code" a client must survive.
fn describe(code: i64, lang: Lang) -> (&'static str, &'static str, StatusCode) {
    match ApiCode::from_number(code) {
        Some(known) => (known.message(), known.description(lang), known.http_status()),
        None => {
            let text = match lang {
                Lang::Fr => "Erreur inconnue",
                Lang::En => "Unknown error",
            };
            ("UNKNOWN_ERROR", text, StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}

/// The whole request refused with `code`: `{"code", "message", "description", "data": []}`.
pub fn api_error(code: i64, lang: Lang, quirks: &Quirks) -> Response<Body> {
    let (message, description, status) = describe(code, lang);
    let code = if quirks.string_error_codes {
        json!(code.to_string())
    } else {
        json!(code)
    };
    let body = json!({ "code": code, "message": message, "description": description, "data": [] });
    json_response(status, &body)
}

/// A code-0 send answer in which every item of the request's `data` carries `code` (per-item
/// codes are numbers). `None` when `data` is not a list of objects (the caller then refuses the
/// whole request instead).
pub fn item_errors(form_body: &[u8], code: i64, lang: Lang, quirks: &Quirks) -> Option<Response<Body>> {
    let form: Vec<(String, String)> = serde_urlencoded::from_bytes(form_body).ok()?;
    let data = form.iter().find(|(k, _)| k == "data").map(|(_, v)| v)?;
    let Value::Array(items) = serde_json::from_str(data).ok()? else {
        return None;
    };
    let (message, description, _) = describe(code, lang);
    let answers = items
        .into_iter()
        .map(|item| {
            let mut item: Map<String, Value> = match item {
                Value::Object(o) => o,
                _ => return None,
            };
            item.insert("code".into(), json!(code));
            item.insert("status".into(), json!(message));
            item.insert("description".into(), json!(description));
            Some(Value::Object(item))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(json_response(
        StatusCode::OK,
        &json!({
            "code": 0,
            "message": ApiCode::Success.message(),
            "data": wire::list(answers, quirks),
        }),
    ))
}

/// A check/money answer as it was before its payouts became final: VAL and REJ items shown as
/// REC, not validated. Any other answer (an error) is returned unchanged.
pub fn lagging_status(status: StatusCode, body: &[u8]) -> Response<Body> {
    let Ok(mut answer) = serde_json::from_slice::<Value>(body) else {
        return raw(status, body);
    };
    if let Some(items) = answer.get_mut("data").and_then(Value::as_array_mut) {
        for item in items.iter_mut().filter_map(Value::as_object_mut) {
            if matches!(
                item.get("treatment_status").and_then(Value::as_str),
                Some("VAL" | "REJ")
            ) {
                item.insert("treatment_status".into(), json!("REC"));
                item.insert("transfer_valid".into(), json!("N"));
                item.insert("validated_at".into(), Value::Null);
                item.insert("operator_transaction_id".into(), Value::Null);
                item.insert("comment".into(), Value::Null);
            }
        }
    }
    json_response(status, &answer)
}

fn json_response(status: StatusCode, body: &Value) -> Response<Body> {
    raw(status, body.to_string().as_bytes())
}

fn raw(status: StatusCode, body: &[u8]) -> Response<Body> {
    let mut response = Response::new(Body::from(body.to_vec()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(response: Response<Body>) -> (u16, Value) {
        let status = response.status().as_u16();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn an_api_error_has_the_service_shape_and_unknown_codes_are_sent_as_given() {
        let (status, body) = body_of(api_error(709, Lang::En, &Quirks::default())).await;
        assert_eq!(status, 500);
        assert_eq!(body["code"], "709");
        assert_eq!(body["message"], "EXECUTION_ERROR");
        assert_eq!(body["data"], json!([]));
        let (status, body) = body_of(api_error(805, Lang::En, &Quirks::documented())).await;
        assert_eq!((status, body["code"].clone()), (409, json!(805)));
        let (status, body) = body_of(api_error(999, Lang::Fr, &Quirks::default())).await;
        assert_eq!((status, body["message"].clone()), (500, json!("UNKNOWN_ERROR")));
    }

    #[tokio::test]
    async fn item_errors_answer_every_item_with_the_code_inside_a_code_0_answer() {
        let data = r#"[{"prefix":"225","phone":"0701020304","amount":500,"client_transaction_id":"a"}]"#;
        let form = serde_urlencoded::to_string([("data", data)]).unwrap();
        let response = item_errors(form.as_bytes(), 715, Lang::En, &Quirks::default()).unwrap();
        let (status, body) = body_of(response).await;
        assert_eq!((status, body["code"].clone()), (200, json!(0)));
        let item = &body["data"][0][0];
        assert_eq!(
            (item["code"].clone(), item["client_transaction_id"].clone()),
            (json!(715), json!("a"))
        );
        assert_eq!(item["status"], "UNEXPECTED_ERROR");
        assert!(item.get("transaction_id").is_none());
        assert!(item_errors(b"data=nope", 715, Lang::En, &Quirks::default()).is_none());
    }

    #[tokio::test]
    async fn a_lagging_lookup_shows_final_payouts_as_still_processing() {
        let answer = json!({"code": 0, "data": [
            {"treatment_status": "VAL", "transfer_valid": "Y", "validated_at": "2026-01-01 00:00:00"},
            {"treatment_status": "NEW", "transfer_valid": "N", "validated_at": null},
        ]});
        let (status, body) = body_of(lagging_status(StatusCode::OK, answer.to_string().as_bytes())).await;
        assert_eq!(status, 200);
        assert_eq!(body["data"][0]["treatment_status"], "REC");
        assert_eq!(body["data"][0]["validated_at"], Value::Null);
        assert_eq!(body["data"][1]["treatment_status"], "NEW");
    }
}
