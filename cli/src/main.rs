//! `cinetpay`: mobile-money payouts from a terminal, on the `cinetpay-transfer` core.
//!
//! This file owns the command line only: the clap definitions, logging setup and the mapping of
//! every outcome to a documented exit code. Each subcommand lives in `commands/`; the CLI adds
//! what a terminal user needs on top of the core (CSV input, a resumable SQLite journal, progress
//! and tables) and nothing about the API's behaviour, which belongs in the core.

mod commands;
mod credentials;
#[cfg(test)]
mod csv_fuzz;
mod csv_input;
mod csv_lines;
mod duration;
mod exit;
mod help;
mod i18n;
mod identity;
mod journal;
mod logging;
mod output;
mod plan;
mod progress;
mod session;
mod summary;
mod tracking;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::exit::{CliError, Exit};

const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success: every payout paid, or the query answered
  1  error: authentication, insufficient balance, service or network failure, missing credentials
  2  invalid input, nothing sent: bad CSV rows or columns, bad flags, a new journal without --run,
     a CSV changed since its run started, a journal of another run, service or merchant, no
     confirmation
  3  partial failure: some payouts were rejected or failed, none is left undecided
  4  unfinished: some payout is still pending, or its outcome is unknown, when the command stopped
     waiting. Follow it without sending anything: `cinetpay watch --journal PATH` (payout) or
     `cinetpay status --client-transaction-id ID` (send, which prints its id). `payout` with the
     same journal resumes its run and never sends a row twice; `send` may be repeated only with
     `--client-transaction-id ID` (a new id is a new payout), at least --request-timeout plus
     --processing-window (2 minutes by default) after it was interrupted: it looks the id up first

Credentials come from the environment (CINETPAY_API_KEY, CINETPAY_API_PASSWORD) or from the file
named by --credentials-file (lines CINETPAY_API_KEY=... and CINETPAY_API_PASSWORD=...). They are
never accepted as flags and never printed.";

/// Mobile-money payouts with the CinetPay Transfer API.
#[derive(Debug, Parser)]
#[command(name = "cinetpay", version, about, after_help = EXIT_CODES_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every subcommand accepts.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Base URL of the Transfer API (default: production, https://client.cinetpay.com/v1).
    #[arg(long, global = true, env = "CINETPAY_BASE_URL")]
    pub base_url: Option<String>,
    /// Language of messages: this command's and the service's descriptions (default: the
    /// locale, French when LANG=fr_*).
    #[arg(long, global = true, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
    /// Print machine-readable JSON on stdout instead of tables (no progress bar).
    #[arg(long, global = true)]
    pub json: bool,
    /// Run against an embedded sandbox (seeded merchant and balance, payouts final in about a
    /// second; --base-url and credentials are ignored): no real money moves.
    #[arg(long, global = true)]
    pub sandbox: bool,
    /// File with CINETPAY_API_KEY=... and CINETPAY_API_PASSWORD=... lines (instead of the environment).
    #[arg(long, global = true, value_name = "PATH")]
    pub credentials_file: Option<PathBuf>,
    /// Attempts per request when the network or the service fails (1 disables retries).
    #[arg(long, global = true, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=10))]
    pub max_attempts: u32,
    /// How long to wait for the answer to one request before giving up on it (e.g. 30s).
    #[arg(long, global = true, default_value = "30s", value_parser = duration::parse)]
    pub request_timeout: Duration,
    /// How long the service may still be working on a request whose answer was lost, counted
    /// from when it left (at least --request-timeout, at most a day). Nothing is sent again
    /// under the same id before it has passed, nor by a rerun of an interrupted command.
    #[arg(long, global = true, default_value = "90s", value_parser = duration::parse)]
    pub processing_window: Duration,
    /// Log to stderr: -v for info, -vv for debug (secrets are never logged).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// Language of the messages (the CLI's and the service's `description` texts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// English.
    En,
    /// French.
    Fr,
}

/// How long to poll for final statuses, shared by `payout`, `send --wait` and `watch`.
#[derive(Debug, Clone, Args)]
pub struct WaitArgs {
    /// Time between two status polls (e.g. 2s, 500ms, 1m).
    #[arg(long, default_value = "2s", value_parser = duration::parse)]
    pub interval: Duration,
    /// Stop waiting after this long (exit 4 if some payout is still not final).
    #[arg(long, default_value = "10m", value_parser = duration::parse)]
    pub timeout: Duration,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the transfer balance, with the per-country breakdown.
    Balance,
    /// Manage payees (a phone number must be a contact before money can be sent to it).
    #[command(subcommand)]
    Contacts(commands::contacts::ContactsCommand),
    /// Send one payout (registers the payee as a contact first when needed).
    Send(commands::send::SendArgs),
    /// Pay every row of a CSV file: validate all, journal, send in chunks, wait, summarise.
    #[command(after_help = commands::payout::AFTER_HELP)]
    Payout(commands::payout::PayoutArgs),
    /// Show the state of transfers by one id.
    Status(commands::status::StatusArgs),
    /// Poll until every payout of a lot, or of a payout run's journal, is final.
    Watch(commands::watch::WatchArgs),
    /// Serve the sandbox (a local fake of the Transfer API) until Ctrl-C.
    Sandbox(commands::sandbox::SandboxArgs),
    /// Print the shell completion script (bash, zsh, fish, elvish, powershell) on stdout.
    Completions(commands::completions::CompletionsArgs),
}

/// The runtime a command runs on. A client command runs on this thread alone: its requests wait
/// on the network, and the work between them (building and reading a chunk of payouts) is small,
/// so worker threads only add wake-ups from one thread to another. A run of 100,000 payouts
/// spent 11% less CPU so (`scripts/bench-cli.sh`, docs/performance.md, issue 13); the journal
/// and the file's check keep threads of their own. A command that serves the sandbox, or embeds
/// one (`--sandbox`), serves its requests on worker threads, as the sandbox's own binary does.
fn runtime_for(serves: bool) -> std::io::Result<tokio::runtime::Runtime> {
    if serves {
        tokio::runtime::Runtime::new()
    } else {
        tokio::runtime::Builder::new_current_thread().enable_all().build()
    }
}

fn main() -> ExitCode {
    // The language is known before parsing: the help and clap's errors are in it too.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = i18n::detect(&args, |name| std::env::var(name).ok());
    i18n::set(lang);
    let matches = help::localized(Cli::command(), lang).get_matches_from(args);
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    commands::prepare(&mut cli);
    let json = cli.global.json;
    let interrupted = commands::interrupted_message(&cli);
    logging::init(cli.global.verbose);
    let serving = matches!(cli.command, Command::Sandbox(_));
    let runtime = match runtime_for(serving || cli.global.sandbox) {
        Ok(runtime) => runtime,
        Err(e) => {
            let message = i18n::t!("runtime-failed", reason = i18n::text(e));
            output::error(json, &message, Exit::Error);
            return Exit::Error.into();
        }
    };
    // Ctrl-C drops the command where it stands: every journal change is already committed, and a
    // request in flight is exactly the "sending" case a rerun reconciles; `send` printed its id
    // first. `sandbox` handles Ctrl-C itself (it is how it stops).
    let outcome = runtime.block_on(async {
        tokio::select! {
            outcome = commands::run(cli) => outcome,
            Ok(()) = tokio::signal::ctrl_c(), if !serving => Err(CliError::new(Exit::Unfinished, interrupted)),
        }
    });
    match outcome {
        Ok(exit) => exit.into(),
        Err(error) => {
            output::error(json, &error.message, error.exit);
            error.exit.into()
        }
    }
}
