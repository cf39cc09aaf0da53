//! One module per subcommand; `run` dispatches.

pub mod balance;
pub mod contacts;
pub mod payout;
pub mod sandbox;
pub mod send;
pub mod status;
pub mod watch;

use crate::exit::CliResult;
use crate::{Cli, Command};

/// Runs the parsed command line; the result is the exit code.
pub async fn run(cli: Cli) -> CliResult {
    let global = &cli.global;
    match cli.command {
        Command::Balance => balance::run(global).await,
        Command::Contacts(command) => contacts::run(global, command).await,
        Command::Send(args) => send::run(global, args).await,
        Command::Payout(args) => payout::run(global, args).await,
        Command::Status(args) => status::run(global, args).await,
        Command::Watch(args) => watch::run(global, args).await,
        Command::Sandbox(args) => sandbox::run(global, args).await,
    }
}
