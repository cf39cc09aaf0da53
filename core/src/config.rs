//! Client settings with finite, documented defaults.
//!
//! Every timeout is bounded (a payout SDK that can hang forever is a support ticket waiting to
//! happen), retries are capped and jittered, and country rules are a [`Limits`] value the merchant
//! can replace.

use std::time::Duration;

use crate::limits::Limits;
use crate::model::Lang;

/// Production base URL of the Transfer API.
pub const PRODUCTION_BASE_URL: &str = "https://client.cinetpay.com/v1";

/// How idempotent calls are retried after connect errors, timeouts, 5xx and 429.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 disables retries).
    pub max_attempts: u32,
    /// Wait before the second attempt; doubles each time.
    pub initial_backoff: Duration,
    /// Upper bound of any wait.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, 200 ms then 400 ms (with jitter), never more than 5 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// The wait after failed attempt number `attempt` (1-based): exponential, capped, with jitter
    /// between half and all of it, so that many clients do not retry in step.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let capped = exp.min(self.max_backoff);
        let half = capped / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

/// Everything a [`crate::Client`] is configured with, besides its credentials.
#[derive(Debug, Clone)]
pub struct Config {
    /// Base URL, production by default; the sandbox's `base_url()` in tests.
    pub base_url: String,
    /// Language of the service's descriptions.
    pub lang: Lang,
    /// Time allowed to open a connection (default 10 s).
    pub connect_timeout: Duration,
    /// Time allowed for a whole request and its answer (default 30 s).
    pub request_timeout: Duration,
    /// Retries of idempotent calls.
    pub retry: RetryPolicy,
    /// Payouts or contacts per request (default 50).
    pub chunk_size: usize,
    /// Requests of one call in flight at once (default 4).
    pub max_concurrency: usize,
    /// Amount and phone rules checked before sending.
    pub limits: Limits,
    /// How long before a token's expiry it is renewed (default 30 s).
    pub token_refresh_margin: Duration,
    /// How long a payout request may still be running on the service after we stopped waiting
    /// for it (our timeout, a gateway's 504), counted from when it was sent (default 90 s). No
    /// payout of such a request is sent again before this has passed and a lookup still does
    /// not show it (ADR 2).
    pub processing_window: Duration,
    /// Time allowed to a [`crate::TokenProvider`] for one token (default 30 s).
    pub token_provider_timeout: Duration,
    /// After a login refused for its credentials (701, 703), how long every call fails at once
    /// with that refusal instead of logging in again (default 30 s): a wrong password is tried
    /// once, not by every waiting call and chunk (accounts get locked for less).
    pub login_retry_after: Duration,
    /// How long the login lock of a shared [`crate::TokenStore`] lives (default 10 s): while one
    /// process logs in, the others wait for its token at most this long (twice, if the lock was
    /// taken again), so a process that died holding it delays the others, never blocks them.
    pub login_lock_ttl: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            base_url: PRODUCTION_BASE_URL.to_owned(),
            lang: Lang::En,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            chunk_size: 50,
            max_concurrency: 4,
            limits: Limits::default(),
            token_refresh_margin: Duration::from_secs(30),
            processing_window: Duration::from_secs(90),
            token_provider_timeout: Duration::from_secs(30),
            login_retry_after: Duration::from_secs(30),
            login_lock_ttl: Duration::from_secs(10),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let policy = RetryPolicy {
            max_attempts: 10,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(1000),
        };
        for _ in 0..50 {
            let first = policy.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let late = policy.backoff(9);
            assert!(late >= Duration::from_millis(500) && late <= Duration::from_millis(1000));
        }
    }
}
