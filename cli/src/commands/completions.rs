//! `cinetpay completions <shell>`: the shell completion script, generated from the clap
//! definitions (clap_complete), so it never drifts from the real flags.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::exit::{CliResult, Exit};
use crate::Cli;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    pub shell: Shell,
}

/// Prints the script on stdout (e.g. `cinetpay completions bash > ~/.local/share/bash-completion/completions/cinetpay`).
pub fn run(args: &CompletionsArgs) -> CliResult {
    clap_complete::generate(
        args.shell,
        &mut Cli::command(),
        "cinetpay",
        &mut std::io::stdout(),
    );
    Ok(Exit::Ok)
}
