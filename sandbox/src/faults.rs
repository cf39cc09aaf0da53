//! Fault injection: what the network and the service's gateway do to a client on a bad day.
//!
//! Faults are queued per endpoint and count-limited: each request to the endpoint consumes one use
//! of the oldest fault queued for it, so "the next 2 sends time out, then all is well" is one call.
//! `latency_ms` delays any fault kind before it acts (and is all that `latency` does).

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
        }
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
}
