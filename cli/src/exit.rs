//! Exit codes and the error every command returns.
//!
//! Scripts drive payouts by exit code, so the codes are a contract (listed in `--help` and the
//! README). Core errors are mapped by what the user can do: fix the input (2), fix the account or
//! retry later (1), or look again later because the outcome is not known yet (4).

use std::process::ExitCode;

use cinetpay_transfer::ErrorKind;

/// The documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Every payout paid, or the query answered.
    Ok = 0,
    /// Authentication, balance, service or network failure; missing credentials.
    Error = 1,
    /// Bad CSV rows or flags, or a changed CSV; nothing was sent.
    InvalidInput = 2,
    /// Some payouts were rejected or failed; none is undecided.
    PartialFailure = 3,
    /// Some payout is still pending or its outcome unknown.
    Unfinished = 4,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

/// A command that could not do its job: a message for stderr and the exit code.
#[derive(Debug)]
pub struct CliError {
    pub exit: Exit,
    pub message: String,
}

impl CliError {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        CliError {
            exit,
            message: message.into(),
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        CliError::new(Exit::InvalidInput, message)
    }
}

/// The exit code of a core error.
pub fn exit_of(kind: ErrorKind) -> Exit {
    match kind {
        ErrorKind::Validation => Exit::InvalidInput,
        ErrorKind::OutcomeUnknown => Exit::Unfinished,
        _ => Exit::Error,
    }
}

impl From<cinetpay_transfer::Error> for CliError {
    fn from(error: cinetpay_transfer::Error) -> Self {
        CliError::new(exit_of(error.kind()), describe(&error))
    }
}

/// A core error in words: its text, plus CinetPay's description when the service gave one.
pub fn describe(error: &cinetpay_transfer::Error) -> String {
    match error.description() {
        Some(d) if !error.detail().contains(d) => format!("{error} ({d})"),
        _ => error.to_string(),
    }
}

/// Result of a command: the exit code it finished with.
pub type CliResult = Result<Exit, CliError>;
