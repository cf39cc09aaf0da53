//! Fault injection: what the network and the service's gateway do to a client on a bad day.
//!
//! Faults are queued per endpoint and count-limited: each request to the endpoint consumes one use
//! of the oldest fault queued for it, so "the next 2 sends time out, then all is well" is one call.
//! `latency_ms` delays any fault kind before it acts (and is all that `latency` does).
//!
//! Besides the network's faults, some kinds play the service's own bad answers: error codes no rule
//! of the sandbox produces (`api_error`, `item_error`), a send still running when the client gives
//! up (`slow_processing`), and lookups lagging behind the notification (`status_lag`). With
//! `processed`, the request is processed before the error is answered: the case where the service
//! did the work and said otherwise, which a client must settle by lookup before anything else.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// The API endpoint a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// `POST /v1/auth/login`.
    Login,
    /// `GET /v1/transfer/check/balance`.
    Balance,
    /// `POST /v1/transfer/contact`.
    Contact,
    /// `POST /v1/transfer/money/send/contact`.
    Send,
    /// `GET /v1/transfer/check/money`.
    Status,
}

impl Endpoint {
    /// The endpoint serving `path` (with its `/v1` prefix).
    pub fn from_path(path: &str) -> Option<Endpoint> {
        match path.trim_end_matches('/') {
            "/v1/auth/login" => Some(Endpoint::Login),
            "/v1/transfer/check/balance" => Some(Endpoint::Balance),
            "/v1/transfer/contact" => Some(Endpoint::Contact),
            "/v1/transfer/money/send/contact" => Some(Endpoint::Send),
            "/v1/transfer/check/money" => Some(Endpoint::Status),
            _ => None,
        }
    }
}

/// What a fault does to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Only the added latency; the request is then served normally.
    Latency,
    /// A 5xx (`status`, default 502) with an HTML gateway page; the request is not processed.
    ServerError,
    /// The connection is closed before the request is processed; nothing is recorded.
    DropBefore,
    /// The request is processed (a send records its payouts), then the connection is closed
    /// without an answer.
    DropAfter,
    /// The request is processed, then answered 200 with a truncated, unparsable JSON body.
    MalformedJson,
    /// 429 with a JSON body; the request is not processed.
    RateLimited,
    /// 429 with an empty body; the request is not processed.
    RateLimitedEmpty,
    /// 723 NOT_FOUND without looking: what a lookup sees while the service has recorded a payout
    /// but does not show it yet (on `status`, the eventual-consistency case).
    NotYetVisible,
    /// The whole request is answered with the error `code` (default -1) and its HTTP status; it
    /// is processed first only when `processed` is set.
    ApiError,
    /// (`send` only) A code-0 answer whose items each carry the error `code` (default -1) instead
    /// of being accepted; they are recorded anyway when `processed` is set.
    ItemError,
    /// The request is processed `latency_ms` later, even if the client gave up meanwhile, and
    /// answered then: a send that outlives the client's timeout is recorded when it ends.
    SlowProcessing,
    /// (`status` only) Payouts that are final are shown as they were just before (REC, not
    /// validated): what a lookup sees when the notification outran it.
    StatusLag,
}

impl FaultKind {
    /// The only endpoint the kind applies to, for kinds that make sense on one endpoint only.
    pub fn only_on(self) -> Option<Endpoint> {
        match self {
            FaultKind::ItemError => Some(Endpoint::Send),
            FaultKind::StatusLag => Some(Endpoint::Status),
            _ => None,
        }
    }
}

/// A fault to inject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// The endpoint it applies to.
    pub endpoint: Endpoint,
    /// What it does.
    pub kind: FaultKind,
    /// How many requests it applies to (default 1).
    #[serde(default = "one")]
    pub count: u32,
    /// Delay added before the fault acts, in milliseconds (default 0).
    #[serde(default)]
    pub latency_ms: u64,
    /// HTTP status of a `server_error` (default 502).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The API code of an `api_error` or `item_error` (default -1). Codes the sandbox does not
    /// know are sent as given, as the unknown codes a client must survive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<i64>,
    /// For `api_error` and `item_error`: process the request before answering the error.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub processed: bool,
}

fn one() -> u32 {
    1
}

impl Fault {
    /// A fault hitting the next request to `endpoint`.
    pub fn new(endpoint: Endpoint, kind: FaultKind) -> Self {
        Fault {
            endpoint,
            kind,
            count: 1,
            latency_ms: 0,
            status: None,
            code: None,
            processed: false,
        }
    }

    /// An `api_error` answering `code` to the next request to `endpoint`.
    pub fn api_error(endpoint: Endpoint, code: i64) -> Self {
        Fault::new(endpoint, FaultKind::ApiError).with_code(code)
    }

    /// An `item_error`: the next send's items each answered with `code` inside a code-0 answer.
    pub fn item_error(code: i64) -> Self {
        Fault::new(Endpoint::Send, FaultKind::ItemError).with_code(code)
    }

    /// A pure delay of `ms` milliseconds on the next request to `endpoint`.
    pub fn latency(endpoint: Endpoint, ms: u64) -> Self {
        Fault::new(endpoint, FaultKind::Latency).with_latency_ms(ms)
    }

    /// Applies to the next `count` requests instead of one.
    pub fn times(mut self, count: u32) -> Self {
        self.count = count;
        self
    }

    /// Adds a delay before the fault acts.
    pub fn with_latency_ms(mut self, ms: u64) -> Self {
        self.latency_ms = ms;
        self
    }

    /// Sets the status of a `server_error`.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Sets the API code of an `api_error` or `item_error`.
    pub fn with_code(mut self, code: i64) -> Self {
        self.code = Some(code);
        self
    }

    /// Makes an `api_error` or `item_error` process the request before answering.
    pub fn processed(mut self) -> Self {
        self.processed = true;
        self
    }

    /// The code of an `api_error` or `item_error`: the one given, else -1 OPERATION_ERROR.
    pub fn code_or_default(&self) -> i64 {
        self.code.unwrap_or(-1)
    }

    /// Why the fault cannot act as asked (a kind on an endpoint it does not apply to), if so.
    pub fn check(&self) -> Result<(), String> {
        match self.kind.only_on() {
            Some(only) if only != self.endpoint => Err(format!(
                "fault kind {:?} applies to the {only:?} endpoint only",
                self.kind
            )),
            _ => Ok(()),
        }
    }
}

/// The queue of faults still to apply.
#[derive(Debug, Default)]
pub struct FaultBook {
    queue: Mutex<Vec<Fault>>,
}

impl FaultBook {
    /// Queues a fault (a zero count is ignored).
    pub fn add(&self, fault: Fault) {
        if fault.count > 0 {
            self.lock().push(fault);
        }
    }

    /// Removes every fault.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// The faults still queued, with their remaining counts.
    pub fn list(&self) -> Vec<Fault> {
        self.lock().clone()
    }

    /// Consumes one use of the oldest fault for `endpoint`.
    pub fn take(&self, endpoint: Endpoint) -> Option<Fault> {
        let mut queue = self.lock();
        let i = queue.iter().position(|f| f.endpoint == endpoint)?;
        let fault = queue[i];
        if fault.count <= 1 {
            queue.remove(i);
        } else {
            queue[i].count -= 1;
        }
        Some(fault)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Fault>> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_count_limited_and_per_endpoint() {
        let book = FaultBook::default();
        book.add(Fault::new(Endpoint::Send, FaultKind::DropAfter).times(2));
        book.add(Fault::new(Endpoint::Login, FaultKind::RateLimited));
        assert_eq!(book.take(Endpoint::Balance), None);
        assert_eq!(book.take(Endpoint::Send).unwrap().kind, FaultKind::DropAfter);
        assert_eq!(book.take(Endpoint::Send).unwrap().kind, FaultKind::DropAfter);
        assert_eq!(book.take(Endpoint::Send), None);
        assert_eq!(book.list().len(), 1);
        assert_eq!(
            Endpoint::from_path("/v1/transfer/check/money"),
            Some(Endpoint::Status)
        );
    }

    #[test]
    fn kinds_for_one_endpoint_are_refused_elsewhere() {
        assert!(Fault::item_error(709).check().is_ok());
        assert!(Fault::new(Endpoint::Balance, FaultKind::ItemError)
            .check()
            .is_err());
        assert!(Fault::new(Endpoint::Send, FaultKind::StatusLag).check().is_err());
        assert!(Fault::api_error(Endpoint::Login, 702).check().is_ok());
        let parsed: Fault = serde_json::from_str(r#"{"endpoint":"send","kind":"api_error"}"#).unwrap();
        assert_eq!((parsed.code_or_default(), parsed.processed), (-1, false));
    }
}
