//! The connection every API command works through: a core `Client` built from the global flags,
//! and, with `--sandbox`, the embedded sandbox it talks to.
//!
//! `--sandbox` exists so that a new user can run a whole bulk payout in seconds without an
//! account: it starts the `cinetpay-sandbox` library in this process on a free port, on the wall
//! clock with short processing delays, and uses its seeded merchant. It says so on stderr every
//! time, because a payout command that silently moved no money would be worse than one that fails.

use std::time::Duration;

use cinetpay_sandbox::{ClockMode, Delays, Sandbox, SandboxConfig, DEFAULT_API_KEY, DEFAULT_PASSWORD};
use cinetpay_transfer::{Client, Lang, RetryPolicy};

use crate::credentials;
use crate::exit::{CliError, Exit};
use crate::i18n::{t, text};
use crate::identity::merchant_fingerprint;
use crate::{GlobalArgs, LangArg};

/// How fast payouts move in the embedded sandbox: final about half a second after acceptance.
pub const EMBEDDED_DELAYS: Delays = Delays {
    to_processing: Duration::from_millis(150),
    to_final: Duration::from_millis(350),
};

/// How a long list of payouts is sent; `None` keeps the core's default.
#[derive(Debug, Clone, Copy, Default)]
pub struct Batching {
    /// Payouts per request.
    pub chunk_size: Option<usize>,
    /// Requests of one call in flight at once.
    pub max_concurrency: Option<usize>,
}

/// The longest `--processing-window` the core accepts.
const MAX_PROCESSING_WINDOW: Duration = Duration::from_secs(24 * 3600);

/// `--processing-window` must cover the request timeout (a request may run that long) and be at
/// most a day: refused as a flag error before anything is sent.
fn check_window(global: &GlobalArgs) -> Result<(), CliError> {
    if global.request_timeout.is_zero() {
        return Err(CliError::invalid(t!("request-timeout-zero")));
    }
    if global.processing_window < global.request_timeout || global.processing_window > MAX_PROCESSING_WINDOW {
        return Err(CliError::invalid(t!(
            "processing-window-invalid",
            window = text(humantime::format_duration(global.processing_window)),
            timeout = text(humantime::format_duration(global.request_timeout))
        )));
    }
    Ok(())
}

/// How long after an attempt left the service may still be working on it: the request timeout
/// plus the processing window (a rerun or a repeated id waits this long before sending again).
pub fn in_flight_for(global: &GlobalArgs) -> Duration {
    global.request_timeout + global.processing_window
}

/// A client, and the embedded sandbox it uses when there is one (kept alive as long as the client).
pub struct Session {
    pub client: Client,
    /// The fingerprint of the API key (`identity::merchant_fingerprint`), never the key.
    pub merchant: String,
    _sandbox: Option<Sandbox>,
}

impl Session {
    /// Connects as the global flags say, with the core's default chunking (for commands that
    /// send at most one request of payouts).
    pub async fn open(global: &GlobalArgs) -> Result<Session, CliError> {
        Session::open_with(global, Batching::default()).await
    }

    /// Connects as the global flags say, sending payouts as `batching` says.
    pub async fn open_with(global: &GlobalArgs, batching: Batching) -> Result<Session, CliError> {
        let mut builder = Client::builder()
            .lang(match global.lang {
                LangArg::En => Lang::En,
                LangArg::Fr => Lang::Fr,
            })
            .retry(RetryPolicy {
                max_attempts: global.max_attempts,
                ..RetryPolicy::default()
            })
            .request_timeout(global.request_timeout)
            .processing_window(global.processing_window);
        check_window(global)?;
        if let Some(size) = batching.chunk_size {
            builder = builder.chunk_size(size);
        }
        if let Some(n) = batching.max_concurrency {
            builder = builder.max_concurrency(n);
        }
        let merchant;
        let sandbox = if global.sandbox {
            let config = SandboxConfig::default().with_clock(ClockMode::Real(EMBEDDED_DELAYS));
            let sandbox = Sandbox::start(config)
                .await
                .map_err(|e| CliError::new(Exit::Error, t!("embedded-sandbox-failed", reason = text(e))))?;
            let banner = t!("embedded-sandbox", url = text(sandbox.base_url()));
            crate::output::notice(global.json, &banner);
            builder = builder
                .base_url(sandbox.base_url())
                .credentials(DEFAULT_API_KEY, DEFAULT_PASSWORD);
            merchant = merchant_fingerprint(DEFAULT_API_KEY);
            Some(sandbox)
        } else {
            let creds = credentials::load(global.credentials_file.as_deref())?;
            if let Some(url) = &global.base_url {
                builder = builder.base_url(url.clone());
            }
            merchant = merchant_fingerprint(creds.api_key.expose());
            builder = builder.credentials(creds.api_key, creds.password);
            None
        };
        let client = builder.build()?;
        tracing::info!(base_url = %client.config().base_url, "client ready");
        Ok(Session {
            client,
            merchant,
            _sandbox: sandbox,
        })
    }
}
