//! `cinetpay sandbox`: the embedded sandbox, served standalone for other programs and terminals.
//!
//! Same library and seeded merchant as `--sandbox`, on a fixed address so that another shell (or a
//! test suite in another language) can use it; its admin API (faults, clock, ledger) is under
//! `/_sandbox`.

use std::net::SocketAddr;

use cinetpay_sandbox::{ClockMode, Sandbox, SandboxConfig, DEFAULT_API_KEY, DEFAULT_PASSWORD};
use clap::Args;

use crate::exit::{CliError, CliResult, Exit};
use crate::i18n::{t, text};
use crate::output::print_json;
use crate::session::EMBEDDED_DELAYS;
use crate::GlobalArgs;

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8089")]
    pub addr: SocketAddr,
    /// Payouts move only when told (POST /_sandbox/clock/advance) instead of finishing by
    /// themselves in about half a second.
    #[arg(long)]
    pub manual_clock: bool,
}

pub async fn run(global: &GlobalArgs, args: SandboxArgs) -> CliResult {
    let clock = if args.manual_clock {
        ClockMode::Manual
    } else {
        ClockMode::Real(EMBEDDED_DELAYS)
    };
    let sandbox = Sandbox::start_on(SandboxConfig::default().with_clock(clock), args.addr)
        .await
        .map_err(|e| CliError::new(Exit::Error, t!("sandbox-failed", reason = text(e))))?;
    if global.json {
        print_json(&serde_json::json!({
            "base_url": sandbox.base_url(),
            "admin_url": sandbox.admin_url(),
        }));
    } else {
        println!(
            "{}",
            t!(
                "sandbox-serving",
                url = text(sandbox.base_url()),
                admin = text(sandbox.admin_url())
            )
        );
        println!("{}", t!("sandbox-use"));
        println!(
            "  CINETPAY_API_KEY={DEFAULT_API_KEY} CINETPAY_API_PASSWORD={DEFAULT_PASSWORD} \
             cinetpay --base-url {} balance",
            sandbox.base_url()
        );
        println!("{}", t!("sandbox-stop"));
    }
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| CliError::new(Exit::Error, t!("ctrl-c-failed", reason = text(e))))?;
    sandbox.shutdown().await;
    Ok(Exit::Ok)
}
