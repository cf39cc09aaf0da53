//! `NativeSandbox`: the in-process Rust sandbox (crate `cinetpay-sandbox`) for JS test suites.
//!
//! `startSandbox()` binds a free port on 127.0.0.1 and serves the fake Transfer API from napi's
//! tokio runtime, so the sandbox answers while the JS thread runs the test. Only start and stop
//! live here: everything else (clock, faults, balances, ledger, notifications) goes through the
//! sandbox's HTTP admin API from `lib/testing.js`, the same routes every other language's test
//! runner uses, so there is one admin surface to keep right.
//!
//! The options are the sandbox crate's own (`SandboxConfig::token_lifetime`, `ClockMode::Real`,
//! `MerchantConfig::whitelisted`) in camelCase, as Python's `Sandbox(...)` takes them in
//! snake_case (ADR 6). The first names (`tokenLifetimeSeconds`, `clock: 'demo'`) are translated,
//! with a warning, by `lib/testing.js`; they never reach this file.

use std::time::Duration;

use cinetpay_sandbox::{ClockMode, Delays, Quirks, Sandbox, SandboxConfig};
use napi_derive::napi;
use tokio::sync::Mutex;

/// Options of `Sandbox.start()`.
#[napi(object, object_to_js = false)]
pub struct SandboxOptions {
    /// `real` (default): the live service's shapes (string error codes, nested lists, string
    /// amounts, per-country balance); `documented`: the shapes the documentation shows.
    #[napi(ts_type = "'real' | 'documented'")]
    pub quirks: Option<String>,
    /// Lifetime of issued tokens on the sandbox clock, seconds (default 300).
    pub token_lifetime: Option<f64>,
    /// `manual` (default): time moves only with `advanceClock`; `real`: payouts move on by
    /// themselves on the wall clock (NEW, REC after 300 ms, VAL/REJ 700 ms later).
    #[napi(ts_type = "'manual' | 'real'")]
    pub clock: Option<String>,
    /// `true` (default): the seeded merchant's payouts go straight on; `false`: they wait (NOS)
    /// until `confirm`, as for a merchant CinetPay has not whitelisted.
    pub whitelisted: Option<bool>,
}

impl SandboxOptions {
    fn config(self) -> napi::Result<SandboxConfig> {
        let mut config = SandboxConfig::default();
        match self.quirks.as_deref() {
            None | Some("real") => {}
            Some("documented") => config.quirks = Quirks::documented(),
            Some(other) => {
                return Err(invalid(format!(
                    "quirks must be 'real' or 'documented', got {other:?}"
                )))
            }
        }
        if let Some(seconds) = self.token_lifetime {
            config.token_lifetime =
                Duration::try_from_secs_f64(seconds).map_err(|e| invalid(format!("tokenLifetime: {e}")))?;
        }
        match self.clock.as_deref() {
            None | Some("manual") => {}
            Some("real") => config.clock = ClockMode::Real(Delays::DEMO),
            Some(other) => {
                return Err(invalid(format!(
                    "clock must be 'manual' or 'real', got {other:?}"
                )))
            }
        }
        if let Some(whitelisted) = self.whitelisted {
            for merchant in &mut config.merchants {
                merchant.whitelisted = whitelisted;
            }
        }
        Ok(config)
    }
}

fn invalid(message: String) -> napi::Error {
    napi::Error::new(napi::Status::InvalidArg, message)
}

/// A running sandbox (wrapped by `Sandbox` in `lib/testing.js`).
#[napi]
pub struct NativeSandbox {
    sandbox: Mutex<Option<Sandbox>>,
    base_url: String,
    admin_url: String,
}

#[napi]
impl NativeSandbox {
    /// The API base URL (`http://127.0.0.1:PORT/v1`): give it to the client as `baseUrl`.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The admin API base URL (`http://127.0.0.1:PORT/_sandbox`).
    #[napi(getter)]
    pub fn admin_url(&self) -> String {
        self.admin_url.clone()
    }

    /// Stops serving and waits until the port is closed. Calling it again does nothing.
    #[napi]
    pub async fn close(&self) {
        let sandbox = self.sandbox.lock().await.take();
        if let Some(sandbox) = sandbox {
            sandbox.shutdown().await;
        }
    }
}

/// Starts a sandbox on 127.0.0.1 with a free port; it accepts requests when the Promise settles.
#[napi]
pub async fn start_sandbox(options: Option<SandboxOptions>) -> napi::Result<NativeSandbox> {
    let config = match options {
        Some(options) => options.config()?,
        None => SandboxConfig::default(),
    };
    let sandbox = Sandbox::start(config)
        .await
        .map_err(|e| napi::Error::from_reason(format!("the sandbox did not start: {e}")))?;
    Ok(NativeSandbox {
        base_url: sandbox.base_url(),
        admin_url: sandbox.admin_url(),
        sandbox: Mutex::new(Some(sandbox)),
    })
}
