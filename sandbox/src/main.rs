//! `cinetpay-sandbox`: the sandbox as a standalone server, for demos and for the test helpers of
//! every language (Python's and Node's `testing.Sandbox`, the Kotlin tests), which start it as a
//! child process and drive it through its admin API under `/_sandbox` (ADR 10).
//!
//! The helpers' start options are these flags, under the same names (`quirks`, `clock`,
//! `token_lifetime`, `whitelisted`, ADR 6): `--addr 127.0.0.1:0` picks a free port, the first
//! line of stdout is the base URL with that port, and `--exit-with-stdin` ends the server when
//! its parent goes away, so a test runner killed mid-run leaves no sandbox behind.

use std::io::Read;
use std::net::SocketAddr;
use std::time::Duration;

use cinetpay_sandbox::{ClockMode, Delays, MerchantConfig, Quirks, Sandbox, SandboxConfig};
use clap::{Parser, ValueEnum};

/// A local CinetPay Transfer API that behaves like the real one (see the crate docs).
#[derive(Debug, Parser)]
#[command(name = "cinetpay-sandbox", version)]
struct Args {
    /// Address to listen on (port 0: a free port, printed on the first line of stdout).
    #[arg(long, default_value = "127.0.0.1:8089", env = "CINETPAY_SANDBOX_ADDR")]
    addr: SocketAddr,
    /// API key of the seeded merchant.
    #[arg(long, default_value = cinetpay_sandbox::DEFAULT_API_KEY)]
    api_key: String,
    /// API password of the seeded merchant.
    #[arg(long, default_value = cinetpay_sandbox::DEFAULT_PASSWORD)]
    password: String,
    /// Available balance (XOF) of the seeded merchant in every country.
    #[arg(long, default_value_t = cinetpay_sandbox::DEFAULT_BALANCE)]
    balance: u64,
    /// Answer shapes: the live service's quirks (real) or the documentation's (documented).
    #[arg(long, value_enum, default_value_t = QuirksArg::Real)]
    quirks: QuirksArg,
    /// Who moves payouts on: the admin API's `POST /_sandbox/clock/advance` (manual) or the wall
    /// clock (real, with --processing-delay-ms and --final-delay-ms).
    #[arg(long, value_enum, default_value_t = ClockArg::Manual)]
    clock: ClockArg,
    /// Lifetime of issued tokens, in seconds of sandbox time.
    #[arg(long, value_name = "SECONDS", default_value = "300", value_parser = seconds)]
    token_lifetime: Duration,
    /// Whether the seeded merchant is whitelisted; false: payouts wait for a confirmation (NOS).
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    whitelisted: bool,
    /// With --clock real: milliseconds from acceptance to processing (REC).
    #[arg(long, default_value_t = 300)]
    processing_delay_ms: u64,
    /// With --clock real: milliseconds from processing to the final status.
    #[arg(long, default_value_t = 700)]
    final_delay_ms: u64,
    /// Deliver notifications to any host, not only loopback ones.
    #[arg(long)]
    notify_any_host: bool,
    /// Milliseconds added to every API request (the live service's round trip); concurrent
    /// requests wait together, not one after the other.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Stop when standard input closes: a parent that starts the sandbox with a pipe on stdin
    /// takes it down when it exits, even when killed.
    #[arg(long)]
    exit_with_stdin: bool,
    /// Deprecated: --quirks documented.
    #[arg(long)]
    documented_quirks: bool,
    /// Deprecated: --clock real.
    #[arg(long)]
    real_time: bool,
    /// Deprecated: --whitelisted false.
    #[arg(long)]
    not_whitelisted: bool,
    /// Deprecated: --token-lifetime.
    #[arg(long, value_name = "SECONDS")]
    token_lifetime_seconds: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum QuirksArg {
    Real,
    Documented,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ClockArg {
    Manual,
    Real,
}

/// A number of seconds (fractions allowed), `>= 0`.
fn seconds(text: &str) -> Result<Duration, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    Duration::try_from_secs_f64(value).map_err(|_| format!("{text} is not a number of seconds >= 0"))
}

impl Args {
    fn config(&self) -> SandboxConfig {
        let whitelisted = self.whitelisted && !self.not_whitelisted;
        let mut merchant =
            MerchantConfig::new(self.api_key.clone(), self.password.clone()).whitelisted(whitelisted);
        for balance in merchant.balances.values_mut() {
            *balance = self.balance;
        }
        let clock = if self.clock == ClockArg::Real || self.real_time {
            ClockMode::Real(Delays {
                to_processing: Duration::from_millis(self.processing_delay_ms),
                to_final: Duration::from_millis(self.final_delay_ms),
            })
        } else {
            ClockMode::Manual
        };
        let quirks = if self.quirks == QuirksArg::Documented || self.documented_quirks {
            Quirks::documented()
        } else {
            Quirks::default()
        };
        let token_lifetime = match self.token_lifetime_seconds {
            Some(seconds) => Duration::from_secs(seconds),
            None => self.token_lifetime,
        };
        SandboxConfig::default()
            .with_merchants(vec![merchant])
            .with_quirks(quirks)
            .with_token_lifetime(token_lifetime)
            .with_clock(clock)
            .with_notify_loopback_only(!self.notify_any_host)
            .with_latency(Duration::from_millis(self.latency_ms))
    }
}

/// Resolves when standard input reaches its end (or fails). A plain thread, not `spawn_blocking`:
/// the runtime would wait for that task on the way out.
fn stdin_closed() -> tokio::sync::oneshot::Receiver<()> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut std::io::stdin().lock().take(u64::MAX), &mut std::io::sink());
        let _ = tx.send(());
    });
    rx
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let args = Args::parse();
    let sandbox = Sandbox::start_on(args.config(), args.addr).await?;
    // The first line of stdout is the base URL (with the real port when --addr ends in :0), so
    // test suites in other languages can start the binary and read where it listens.
    println!("{}", sandbox.base_url());
    eprintln!("admin API: {}  (Ctrl-C to stop)", sandbox.admin_url());
    if args.exit_with_stdin {
        tokio::select! {
            stop = tokio::signal::ctrl_c() => stop?,
            _ = stdin_closed() => {}
        }
    } else {
        tokio::signal::ctrl_c().await?;
    }
    sandbox.shutdown().await;
    Ok(())
}
