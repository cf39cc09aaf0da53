//! One HTTP exchange with the service, and how its failures are classified.
//!
//! The wire format is the real one (see the API reference): form-encoded bodies, list payloads as
//! a JSON string in the single field `data`, `token` and `lang` in the query string, a
//! `User-Agent` naming this SDK, and never `Expect: 100-continue` (the service answers 417).
//!
//! The one question that matters for money is answered here: when an exchange fails, could the
//! service have acted on the request, and could it still be acting on it? A connection that was
//! never opened, a 429 or a refusal about the request mean no. An answer of the API itself with
//! an error code (-1, 709, 805, ... even under a 5xx) means maybe, and its run is over: the API
//! wrote its answer. Anything else (our timeout, a dropped connection, a gateway's page, an
//! unreadable or oversized answer) means maybe, and the service may still be working on it: front
//! proxies cut connections and answer 502/504 while the backend goes on. The send path reconciles
//! every "maybe" before it sends anything again, and waits out the second kind (ADR 2), counted
//! from when the request left ([`Failure::sent_at`]).
//!
//! Answers are read up to [`MAX_ANSWER_BYTES`]: a bigger one is a `protocol` error, never an
//! allocation the service (or whatever answers in its place) chooses.

use std::time::{Duration, Instant};

use crate::config::Config;
use crate::error::{Error, ErrorKind, Result};
use crate::i18n::Message;
use crate::secret::Secret;
use crate::wire::{self, Envelope};

/// `cinetpay-transfer-rust/0.1.0`.
pub(crate) const USER_AGENT: &str = concat!("cinetpay-transfer-rust/", env!("CARGO_PKG_VERSION"));

/// Where the API key and password are exchanged for a token.
pub(crate) const LOGIN_PATH: &str = "/auth/login";

/// The largest answer read (4 MiB): far above any real answer (a 50-payout batch is ~15 KiB).
pub(crate) const MAX_ANSWER_BYTES: usize = 4 << 20;

/// Whether the service may have acted on a request whose exchange failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Processed {
    /// Surely not: no connection, a 429, or a refusal about the request itself.
    No,
    /// Maybe, and the request is over: the API itself answered with an error code.
    Maybe,
    /// Maybe, and the service may still be working on it: nothing from the API itself came back
    /// (our timeout, a dropped connection, a gateway's page, an unreadable answer).
    MaybeStillRunning,
}

/// A failed exchange, and whether the service may have acted on it.
#[derive(Debug)]
pub(crate) struct Failure {
    pub error: Error,
    pub processed: Processed,
    /// When the request left (just before it was written): a run that may still go on started
    /// then, not when the call that made it began (a login may have come first).
    pub sent_at: Instant,
}

impl Failure {
    /// A failure before any request left (no token, a refused token provider).
    pub(crate) fn before_sending(error: Error) -> Self {
        Failure {
            error,
            processed: Processed::No,
            sent_at: Instant::now(),
        }
    }
}

/// A request to make: method, path under the base URL, extra query pairs, form fields.
pub(crate) struct Request<'a> {
    pub post: bool,
    pub path: &'static str,
    pub query: Vec<(&'static str, &'a str)>,
    pub form: Vec<(&'static str, &'a str)>,
}

/// The connection pool and the base URL.
pub(crate) struct Http {
    client: reqwest::Client,
    base_url: String,
    lang: &'static str,
}

impl Http {
    pub(crate) fn new(config: &Config) -> Result<Self> {
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            // A 307/308 would re-post the form (the login's API key and password) to wherever it
            // points: the API never redirects, so a redirect is refused, not followed.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .build()
            .map_err(|e| {
                Error::of(
                    ErrorKind::Transport,
                    Message::new("http-client-failed").text("reason", e),
                )
            })?;
        Ok(Http {
            client,
            base_url: config.base_url.trim_end_matches('/').to_owned(),
            lang: config.lang.as_str(),
        })
    }

    /// Makes one exchange (no retries) and reads its answer.
    pub(crate) async fn exchange(
        &self,
        request: &Request<'_>,
        token: Option<&Secret>,
        attempt: u32,
    ) -> std::result::Result<Envelope, Failure> {
        let url = format!("{}{}", self.base_url, request.path);
        let mut query: Vec<(&str, &str)> = Vec::with_capacity(request.query.len() + 2);
        if let Some(token) = token {
            query.push(("token", token.expose()));
        }
        query.push(("lang", self.lang));
        query.extend(request.query.iter().copied());
        let builder = if request.post {
            self.client.post(&url).form(&request.form)
        } else {
            self.client.get(&url)
        };
        let started = Instant::now();
        let outcome = async {
            let mut response = builder.query(&query).send().await?;
            let status = response.status().as_u16();
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await? {
                if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                    return Ok((status, None));
                }
                body.extend_from_slice(&chunk);
            }
            Ok::<_, reqwest::Error>((status, Some(body)))
        }
        .await;
        let method = if request.post { "POST" } else { "GET" };
        // What an error may quote of an answer that is not the API's (a page may echo the
        // request): never the token of its URL; nothing of the answer to a login, whose form
        // holds the credentials and whose answer may hold a token.
        let token_text: Vec<&str> = token.map(Secret::expose).into_iter().collect();
        let quote = if request.path == LOGIN_PATH {
            wire::Quote::Nothing
        } else {
            wire::Quote::Without(&token_text)
        };
        let elapsed_ms = elapsed_ms(started.elapsed());
        match outcome {
            Ok((status, None)) => Err(Failure {
                error: Error::of(
                    ErrorKind::Protocol,
                    Message::new("answer-too-large")
                        .text("status", status)
                        .text("limit", MAX_ANSWER_BYTES),
                )
                .with_http_status(status),
                processed: Processed::MaybeStillRunning,
                sent_at: started,
            }),
            Ok((status, Some(body))) => {
                tracing::debug!(
                    method,
                    path = request.path,
                    status,
                    elapsed_ms,
                    attempt,
                    "cinetpay request"
                );
                wire::parse_envelope(status, body, quote).map_err(|error| Failure {
                    processed: processing_behind_answer(&error),
                    error,
                    sent_at: started,
                })
            }
            Err(e) => {
                let error = Error::of(ErrorKind::Transport, describe(&e));
                tracing::debug!(method, path = request.path, elapsed_ms, attempt, %error, "cinetpay request failed");
                let processed = if e.is_connect() {
                    Processed::No
                } else {
                    Processed::MaybeStillRunning
                };
                Err(Failure {
                    error,
                    processed,
                    sent_at: started,
                })
            }
        }
    }
}

/// What a failed answer says about processing. A refusal about the request (bad token, bad data,
/// balance, contact: any kind but `service`, `protocol` and the duplicate 805) and a 429 say
/// nothing was done. A service error the API wrote itself (-1, 709/710/715, an unknown code) and
/// an 805 (the id is already held, maybe by an earlier attempt of this very payout) say maybe,
/// and the run is over. A page without an API code (a gateway's 502/503/504) or an unreadable
/// answer say maybe, and the backend may still be running.
fn processing_behind_answer(error: &Error) -> Processed {
    match error.kind() {
        ErrorKind::Service if error.http_status() == Some(429) => Processed::No,
        ErrorKind::Service | ErrorKind::DuplicateTransaction if error.code().is_some() => Processed::Maybe,
        ErrorKind::Service | ErrorKind::Protocol | ErrorKind::DuplicateTransaction => {
            Processed::MaybeStillRunning
        }
        _ => Processed::No,
    }
}

/// The failure of a reqwest call in words, without the URL (it carries the token). The innermost
/// cause (an OS or TLS message) is kept as written.
fn describe(e: &reqwest::Error) -> Message {
    let (what, because) = if e.is_connect() {
        ("transport-connect", "transport-connect-because")
    } else if e.is_timeout() {
        ("transport-timeout", "transport-timeout-because")
    } else if e.is_body() || e.is_decode() {
        ("transport-broken", "transport-broken-because")
    } else {
        ("transport-failed", "transport-failed-because")
    };
    let mut cause = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    if cause.is_empty() {
        Message::new(what)
    } else {
        Message::new(because).text("reason", cause)
    }
}

fn elapsed_ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
