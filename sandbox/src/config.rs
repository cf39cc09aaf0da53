//! Everything a sandbox can be told before it starts.
//!
//! The defaults reproduce the real service as `transfer-api.md` describes it (quirks on, one seeded,
//! whitelisted merchant with money in every country), so a test only states what it changes. Limits and
//! quirks are data rather than code because the real values are not documented with certainty.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::country::COUNTRIES;

/// API key of the merchant seeded by [`SandboxConfig::default`].
pub const DEFAULT_API_KEY: &str = "sandbox-api-key";
/// API password of the merchant seeded by [`SandboxConfig::default`].
pub const DEFAULT_PASSWORD: &str = "sandbox-password";
/// Balance (XOF) seeded in every country for a merchant that does not say otherwise.
pub const DEFAULT_BALANCE: u64 = 1_000_000;

/// How a sandbox behaves: its merchants, clock, limits, quirks and notification policy.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Merchants present at start (and again after a reset). The first one is the default merchant
    /// of the admin API when a request names none.
    pub merchants: Vec<MerchantConfig>,
    /// Lifetime of issued tokens (`exp - iat`), on the sandbox clock.
    pub token_lifetime: Duration,
    /// Who moves time forward: the test ([`ClockMode::Manual`]) or the wall clock.
    pub clock: ClockMode,
    /// Amount limits applied to every payout.
    pub limits: Limits,
    /// Which real-service quirks the answers show.
    pub quirks: Quirks,
    /// How notifications are retried.
    pub notify_retry: RetryPolicy,
    /// When true (the default), notifications go only to 127.0.0.1, localhost or ::1; other hosts are
    /// recorded as skipped and never contacted.
    pub notify_loopback_only: bool,
    /// Time added to every `/v1` request before it is served (zero, the default, adds none): the
    /// live service's round trip, to see whether a client's concurrency and chunking pay off. The
    /// wait holds no lock, so N requests in parallel take about one latency, not N.
    pub latency: Duration,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            merchants: vec![MerchantConfig::new(DEFAULT_API_KEY, DEFAULT_PASSWORD)],
            token_lifetime: Duration::from_secs(300),
            clock: ClockMode::Manual,
            limits: Limits::default(),
            quirks: Quirks::default(),
            notify_retry: RetryPolicy::default(),
            notify_loopback_only: true,
            latency: Duration::ZERO,
        }
    }
}

impl SandboxConfig {
    /// The default configuration (same as [`Default::default`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the seeded merchants.
    pub fn with_merchants(mut self, merchants: Vec<MerchantConfig>) -> Self {
        self.merchants = merchants;
        self
    }

    /// Adds one merchant to the seeded ones.
    pub fn with_merchant(mut self, merchant: MerchantConfig) -> Self {
        self.merchants.push(merchant);
        self
    }

    /// Sets the lifetime of issued tokens.
    pub fn with_token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// Sets the clock mode.
    pub fn with_clock(mut self, clock: ClockMode) -> Self {
        self.clock = clock;
        self
    }

    /// Sets the amount limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Sets the quirks.
    pub fn with_quirks(mut self, quirks: Quirks) -> Self {
        self.quirks = quirks;
        self
    }

    /// Sets the notification retry policy.
    pub fn with_notify_retry(mut self, policy: RetryPolicy) -> Self {
        self.notify_retry = policy;
        self
    }

    /// Allows (false) or forbids (true, the default) notification delivery to non-loopback hosts.
    pub fn with_notify_loopback_only(mut self, loopback_only: bool) -> Self {
        self.notify_loopback_only = loopback_only;
        self
    }

    /// Adds `latency` to every `/v1` request (see [`SandboxConfig::latency`]).
    pub fn with_latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }
}

/// A merchant account: credentials, whitelisting, and the starting balance per country.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct MerchantConfig {
    /// The `apikey` login field.
    pub api_key: String,
    /// The `password` login field.
    pub password: String,
    /// True when the merchant's server IPs are whitelisted: payouts need no confirmation (no NOS step).
    #[serde(default = "default_true")]
    pub whitelisted: bool,
    /// Available balance (XOF) per ISO country code (`"CI"`, `"SN"`, ...).
    #[serde(default = "default_balances")]
    pub balances: BTreeMap<String, u64>,
}

fn default_true() -> bool {
    true
}

fn default_balances() -> BTreeMap<String, u64> {
    COUNTRIES
        .iter()
        .map(|c| (c.code.to_string(), DEFAULT_BALANCE))
        .collect()
}

impl MerchantConfig {
    /// A whitelisted merchant with [`DEFAULT_BALANCE`] in every supported country.
    pub fn new(api_key: impl Into<String>, password: impl Into<String>) -> Self {
        MerchantConfig {
            api_key: api_key.into(),
            password: password.into(),
            whitelisted: true,
            balances: default_balances(),
        }
    }

    /// Sets whether payouts skip the confirmation (NOS) step.
    pub fn whitelisted(mut self, whitelisted: bool) -> Self {
        self.whitelisted = whitelisted;
        self
    }

    /// Sets the available balance of one country (ISO code, e.g. `"CI"`).
    pub fn with_balance(mut self, country: impl Into<String>, available: u64) -> Self {
        self.balances.insert(country.into(), available);
        self
    }
}

/// Who drives the life of payouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockMode {
    /// Time stands still until the test advances it; transitions use [`Delays::MANUAL`]
    /// (NEW to REC after 5 s, REC to VAL/REJ 10 s later).
    Manual,
    /// Time is the wall clock; transitions happen by themselves after the given delays.
    Real(Delays),
}

/// Time between the steps of a payout's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delays {
    /// From acceptance (NEW) to processing (REC, or NOS when the payout awaits confirmation),
    /// and from a confirmation to REC.
    pub to_processing: Duration,
    /// From processing (REC) to the final status (VAL or REJ).
    pub to_final: Duration,
}

impl Delays {
    /// The delays of the manual clock: 5 s then 10 s of sandbox time.
    pub const MANUAL: Delays = Delays {
        to_processing: Duration::from_secs(5),
        to_final: Duration::from_secs(10),
    };

    /// Short delays for demos on the real clock: 300 ms then 700 ms.
    pub const DEMO: Delays = Delays {
        to_processing: Duration::from_millis(300),
        to_final: Duration::from_millis(700),
    };
}

/// Amount limits, in XOF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Minimum of a country absent from `country_min`.
    pub default_min: u64,
    /// Minimum per ISO country code.
    pub country_min: BTreeMap<String, u64>,
    /// Maximum of one payout.
    pub max: u64,
    /// Amounts must be a multiple of this (1 disables the rule).
    pub multiple_of: u64,
}

impl Default for Limits {
    fn default() -> Self {
        let country_min = [
            ("CI", 200),
            ("SN", 200),
            ("TG", 150),
            ("CM", 500),
            ("BJ", 500),
            ("ML", 500),
            ("BF", 500),
            ("GN", 1000),
            ("CD", 1000),
        ]
        .into_iter()
        .map(|(c, m)| (c.to_string(), m))
        .collect();
        Limits {
            default_min: 200,
            country_min,
            max: 1_500_000,
            multiple_of: 5,
        }
    }
}

impl Limits {
    /// The minimum amount for a country.
    pub fn min_for(&self, country: &str) -> u64 {
        self.country_min.get(country).copied().unwrap_or(self.default_min)
    }
}

/// Switches between the real service's shapes (true, the default) and the documented ones (false).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quirks {
    /// Error codes as strings (`"701"`) rather than numbers (`701`). Success stays number `0`.
    pub string_error_codes: bool,
    /// Contact and send answers carry `data: [[...]]` rather than `data: [...]`.
    pub nested_list_data: bool,
    /// check/money gives `amount` as a string (`"500"`) rather than a number.
    pub string_status_amounts: bool,
    /// The balance answer carries `countryBalance`.
    pub country_balance: bool,
}

impl Default for Quirks {
    fn default() -> Self {
        Quirks {
            string_error_codes: true,
            nested_list_data: true,
            string_status_amounts: true,
            country_balance: true,
        }
    }
}

impl Quirks {
    /// Every answer in the shape the documentation shows.
    pub fn documented() -> Self {
        Quirks {
            string_error_codes: false,
            nested_list_data: false,
            string_status_amounts: false,
            country_balance: false,
        }
    }
}

/// How notification deliveries are retried (on a non-2xx answer or a connection failure).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts, the first included (at least 1).
    pub attempts: u32,
    /// Real time waited between two attempts.
    pub delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 3,
            delay: Duration::from_millis(500),
        }
    }
}
