//! `cinetpay-sandbox`: the sandbox as a standalone server, for demos and for test suites written in
//! other languages (which drive it through its admin API under `/_sandbox`).

use std::net::SocketAddr;
use std::time::Duration;

use cinetpay_sandbox::{ClockMode, Delays, MerchantConfig, Quirks, Sandbox, SandboxConfig};
use clap::Parser;

/// A local CinetPay Transfer API that behaves like the real one (see the crate docs).
#[derive(Debug, Parser)]
#[command(name = "cinetpay-sandbox", version)]
struct Args {
    /// Address to listen on.
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
    /// Payouts need a confirmation (NOS step) before they are processed.
    #[arg(long)]
    not_whitelisted: bool,
    /// Move payouts on by themselves on the wall clock instead of waiting for
    /// `POST /_sandbox/clock/advance`.
    #[arg(long)]
    real_time: bool,
    /// With --real-time: milliseconds from acceptance to processing (REC).
    #[arg(long, default_value_t = 300)]
    processing_delay_ms: u64,
    /// With --real-time: milliseconds from processing to the final status.
    #[arg(long, default_value_t = 700)]
    final_delay_ms: u64,
    /// Deliver notifications to any host, not only loopback ones.
    #[arg(long)]
    notify_any_host: bool,
    /// Answer in the documented shapes instead of the live service's quirks.
    #[arg(long)]
    documented_quirks: bool,
    /// Lifetime of issued tokens, in seconds of sandbox time.
    #[arg(long, default_value_t = 300)]
    token_lifetime_seconds: u64,
    /// Milliseconds added to every API request (the live service's round trip); concurrent
    /// requests wait together, not one after the other.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let args = Args::parse();
    let mut merchant = MerchantConfig::new(args.api_key, args.password).whitelisted(!args.not_whitelisted);
    for balance in merchant.balances.values_mut() {
        *balance = args.balance;
    }
    let clock = if args.real_time {
        ClockMode::Real(Delays {
            to_processing: Duration::from_millis(args.processing_delay_ms),
            to_final: Duration::from_millis(args.final_delay_ms),
        })
    } else {
        ClockMode::Manual
    };
    let quirks = if args.documented_quirks {
        Quirks::documented()
    } else {
        Quirks::default()
    };
    let config = SandboxConfig::default()
        .with_merchants(vec![merchant])
        .with_quirks(quirks)
        .with_token_lifetime(Duration::from_secs(args.token_lifetime_seconds))
        .with_clock(clock)
        .with_notify_loopback_only(!args.notify_any_host)
        .with_latency(Duration::from_millis(args.latency_ms));
    let sandbox = Sandbox::start_on(config, args.addr).await?;
    // The first line of stdout is the base URL (with the real port when --addr ends in :0), so
    // test suites in other languages can start the binary and read where it listens.
    println!("{}", sandbox.base_url());
    eprintln!("admin API: {}  (Ctrl-C to stop)", sandbox.admin_url());
    tokio::signal::ctrl_c().await?;
    sandbox.shutdown().await;
    Ok(())
}
