//! Runs every scenario of `tests/conformance/scenarios/` against the core client and the sandbox.
//! The format is documented in `tests/conformance/README.md`; the other languages run the same files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use cinetpay_sandbox::{Quirks, Sandbox, SandboxConfig};
use cinetpay_transfer::{
    Client, Contact, Error, Lang, NotificationEvent, NotificationReply, RetryPolicy, Transfer, TransferQuery,
};
use serde_json::{json, Map, Value};

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance/scenarios")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_conformance_scenario_passes() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenarios_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 30, "at least 30 scenarios, found {}", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let scenario: Value = serde_json::from_slice(&std::fs::read(file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let started = std::time::Instant::now();
        let outcome = run_scenario(&scenario).await;
        // Visible with --nocapture: where the suite's time goes.
        println!(
            "{:>6.2}s {}",
            started.elapsed().as_secs_f64(),
            file.file_name().unwrap().to_string_lossy()
        );
        if let Err(failure) = outcome {
            failures.push(format!(
                "{}: {failure}",
                file.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} scenarios failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

async fn run_scenario(scenario: &Value) -> Result<(), String> {
    let sandbox = Sandbox::start(sandbox_config(&scenario["sandbox"]))
        .await
        .map_err(|e| e.to_string())?;
    let client = build_client(&scenario["client"], &sandbox.base_url())?;
    let admin = reqwest::Client::new();
    let mut saved: HashMap<String, Value> = HashMap::new();
    for (n, step) in scenario["steps"].as_array().ok_or("no steps")?.iter().enumerate() {
        let step = substitute(step, &saved, None);
        let repeat = step.get("repeat").and_then(Value::as_u64).unwrap_or(1);
        let runs = (0..repeat).map(|i| {
            let step = substitute(&step, &HashMap::new(), Some(i));
            let (client, admin, admin_url) = (client.clone(), admin.clone(), sandbox.admin_url());
            async move {
                let outcome = run_step(&step, &client, &admin, &admin_url).await;
                (step, outcome)
            }
        });
        let outcomes: Vec<Result<Value, Value>> = futures::future::join_all(runs)
            .await
            .into_iter()
            .map(|(step, outcome)| {
                check(&step, &outcome).map_err(|e| format!("step {n} ({}): {e}", describe(&step)))?;
                Ok(outcome)
            })
            .collect::<Result<_, String>>()?;
        if let (Some(save), Some(Ok(result))) =
            (step.get("save").and_then(Value::as_object), outcomes.first())
        {
            for (name, path) in save {
                let value = lookup(result, path.as_str().unwrap_or_default())
                    .ok_or_else(|| format!("step {n}: nothing at {path} to save in {result}"))?;
                saved.insert(name.clone(), value);
            }
        }
    }
    Ok(())
}

fn describe(step: &Value) -> String {
    step.get("call")
        .or_else(|| step.get("admin"))
        .map(|v| v.to_string())
        .unwrap_or_default()
}

fn sandbox_config(section: &Value) -> SandboxConfig {
    let mut config = SandboxConfig::default();
    if section["quirks"] == "documented" {
        config.quirks = Quirks::documented();
    }
    if let Some(seconds) = section["token_lifetime_seconds"].as_u64() {
        config.token_lifetime = Duration::from_secs(seconds);
    }
    config
}

fn build_client(section: &Value, base_url: &str) -> Result<Client, String> {
    let ms = |v: &Value, default: u64| Duration::from_millis(v.as_u64().unwrap_or(default));
    let retry = &section["retry"];
    let mut builder = Client::builder()
        .credentials(
            section["api_key"].as_str().unwrap_or("sandbox-api-key"),
            section["password"].as_str().unwrap_or("sandbox-password"),
        )
        .base_url(base_url)
        .lang(if section["lang"] == "fr" {
            Lang::Fr
        } else {
            Lang::En
        })
        .retry(RetryPolicy {
            max_attempts: retry["max_attempts"].as_u64().unwrap_or(3) as u32,
            initial_backoff: ms(&retry["initial_backoff_ms"], 10),
            max_backoff: ms(&retry["max_backoff_ms"], 50),
        });
    if let Some(n) = section["chunk_size"].as_u64() {
        builder = builder.chunk_size(n as usize);
    }
    if let Some(n) = section["max_concurrency"].as_u64() {
        builder = builder.max_concurrency(n as usize);
    }
    builder = builder
        .request_timeout(ms(&section["request_timeout_ms"], 2000))
        .processing_window(ms(&section["processing_window_ms"], 2500));
    builder.build().map_err(|e| e.to_string())
}

/// A step's result as JSON, or its error as the JSON the README describes.
async fn run_step(
    step: &Value,
    client: &Client,
    admin: &reqwest::Client,
    admin_url: &str,
) -> Result<Value, Value> {
    if let Some(request) = step.get("admin").and_then(Value::as_str) {
        return run_admin(request, &step["body"], admin, admin_url).await;
    }
    let args = &step["args"];
    let call = step["call"].as_str().unwrap_or_default();
    let to_json = |r: Result<Value, Error>| r.map_err(|e| error_json(&e));
    match call {
        "balance" => to_json(client.balance().await.map(|b| json!(b))),
        "add_contacts" => {
            let contacts: Vec<Contact> = args["contacts"].as_array().unwrap().iter().map(contact).collect();
            to_json(client.add_contacts(&contacts).await.map(|r| json!(r)))
        }
        "send" | "pay" => {
            let transfers: Vec<Transfer> = args["transfers"]
                .as_array()
                .unwrap()
                .iter()
                .map(transfer)
                .collect();
            let result = if call == "send" {
                client.send(&transfers).await
            } else {
                client.pay(&transfers).await
            };
            to_json(result.map(|r| json!(r)))
        }
        "transfer_status" => {
            let query = if let Some(id) = args["transaction_id"].as_str() {
                TransferQuery::TransactionId(id.into())
            } else if let Some(id) = args["client_transaction_id"].as_str() {
                TransferQuery::ClientTransactionId(id.into())
            } else {
                TransferQuery::Lot(args["lot"].as_str().unwrap_or_default().into())
            };
            to_json(client.transfer_status(&query).await.map(|r| json!(r)))
        }
        "parse_notification" => {
            let method = args["method"].as_str().unwrap_or("POST");
            let body = args["body"].as_str().unwrap_or_default();
            to_json(
                NotificationEvent::from_request(body.as_bytes(), method).map(|event| match event {
                    NotificationEvent::Ping => json!("ping"),
                    NotificationEvent::Transfer(n) => json!(n),
                }),
            )
        }
        "confirm_notification" => {
            let result = match NotificationEvent::from_fields(fields(&args["fields"]), "POST") {
                Ok(NotificationEvent::Transfer(n)) => client.confirm_notification(&n).await.map(|r| json!(r)),
                Ok(NotificationEvent::Ping) => Ok(json!("ping")),
                Err(e) => Err(e),
            };
            to_json(result)
        }
        "notification_reply" => {
            let method = args["method"].as_str().unwrap_or("POST");
            let reply = NotificationReply::for_fields(client, method, fields(&args["fields"])).await;
            Ok(json!({ "status": reply.status, "transfer": reply.transfer }))
        }
        other => Err(json!({ "kind": "runner", "detail": format!("unknown call {other}") })),
    }
}

async fn run_admin(
    request: &str,
    body: &Value,
    admin: &reqwest::Client,
    admin_url: &str,
) -> Result<Value, Value> {
    let (method, path) = request.split_once(' ').unwrap_or(("GET", request));
    let url = format!("{admin_url}{path}");
    let builder = match method {
        "POST" => admin
            .post(&url)
            .header("content-type", "application/json")
            .body(if body.is_null() {
                "{}".to_owned()
            } else {
                body.to_string()
            }),
        "DELETE" => admin.delete(&url),
        _ => admin.get(&url),
    };
    let response = builder
        .send()
        .await
        .map_err(|e| json!({ "kind": "admin", "detail": e.to_string() }))?;
    let status = response.status();
    let bytes = response.bytes().await.unwrap_or_default();
    let value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    if status.is_success() {
        Ok(value)
    } else {
        Err(json!({ "kind": "admin", "http_status": status.as_u16(), "detail": value }))
    }
}

/// A scenario's form fields (`{"name": value}`) as the pairs a web framework decodes.
fn fields(v: &Value) -> Vec<(String, String)> {
    v.as_object()
        .map(|fields| {
            fields
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
                .collect()
        })
        .unwrap_or_default()
}

fn contact(v: &Value) -> Contact {
    let s = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
    Contact {
        prefix: s("prefix"),
        phone: s("phone"),
        name: s("name"),
        surname: s("surname"),
        email: s("email"),
    }
}

fn transfer(v: &Value) -> Transfer {
    let s = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
    let opt = |k: &str| v[k].as_str().map(str::to_owned);
    Transfer {
        prefix: s("prefix"),
        phone: s("phone"),
        amount: v["amount"].as_i64().expect("integer amount"),
        notify_url: s("notify_url"),
        client_transaction_id: opt("client_transaction_id"),
        payment_method: opt("payment_method"),
        name: opt("name"),
        surname: opt("surname"),
        email: opt("email"),
    }
}

fn error_json(e: &Error) -> Value {
    json!({
        "kind": e.kind().as_str(),
        "code": e.code(),
        "api_message": e.api_message(),
        "description": e.description(),
        "http_status": e.http_status(),
        "field": e.field(),
        "index": e.index(),
        "client_transaction_ids": e.client_transaction_ids(),
        "detail": e.detail(),
    })
}

fn check(step: &Value, outcome: &Result<Value, Value>) -> Result<(), String> {
    let expect = &step["expect"];
    match (outcome, expect.get("error")) {
        (Ok(value), None) => expect
            .get("ok")
            .map_or(Ok(()), |pattern| matches(pattern, value, "result")),
        (Err(error), Some(pattern)) => matches(pattern, error, "error"),
        (Ok(value), Some(_)) => Err(format!("expected an error, got {value}")),
        (Err(error), None) => Err(format!("unexpected error {error}")),
    }
}

/// Partial match with `$len` and `$each` (see the README).
fn matches(pattern: &Value, actual: &Value, path: &str) -> Result<(), String> {
    match pattern {
        Value::Object(p) if p.contains_key("$len") || p.contains_key("$each") => {
            let items = actual
                .as_array()
                .ok_or_else(|| format!("{path}: expected a list, got {actual}"))?;
            if let Some(n) = p.get("$len").and_then(Value::as_u64) {
                if items.len() as u64 != n {
                    return Err(format!(
                        "{path}: expected {n} items, got {}: {actual}",
                        items.len()
                    ));
                }
            }
            if let Some(each) = p.get("$each") {
                for (i, item) in items.iter().enumerate() {
                    matches(each, item, &format!("{path}[{i}]"))?;
                }
            }
            Ok(())
        }
        Value::Object(p) => {
            let a = actual
                .as_object()
                .ok_or_else(|| format!("{path}: expected an object, got {actual}"))?;
            for (key, value) in p {
                matches(
                    value,
                    a.get(key).unwrap_or(&Value::Null),
                    &format!("{path}.{key}"),
                )?;
            }
            Ok(())
        }
        Value::Array(p) => {
            let a = actual
                .as_array()
                .ok_or_else(|| format!("{path}: expected a list, got {actual}"))?;
            if a.len() != p.len() {
                return Err(format!(
                    "{path}: expected {} items, got {}: {actual}",
                    p.len(),
                    a.len()
                ));
            }
            p.iter()
                .zip(a)
                .enumerate()
                .try_for_each(|(i, (pv, av))| matches(pv, av, &format!("{path}[{i}]")))
        }
        _ if pattern == actual => Ok(()),
        _ => Err(format!("{path}: expected {pattern}, got {actual}")),
    }
}

fn lookup(value: &Value, path: &str) -> Option<Value> {
    path.split('.')
        .filter(|p| !p.is_empty())
        .try_fold(value, |v, key| match key.parse::<usize>() {
            Ok(i) => v.get(i),
            Err(_) => v.get(key),
        })
        .cloned()
}

/// Replaces `${name}` with saved values, and `${i}` with the repeat index when given.
fn substitute(value: &Value, saved: &HashMap<String, Value>, index: Option<u64>) -> Value {
    match value {
        Value::String(s) => {
            if let Some(name) = s.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
                if let Some(v) = saved.get(name) {
                    return v.clone();
                }
            }
            let mut out = s.clone();
            for (name, v) in saved {
                let text = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                out = out.replace(&format!("${{{name}}}"), &text);
            }
            if let Some(i) = index {
                out = out.replace("${i}", &i.to_string());
            }
            Value::String(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| substitute(v, saved, index)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), substitute(v, saved, index)))
                .collect::<Map<_, _>>(),
        ),
        other => other.clone(),
    }
}
