//! A scripted HTTP server on 127.0.0.1 for the tests that need exact control of each answer
//! (fail N times then succeed, count logins, record every request). Tests of behaviour against a
//! realistic service use the sandbox instead.

#![allow(dead_code)] // each test file uses its own part of this module

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: HeaderMap,
    pub body: String,
}

#[derive(Default)]
struct Script {
    queued: HashMap<String, VecDeque<(u16, String)>>,
    seen: Vec<Seen>,
    logins: usize,
}

/// The server: answers from per-path queues, then a default success answer for that path.
#[derive(Clone, Default)]
pub struct ScriptedServer {
    script: Arc<Mutex<Script>>,
}

pub fn jwt(lifetime_seconds: u64, n: usize) -> String {
    let enc = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let claims = format!(
        r#"{{"iat":1700000000,"exp":{},"n":{n}}}"#,
        1_700_000_000 + lifetime_seconds
    );
    format!(
        "{}.{}.sig",
        enc.encode(r#"{"alg":"HS256","typ":"JWT"}"#),
        enc.encode(claims)
    )
}

pub const BALANCE_OK: &str =
    r#"{"code":0,"message":"OPERATION_SUCCES","data":{"amount":1000,"inUsing":0,"available":1000}}"#;

impl ScriptedServer {
    /// Queues answers for a path (`/v1/transfer/check/balance`), used before the default one.
    pub fn queue(&self, path: &str, status: u16, body: &str) {
        let mut script = self.script.lock().unwrap();
        script
            .queued
            .entry(path.to_owned())
            .or_default()
            .push_back((status, body.to_owned()));
    }

    pub fn seen(&self, path: &str) -> Vec<Seen> {
        self.script
            .lock()
            .unwrap()
            .seen
            .iter()
            .filter(|s| s.path == path)
            .cloned()
            .collect()
    }

    pub fn logins(&self) -> usize {
        self.script.lock().unwrap().logins
    }

    /// Serves on a free port of 127.0.0.1 and returns the base URL (`http://127.0.0.1:N/v1`).
    pub async fn start(&self) -> String {
        let app = axum::Router::new().fallback(answer).with_state(self.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        format!("http://{addr}/v1")
    }
}

async fn answer(State(server): State<ScriptedServer>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body: Bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    let path = parts.uri.path().to_owned();
    let mut script = server.script.lock().unwrap();
    script.seen.push(Seen {
        method: parts.method.to_string(),
        path: path.clone(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers: parts.headers.clone(),
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    let queued = script.queued.get_mut(&path).and_then(VecDeque::pop_front);
    let (status, body) = match queued {
        Some(answer) => answer,
        None if path.ends_with("/auth/login") => {
            script.logins += 1;
            let token = jwt(960, script.logins);
            (
                200,
                format!(r#"{{"code":0,"message":"OPERATION_SUCCES","data":{{"token":"{token}"}}}}"#),
            )
        }
        None if path.ends_with("/transfer/check/balance") => (200, BALANCE_OK.to_owned()),
        None => (
            200,
            r#"{"code":0,"message":"OPERATION_SUCCES","data":[]}"#.to_owned(),
        ),
    };
    let content_type = if body.starts_with('<') {
        "text/html"
    } else {
        "application/json"
    };
    let mut response = (
        StatusCode::from_u16(status).unwrap(),
        [("content-type", content_type)],
        body,
    )
        .into_response();
    if (300..400).contains(&status) {
        // Redirects point at a path of this same server, so a test can see whether it was followed.
        response
            .headers_mut()
            .insert("location", "/v1/redirected".parse().unwrap());
    }
    response
}

/// Every `tracing` record of the current thread's tests, as text, while the guard lives (for the
/// tests that check what the logs say, or do not say).
#[derive(Clone, Default)]
pub struct CapturedLogs(Arc<Mutex<Vec<u8>>>);

impl CapturedLogs {
    /// Starts capturing every level, down to TRACE, without colours.
    pub fn start() -> (CapturedLogs, tracing::subscriber::DefaultGuard) {
        let captured = CapturedLogs::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        (captured, tracing::subscriber::set_default(subscriber))
    }

    /// What was written so far.
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl std::io::Write for CapturedLogs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
