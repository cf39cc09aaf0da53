//! The CLI's language: English or French, chosen once per process, and every sentence it prints
//! from one Project Fluent catalogue per language (`cli/locales/{en,fr}/cli.ftl`), with the
//! core's catalogue machinery (ADR 7).
//!
//! `--lang fr` (or `--lang=fr`) wins; without it the locale decides (`LC_ALL`, else `LC_MESSAGES`,
//! else `LANG`, as POSIX orders them: `fr_CI.UTF-8` means French). The language is read before
//! clap parses the command line, because the help itself must be in that language.

use std::ffi::OsString;
use std::sync::OnceLock;

use cinetpay_transfer::i18n::{format_amount, Arg, Catalogue};
use cinetpay_transfer::Lang;

const ENGLISH: &str = include_str!("../locales/en/cli.ftl");
const FRENCH: &str = include_str!("../locales/fr/cli.ftl");

static LANG: OnceLock<Lang> = OnceLock::new();

/// Sets the language of this process (the first call wins).
pub fn set(lang: Lang) {
    let _ = LANG.set(lang);
}

/// The language of this process (English until [`set`]).
pub fn lang() -> Lang {
    LANG.get().copied().unwrap_or_default()
}

/// The language a command line asks for: its `--lang`, else the locale from `env`.
pub fn detect(args: &[OsString], env: impl Fn(&str) -> Option<String>) -> Lang {
    let args: Vec<String> = args.iter().map(|a| a.to_string_lossy().into_owned()).collect();
    let mut given = None;
    for (i, arg) in args.iter().enumerate() {
        if arg == "--" {
            break;
        }
        if let Some(value) = arg.strip_prefix("--lang=") {
            given = Some(value.to_owned());
        } else if arg == "--lang" {
            given = args.get(i + 1).cloned();
        }
    }
    let locale = || {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| env(name))
            .find(|value| !value.is_empty())
    };
    match given.or_else(locale) {
        Some(value) if value.to_ascii_lowercase().starts_with("fr") => Lang::Fr,
        _ => Lang::En,
    }
}

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue::new(ENGLISH, FRENCH))
}

/// Message `id` of the CLI catalogue with its arguments, in the process's language.
pub fn render(id: &str, args: &[(&str, Arg)]) -> String {
    catalogue().render(lang(), id, args)
}

/// A text argument.
pub fn text(value: impl std::fmt::Display) -> Arg {
    Arg::Text(value.to_string())
}

/// A count argument (chooses singular or plural).
pub fn count(value: u64) -> Arg {
    Arg::Count(i64::try_from(value).unwrap_or(i64::MAX))
}

/// A sentence of the catalogue by its id, with named arguments:
/// `t!(<id>, name = text(..), other = count(..))`.
macro_rules! t {
    ($id:literal) => { $crate::i18n::render($id, &[]) };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::render($id, &[$((stringify!($name), $value)),+])
    };
}
pub(crate) use t;

/// A count for a table cell: `100000` in English (as before), `100 000` in French.
pub fn number(n: u64) -> String {
    match lang() {
        Lang::Fr => format_amount(i64::try_from(n).unwrap_or(i64::MAX), Lang::Fr),
        Lang::En => n.to_string(),
    }
}

/// `1234500` as `1,234,500 XOF` in English and `1 234 500 XOF` in French (narrow no-break
/// spaces, as the core writes French amounts).
pub fn xof(amount: i64) -> String {
    match lang() {
        Lang::Fr => format!("{} XOF", format_amount(amount, Lang::Fr)),
        Lang::En => {
            let digits = amount.unsigned_abs().to_string();
            let mut grouped = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(c);
            }
            let sign = if amount < 0 { "-" } else { "" };
            format!("{sign}{grouped} XOF")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cinetpay_transfer::i18n::message_ids;
    use std::collections::BTreeSet;

    #[test]
    fn every_cli_message_exists_in_english_and_in_french_and_every_use_is_defined() {
        let (en, fr) = (message_ids(ENGLISH), message_ids(FRENCH));
        assert!(en.len() > 20, "{en:?}");
        assert_eq!(
            en.difference(&fr).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "in English only"
        );
        assert_eq!(
            fr.difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "in French only"
        );
        catalogue();

        let mut used = BTreeSet::new();
        let mut dirs = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).expect("a source directory") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let source = std::fs::read_to_string(&path).expect("a source file");
                // The macro with a literal id; `format!` and `print!` end in `t!` too.
                for (at, _) in source.match_indices("t!(\"") {
                    if source[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                        continue;
                    }
                    let id = source[at + 4..].split('"').next().expect("an id");
                    used.insert(id.to_owned());
                }
            }
        }
        let missing: Vec<_> = used.difference(&en).collect();
        assert!(missing.is_empty(), "used but not in the catalogues: {missing:?}");
    }

    #[test]
    fn the_flag_wins_then_the_locale() {
        let args = |words: &[&str]| words.iter().map(OsString::from).collect::<Vec<_>>();
        let french_locale = |name: &str| (name == "LANG").then(|| "fr_CI.UTF-8".to_owned());
        let no_locale = |_: &str| None;
        assert_eq!(detect(&args(&["cinetpay", "balance"]), french_locale), Lang::Fr);
        assert_eq!(detect(&args(&["cinetpay", "balance"]), no_locale), Lang::En);
        assert_eq!(
            detect(&args(&["cinetpay", "--lang", "en", "balance"]), french_locale),
            Lang::En
        );
        assert_eq!(
            detect(&args(&["cinetpay", "balance", "--lang=fr"]), no_locale),
            Lang::Fr
        );
        let c_over_french = |name: &str| match name {
            "LC_ALL" => Some("C".to_owned()),
            "LANG" => Some("fr_SN.UTF-8".to_owned()),
            _ => None,
        };
        assert_eq!(detect(&args(&["cinetpay"]), c_over_french), Lang::En);
    }

    #[test]
    fn amounts_are_grouped_the_english_way() {
        assert_eq!(xof(0), "0 XOF");
        assert_eq!(xof(1_234_500), "1,234,500 XOF");
        assert_eq!(xof(-500), "-500 XOF");
    }
}
