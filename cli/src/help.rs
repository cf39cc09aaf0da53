//! `--help` in French. The English help is the clap definitions' doc comments (one place, next to
//! the flags they describe); the French one is `cli/locales/fr/help.ftl`, one entry per command
//! and per flag, keyed by their path (`cinetpay-payout--dry-run`). A test walks the whole command
//! tree and fails when a command or flag has no French text, or a French text no command or flag.

use clap::{Arg, ArgAction, Command};
use std::sync::OnceLock;

use cinetpay_transfer::i18n::Catalogue;
use cinetpay_transfer::Lang;

const FRENCH_HELP: &str = include_str!("../locales/fr/help.ftl");

fn french() -> &'static Catalogue {
    static HELP: OnceLock<Catalogue> = OnceLock::new();
    HELP.get_or_init(|| Catalogue::new("", FRENCH_HELP))
}

/// The command line of `cinetpay` in `lang`, with `--lang` defaulting to it.
pub fn localized(command: Command, lang: Lang) -> Command {
    let command = command.mut_arg("lang", |a| a.default_value(lang.as_str()));
    match lang {
        Lang::En => command,
        Lang::Fr => {
            let mut command = in_french(command, "cinetpay", true);
            // clap adds its `help` subcommands when it builds the tree: they exist only now.
            command.build();
            help_subcommands_in_french(&mut command);
            command
        }
    }
}

fn help_subcommands_in_french(command: &mut Command) {
    for sub in command.get_subcommands_mut() {
        if sub.get_name() == "help" {
            let help = std::mem::replace(sub, Command::new("help"));
            *sub = help.about(say("help-subcommand"));
        } else {
            help_subcommands_in_french(sub);
        }
    }
}

/// The id of a command's text, of one of its flags, and of its text after the flags.
fn about_id(path: &str) -> String {
    path.to_owned()
}
fn arg_id(path: &str, arg: &str) -> String {
    format!("{path}--{arg}")
}
fn after_id(path: &str) -> String {
    format!("{path}-after")
}

fn say(id: &str) -> String {
    french().render(Lang::Fr, id, &[])
}

/// A text clap keeps as `&'static str` (headings): built once per process, so it lives as long.
fn kept(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

fn in_french(mut command: Command, path: &str, top: bool) -> Command {
    if command.get_about().is_some() {
        command = command.about(say(&about_id(path))).long_about(None);
    }
    if command.get_after_help().is_some() {
        command = command.after_help(say(&after_id(path))).after_long_help(None);
    }
    let args: Vec<String> = command
        .get_arguments()
        .filter(|a| !a.is_global_set() || top)
        .map(|a| a.get_id().to_string())
        .collect();
    for id in args {
        let text = say(&arg_id(path, &id));
        command = command.mut_arg(id, |a| a.help(text).long_help(None));
    }
    // clap's own words: the help flag, the version flag, the headings and the usage line.
    command = command
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(say("help-flag")),
        )
        .subcommand_help_heading(kept(say("heading-commands")))
        .subcommand_value_name(kept(say("value-command")))
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            say("usage-heading")
        ));
    if top {
        command = command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(say("version-flag")),
        );
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        let sub_path = format!("{path}-{name}");
        command = command.mut_subcommand(name, |s| in_french(s, &sub_path, false));
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use std::collections::BTreeSet;

    /// Every id the English command tree needs in French.
    fn needed(command: &Command, path: &str, top: bool, ids: &mut BTreeSet<String>) {
        if command.get_about().is_some() {
            ids.insert(about_id(path));
        }
        if command.get_after_help().is_some() {
            ids.insert(after_id(path));
        }
        for arg in command.get_arguments().filter(|a| !a.is_global_set() || top) {
            ids.insert(arg_id(path, arg.get_id().as_str()));
        }
        for sub in command.get_subcommands() {
            needed(sub, &format!("{path}-{}", sub.get_name()), false, ids);
        }
    }

    #[test]
    fn every_command_and_flag_has_its_french_help_and_nothing_else_does() {
        let mut ids = BTreeSet::new();
        needed(&crate::Cli::command(), "cinetpay", true, &mut ids);
        for fixed in [
            "help-flag",
            "version-flag",
            "heading-commands",
            "value-command",
            "usage-heading",
            "help-subcommand",
        ] {
            ids.insert(fixed.to_owned());
        }
        let french = cinetpay_transfer::i18n::message_ids(FRENCH_HELP);
        assert_eq!(
            ids.difference(&french).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "no French help"
        );
        assert_eq!(
            french.difference(&ids).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "French help of nothing"
        );
        localized(crate::Cli::command(), Lang::Fr).debug_assert();
    }
}
