//! Every human sentence of this SDK, in English and French, from one Project Fluent catalogue per
//! language (`core/locales/{en,fr}/*.ftl`), never from `format!`s spread over the code.
//!
//! An [`Error`] keeps the id and arguments of its message next to the text, so the text can be
//! rendered again in the language of the client that returns it (ADR 7): the code that finds a
//! fault needs no language, and the API's own `message` and `description` stay as sent. English
//! is rendered first, at construction, so an error built outside any client reads as before.
//!
//! The catalogue type is public for the CLI, which keeps its own sentences the same way.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use std::collections::BTreeSet;
use std::sync::OnceLock;

use crate::error::Error;
use crate::model::{ContactResult, Lang, SendResult};

/// The ids of the messages an FTL catalogue defines, read by Fluent's own parser (terms, whose
/// ids start with `-`, are not messages). For the tests that keep the English and French
/// catalogues, and a catalogue and the code using it, in step (the core's and the CLI's).
pub fn message_ids(ftl: &str) -> BTreeSet<String> {
    let resource = FluentResource::try_new(ftl.to_owned()).unwrap_or_else(|(partial, _)| partial);
    resource
        .entries()
        .filter_map(|entry| match entry {
            ast::Entry::Message(message) => Some(message.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

/// French thousands separator: U+202F NARROW NO-BREAK SPACE, as CLDR and `Intl.NumberFormat('fr')`
/// write it (`1 868 200`). It never breaks a line between the digits of one amount.
pub const FRENCH_GROUP_SEPARATOR: char = '\u{202F}';

/// An amount (or any whole number a person reads) the way `lang` writes it: `1868200` in English,
/// as this SDK always wrote it, `1 868 200` (narrow no-break spaces) in French.
pub fn format_amount(amount: i64, lang: Lang) -> String {
    let digits = amount.unsigned_abs().to_string();
    let sign = if amount < 0 { "-" } else { "" };
    match lang {
        Lang::En => format!("{sign}{digits}"),
        Lang::Fr => {
            let mut grouped = String::with_capacity(digits.len() * 2);
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    grouped.push(FRENCH_GROUP_SEPARATOR);
                }
                grouped.push(c);
            }
            format!("{sign}{grouped}")
        }
    }
}

/// A value given to a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Shown as is (an id, a field name, an already quoted input).
    Text(String),
    /// A count: shown as digits and used by the catalogue to choose singular or plural.
    Count(i64),
    /// An amount: shown with [`format_amount`] in the message's language.
    Amount(i64),
}

/// The English and French texts of one set of messages.
pub struct Catalogue {
    en: FluentBundle<FluentResource>,
    fr: FluentBundle<FluentResource>,
}

impl Catalogue {
    /// Reads the two catalogues. Panics on a Fluent syntax error or a message defined twice:
    /// catalogues are compiled in, and the parity tests read them, so that is a bug caught by
    /// `cargo test`, never a runtime surprise.
    pub fn new(english: &str, french: &str) -> Catalogue {
        Catalogue {
            en: bundle("en", english),
            fr: bundle("fr", french),
        }
    }

    /// The text of message `id` in `lang`. An id missing from the catalogue (which the parity
    /// tests rule out) comes back as the id itself rather than failing the call that reports.
    pub fn render(&self, lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
        let bundle = match lang {
            Lang::En => &self.en,
            Lang::Fr => &self.fr,
        };
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_owned();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            let value = match value {
                Arg::Text(text) => FluentValue::from(text.as_str()),
                Arg::Count(n) => FluentValue::from(*n),
                Arg::Amount(n) => FluentValue::from(format_amount(*n, lang)),
            };
            fluent_args.set(*name, value);
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        debug_assert!(errors.is_empty(), "message {id} ({lang:?}): {errors:?}");
        text.into_owned()
    }
}

fn bundle(lang: &str, source: &str) -> FluentBundle<FluentResource> {
    let resource = FluentResource::try_new(source.to_owned())
        .unwrap_or_else(|(_, errors)| panic!("{lang} catalogue does not parse: {errors:?}"));
    let mut bundle = FluentBundle::new_concurrent(vec![lang.parse().expect("a language tag")]);
    // Fluent wraps arguments in Unicode isolation marks by default; these texts go to terminals,
    // logs and exception messages, where the marks would be stray invisible characters.
    bundle.set_use_isolating(false);
    if lang == "fr" {
        // Counts are numbers (they choose `1 transfert` or `2 transferts`): written `100 000`.
        bundle.set_formatter(Some(french_whole_numbers));
    }
    bundle
        .add_resource(resource)
        .unwrap_or_else(|errors| panic!("{lang} catalogue defines a message twice: {errors:?}"));
    bundle
}

/// A whole number as French writes it; other values as Fluent writes them.
fn french_whole_numbers<M>(value: &FluentValue, _: &M) -> Option<String> {
    match value {
        FluentValue::Number(n) if n.value.fract() == 0.0 && n.value.abs() < 1e15 => {
            Some(format_amount(n.value as i64, Lang::Fr))
        }
        _ => None,
    }
}

/// The catalogue of the SDK's error texts.
pub(crate) fn errors() -> &'static Catalogue {
    static ERRORS: OnceLock<Catalogue> = OnceLock::new();
    ERRORS.get_or_init(|| Catalogue::new(ENGLISH_ERRORS, FRENCH_ERRORS))
}

pub(crate) const ENGLISH_ERRORS: &str = include_str!("../locales/en/errors.ftl");
pub(crate) const FRENCH_ERRORS: &str = include_str!("../locales/fr/errors.ftl");

/// A message of the error catalogue with its arguments; an [`Error`] keeps it to render its text
/// again in another language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Message {
    id: &'static str,
    args: Vec<(&'static str, Arg)>,
    /// The error this one reports on (`outcome_unknown`'s cause), rendered in the same language.
    cause: Option<Box<Error>>,
}

impl Message {
    pub(crate) fn new(id: &'static str) -> Message {
        Message {
            id,
            args: Vec::new(),
            cause: None,
        }
    }

    pub(crate) fn text(mut self, name: &'static str, value: impl ToString) -> Message {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// An input shown quoted and escaped (`"07 07"`), so that blanks and odd characters show.
    pub(crate) fn quoted(self, name: &'static str, value: &str) -> Message {
        self.text(name, format!("{value:?}"))
    }

    pub(crate) fn count(mut self, name: &'static str, value: usize) -> Message {
        self.args
            .push((name, Arg::Count(i64::try_from(value).unwrap_or(i64::MAX))));
        self
    }

    pub(crate) fn amount(mut self, name: &'static str, value: i64) -> Message {
        self.args.push((name, Arg::Amount(value)));
        self
    }

    /// The error reported on, shown as `$cause`.
    pub(crate) fn cause(mut self, cause: &Error) -> Message {
        self.cause = Some(Box::new(cause.clone()));
        self
    }

    pub(crate) fn render(&self, lang: Lang) -> String {
        let mut args = self.args.clone();
        if let Some(cause) = &self.cause {
            let cause = cause.as_ref().clone().in_lang(lang);
            args.push(("cause", Arg::Text(cause.to_string())));
        }
        errors().render(lang, self.id, &args)
    }
}

/// Values that carry errors, rendered in a client's language as they leave the public API.
pub(crate) trait Localize {
    fn localize(self, lang: Lang) -> Self;
}

impl Localize for Error {
    fn localize(self, lang: Lang) -> Self {
        self.in_lang(lang)
    }
}

impl<T: Localize> Localize for Result<T, Error> {
    fn localize(self, lang: Lang) -> Self {
        self.map(|v| v.localize(lang)).map_err(|e| e.in_lang(lang))
    }
}

impl<T: Localize> Localize for Vec<T> {
    fn localize(self, lang: Lang) -> Self {
        self.into_iter().map(|v| v.localize(lang)).collect()
    }
}

impl Localize for SendResult {
    fn localize(mut self, lang: Lang) -> Self {
        self.error = self.error.map(|e| e.in_lang(lang));
        self
    }
}

impl Localize for ContactResult {
    fn localize(mut self, lang: Lang) -> Self {
        self.error = self.error.map(|e| e.in_lang(lang));
        self
    }
}

/// Values without an error inside: nothing to render again.
macro_rules! no_text {
    ($($t:ty),*) => { $(impl Localize for $t { fn localize(self, _: Lang) -> Self { self } })* };
}
no_text!(
    crate::model::Balance,
    crate::model::TransferInfo,
    crate::lookup::PayoutLookup
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_message_exists_in_english_and_in_french() {
        let (en, fr) = (message_ids(ENGLISH_ERRORS), message_ids(FRENCH_ERRORS));
        assert!(en.len() > 30, "the English catalogue was not read: {en:?}");
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
        errors(); // both parse, with no message defined twice
    }

    #[test]
    fn every_message_the_code_uses_is_in_the_catalogues() {
        let en = message_ids(ENGLISH_ERRORS);
        let mut dirs = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        let mut used = BTreeSet::new();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).expect("a directory of core/src") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let source = std::fs::read_to_string(path).expect("a source file");
                for piece in source.split("Message::new(\"").skip(1) {
                    used.insert(piece.split('"').next().expect("an id").to_owned());
                }
            }
        }
        assert!(used.len() > 30, "the sources were not read: {used:?}");
        let missing: Vec<_> = used.difference(&en).collect();
        assert!(missing.is_empty(), "used but not in the catalogues: {missing:?}");
    }

    #[test]
    fn french_groups_thousands_with_narrow_no_break_spaces() {
        assert_eq!(format_amount(1_868_200, Lang::Fr), "1\u{202F}868\u{202F}200");
        assert_eq!(format_amount(200, Lang::Fr), "200");
        assert_eq!(format_amount(-1000, Lang::Fr), "-1\u{202F}000");
        assert_eq!(format_amount(1_868_200, Lang::En), "1868200");
    }

    #[test]
    fn french_counts_are_grouped_too() {
        let catalogue = Catalogue::new(
            "n = {$n}",
            "n = { $n ->\n    [one] {$n} ligne\n   *[other] {$n} lignes\n}",
        );
        assert_eq!(
            catalogue.render(Lang::Fr, "n", &[("n", Arg::Count(100_000))]),
            "100\u{202F}000 lignes"
        );
        assert_eq!(
            catalogue.render(Lang::Fr, "n", &[("n", Arg::Count(1))]),
            "1 ligne"
        );
        assert_eq!(
            catalogue.render(Lang::En, "n", &[("n", Arg::Count(100_000))]),
            "100000"
        );
    }

    #[test]
    fn french_counts_choose_singular_and_plural() {
        let one = Message::new("outcome-unknown")
            .count("count", 1)
            .text("ids", "a")
            .cause(&Error::of(
                crate::ErrorKind::Transport,
                Message::new("transport-timeout"),
            ));
        let text = one.render(Lang::Fr);
        assert!(text.starts_with("résultat inconnu pour 1 transfert "), "{text}");
        assert!(text.contains("CinetPay n'a pas répondu à temps"), "{text}");
        let two = Message::new("outcome-unknown")
            .count("count", 2)
            .text("ids", "a, b")
            .cause(&Error::of(
                crate::ErrorKind::Transport,
                Message::new("transport-timeout"),
            ));
        assert!(two
            .render(Lang::Fr)
            .starts_with("résultat inconnu pour 2 transferts "));
    }
}
