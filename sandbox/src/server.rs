//! Serving: the accept loop, and the per-request wrapper that applies `Expect` and faults.
//!
//! The router is served with hyper's HTTP/1 connection directly (not `axum::serve`) because two
//! faults must close the TCP connection without any HTTP answer: when the service returns an
//! error, hyper drops the connection on the spot. That is the only honest way to show a client
//! "the request may or may not have happened". A `slow_processing` request is the opposite case:
//! its work runs in a detached task, so that a client giving up cannot cancel it.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, Request, Response, StatusCode};
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::codes::Lang;
use crate::engine::Engine;
use crate::faults::{Endpoint, Fault, FaultKind};
use crate::{admin, fault_answers, routes};

/// The error that makes hyper close a connection without answering.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by an injected fault")]
struct Dropped;

/// Accepts connections until the task is aborted (which also aborts every open connection).
pub async fn serve(listener: TcpListener, engine: Arc<Engine>) {
    let app = Router::new()
        .nest("/v1", routes::router())
        .nest("/_sandbox", admin::router())
        .with_state(engine.clone());
    let mut connections = JoinSet::new();
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                tracing::warn!("accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        while connections.try_join_next().is_some() {}
        let (app, engine) = (app.clone(), engine.clone());
        connections.spawn(async move {
            let service = hyper::service::service_fn(move |req| handle(engine.clone(), app.clone(), req));
            if let Err(e) = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                tracing::debug!("connection closed: {e}");
            }
        });
    }
}

async fn route(app: Router, req: Request<Body>) -> Response<Body> {
    match app.oneshot(req).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// Reads the whole body, so that a fault can look at it and still hand the request on.
async fn buffered(req: Request<Body>) -> Result<(Request<Body>, Bytes), Dropped> {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(|_| Dropped)?;
    Ok((Request::from_parts(parts, Body::from(bytes.clone())), bytes))
}

/// The faults that play the service's own answers (see [`fault_answers`]).
async fn service_fault(
    engine: &Engine,
    app: Router,
    req: Request<Body>,
    fault: Fault,
) -> Result<Response<Body>, Dropped> {
    let lang = Lang::parse(
        req.uri()
            .query()
            .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
            .and_then(|q| q.into_iter().find(|(k, _)| k == "lang").map(|(_, v)| v))
            .as_deref(),
    );
    let quirks = &engine.config.quirks;
    let code = fault.code_or_default();
    match fault.kind {
        FaultKind::SlowProcessing => {
            let (req, _) = buffered(req).await?;
            let delay = Duration::from_millis(fault.latency_ms);
            let work = engine.in_flight.spawn(async move {
                tokio::time::sleep(delay).await;
                route(app, req).await
            });
            work.await.map_err(|_| Dropped)
        }
        FaultKind::StatusLag => {
            let response = route(app, req).await;
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .map_err(|_| Dropped)?;
            Ok(fault_answers::lagging_status(status, &body))
        }
        FaultKind::ItemError => {
            let (req, body) = buffered(req).await?;
            if fault.processed {
                route(app, req).await;
            }
            Ok(fault_answers::item_errors(&body, code, lang, quirks)
                .unwrap_or_else(|| fault_answers::api_error(code, lang, quirks)))
        }
        _ => {
            if fault.processed {
                route(app, req).await;
            }
            Ok(fault_answers::api_error(code, lang, quirks))
        }
    }
}

/// One request: an API request is counted and waits the configured latency (holding no lock, so
/// that concurrent requests wait together), time catches up, then `Expect: 100-continue` gets 417
/// (before the body is read), then the next fault queued for the endpoint acts, then the router
/// answers.
async fn handle(engine: Arc<Engine>, app: Router, req: Request<Incoming>) -> Result<Response<Body>, Dropped> {
    let req = req.map(Body::new);
    let Some(endpoint) = Endpoint::from_path(req.uri().path()) else {
        engine.tick();
        return Ok(route(app, req).await);
    };
    let _counted = engine.requests.begin();
    if !engine.config.latency.is_zero() {
        tokio::time::sleep(engine.config.latency).await;
    }
    engine.tick();
    let expects = req
        .headers()
        .get(header::EXPECT)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
    if expects {
        return Ok(plain(StatusCode::EXPECTATION_FAILED, "text/plain", ""));
    }
    let Some(fault) = engine.faults.take(endpoint) else {
        return Ok(route(app, req).await);
    };
    if fault.latency_ms > 0 && fault.kind != FaultKind::SlowProcessing {
        tokio::time::sleep(Duration::from_millis(fault.latency_ms)).await;
    }
    match fault.kind {
        FaultKind::Latency => Ok(route(app, req).await),
        FaultKind::ServerError => {
            let status = fault
                .status
                .and_then(|s| StatusCode::from_u16(s).ok())
                .unwrap_or(StatusCode::BAD_GATEWAY);
            let reason = status.canonical_reason().unwrap_or("Error");
            let code = status.as_u16();
            let page = format!(
                "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
            );
            Ok(plain(status, "text/html", &page))
        }
        FaultKind::DropBefore => Err(Dropped),
        FaultKind::DropAfter => {
            route(app, req).await;
            Err(Dropped)
        }
        FaultKind::MalformedJson => {
            route(app, req).await;
            Ok(plain(
                StatusCode::OK,
                "application/json",
                r#"{"code":0,"message":"OPERATION_SUCCES","data":[{"#,
            ))
        }
        FaultKind::RateLimited => Ok(with_retry_after(plain(
            StatusCode::TOO_MANY_REQUESTS,
            "application/json",
            r#"{"message":"Too Many Attempts."}"#,
        ))),
        FaultKind::RateLimitedEmpty => Ok(with_retry_after(plain(
            StatusCode::TOO_MANY_REQUESTS,
            "text/plain",
            "",
        ))),
        FaultKind::NotYetVisible => Ok(plain(
            StatusCode::NOT_FOUND,
            "application/json",
            r#"{"code":"723","message":"NOT_FOUND","description":"No result","data":[]}"#,
        )),
        FaultKind::ApiError | FaultKind::ItemError | FaultKind::SlowProcessing | FaultKind::StatusLag => {
            service_fault(&engine, app, req, fault).await
        }
    }
}

fn plain(status: StatusCode, content_type: &'static str, body: &str) -> Response<Body> {
    let mut response = Response::new(Body::from(body.to_string()));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

fn with_retry_after(mut response: Response<Body>) -> Response<Body> {
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}
