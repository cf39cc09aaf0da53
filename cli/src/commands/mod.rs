//! One module per subcommand; `run` dispatches.

pub mod balance;
pub mod completions;
pub mod contacts;
pub mod payout;
pub mod sandbox;
pub mod send;
pub mod status;
pub mod watch;

use crate::exit::CliResult;
use crate::i18n::t;
use crate::{Cli, Command};

/// Settles what a command needs to say if it is interrupted (the id `send` will use).
pub fn prepare(cli: &mut Cli) {
    if let Command::Send(args) = &mut cli.command {
        send::ensure_id(args);
    }
}

/// What Ctrl-C means for the command: only what is true of it, with what to do next.
pub fn interrupted_message(cli: &Cli) -> String {
    match &cli.command {
        Command::Send(args) => send::interrupted_message(&cli.global, args),
        Command::Payout(args) => payout::interrupted_message(&cli.global, args),
        Command::Watch(_) => t!("interrupted-watch"),
        Command::Contacts(_) => t!("interrupted-contacts"),
        _ => t!("interrupted"),
    }
}

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
        Command::Completions(args) => completions::run(&args),
    }
}
