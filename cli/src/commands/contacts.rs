//! `cinetpay contacts add`: register payees, one from flags or many from a CSV file.
//!
//! `payout` and `send` add missing contacts by themselves; this command is for merchants who
//! register payees ahead of time. A number that already is a contact counts as added.

use std::path::PathBuf;

use cinetpay_transfer::{Contact, Limits};
use clap::{ArgGroup, Args, Subcommand};

use crate::csv_input::read_contacts;
use crate::exit::{describe, CliError, CliResult, Exit};
use crate::i18n::{count, t, text};
use crate::output::{print_json, table};
use crate::session::Session;
use crate::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum ContactsCommand {
    /// Add one contact from flags, or many from --file.
    Add(AddArgs),
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").required(true).args(["phone", "file"])))]
pub struct AddArgs {
    /// National number (with --prefix), or a full +225... number.
    #[arg(long, requires_all = ["name", "surname"])]
    pub phone: Option<String>,
    /// Country calling code (225, 221, ...); optional with a +... phone.
    #[arg(long, default_value = "")]
    pub prefix: String,
    /// First name.
    #[arg(long)]
    pub name: Option<String>,
    /// Last name.
    #[arg(long)]
    pub surname: Option<String>,
    /// E-mail address.
    #[arg(long, default_value = "")]
    pub email: String,
    /// CSV file with columns phone, prefix (optional), name, surname, email (optional).
    #[arg(long, conflicts_with_all = ["name", "surname"])]
    pub file: Option<PathBuf>,
}

pub async fn run(global: &GlobalArgs, command: ContactsCommand) -> CliResult {
    let ContactsCommand::Add(args) = command;
    let contacts = match &args.file {
        Some(path) => {
            let data = std::fs::read(path).map_err(|e| {
                CliError::invalid(t!("cannot-read", path = text(path.display()), reason = text(e)))
            })?;
            read_contacts(&data, &Limits::default()).map_err(|errors| {
                let lines: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
                let title = t!(
                    "file-problems",
                    file = text(path.display()),
                    count = count(errors.len() as u64)
                );
                CliError::invalid(format!("{title}\n{}", lines.join("\n")))
            })?
        }
        None => vec![Contact {
            prefix: args.prefix,
            phone: args.phone.unwrap_or_default(),
            name: args.name.unwrap_or_default(),
            surname: args.surname.unwrap_or_default(),
            email: args.email,
        }],
    };
    let session = Session::open(global).await?;
    let results = session.client.add_contacts(&contacts).await?;
    if global.json {
        print_json(&results);
    } else {
        let rows: Vec<Vec<String>> = results
            .iter()
            .map(|r| {
                let outcome = match (&r.error, r.already_existed) {
                    (Some(e), _) => t!("contact-refused", reason = text(describe(e))),
                    (None, true) => t!("contact-existed"),
                    (None, false) => t!("contact-added"),
                };
                vec![format!("+{} {}", r.prefix, r.phone), outcome]
            })
            .collect();
        println!("{}", table(&[&t!("col-phone"), &t!("col-result")], &rows, &[]));
    }
    Ok(if results.iter().all(|r| r.added) {
        Exit::Ok
    } else {
        Exit::PartialFailure
    })
}
