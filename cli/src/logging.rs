//! Logs on stderr, limited to this project's crates.
//!
//! The filter names our three crates only and ignores `RUST_LOG`: HTTP libraries log request URLs
//! at debug level, and CinetPay puts the token in the query string. Our crates never log secrets
//! (the core masks tokens, passwords and phone numbers).

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// Installs the subscriber: warnings by default, `-v` info, `-vv` (or more) debug.
pub fn init(verbosity: u8) {
    let level = match verbosity {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let directives = ["cinetpay_transfer", "cinetpay_cli", "cinetpay_sandbox"]
        .map(|krate| format!("{krate}={level}"))
        .join(",");
    let filter = EnvFilter::builder()
        .with_default_directive(tracing_subscriber::filter::LevelFilter::OFF.into())
        .parse_lossy(directives);
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(verbosity > 1)
        .init();
}
