//! One error type for every failure, classified by what the caller can do about it.
//!
//! CinetPay answers with about thirty response codes; callers do not want thirty branches. They
//! want to know: fix my credentials, fix this field of that item, top up the balance, add the
//! contact first, or "we do not know whether the money left — look before you retry". [`ErrorKind`]
//! is that decision; the raw `code`, `message`, `description` and HTTP status stay attached for
//! logs and support tickets. Kinds have stable snake_case names ([`ErrorKind::as_str`]) that every
//! language binding exposes unchanged.
//!
//! The human text (`detail`) comes from the message catalogue ([`crate::i18n`]) and follows the
//! language of the client that returns the error; `message` and `description` are the service's
//! own words and are never translated (ADR 7).
//!
//! No variant ever holds a secret: errors are built from the service's answer and from our own
//! validation messages, never from request bodies or URLs with a token in them.

use std::fmt;

use crate::i18n::{self, Arg, Message};
use crate::model::Lang;

/// What the caller can do about a failure. Stable across versions and languages.
///
/// [`ErrorKind::ALL`] lists every kind (derived, so it cannot miss one): each binding's tests
/// check that every kind has its exception class, so a kind added here and not exposed fails there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::VariantArray)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Credentials or token refused (701, 703, and 705/706/707 once a fresh login did not help).
    Authentication,
    /// Input refused, by this SDK before sending or by the service (704, 716-720, 725, 801, 802).
    Validation,
    /// The transfer balance is too low (602).
    InsufficientBalance,
    /// No such transfer, lot or id (723).
    NotFound,
    /// The phone number is not in the merchant's contacts (724): add it first, or use `pay`.
    NotAContact,
    /// The `client_transaction_id` was used before (805).
    DuplicateTransaction,
    /// The operator or payment method is not supported (721, 804).
    OperatorUnavailable,
    /// The service failed or refused for its own reasons (-1, 702, 708-715, 5xx, 429, unknown codes).
    Service,
    /// The request could not be delivered (connection refused, DNS, timeout of a read call).
    Transport,
    /// A payout request may or may not have been executed and a status lookup could not tell.
    OutcomeUnknown,
    /// The service answered something this SDK cannot read.
    Protocol,
    /// A notification disagrees with what the service says about the transfer: do not trust it.
    NotificationMismatch,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: &'static [ErrorKind] = <ErrorKind as strum::VariantArray>::VARIANTS;

    /// The stable snake_case name used by every binding (`"insufficient_balance"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Authentication => "authentication",
            ErrorKind::Validation => "validation",
            ErrorKind::InsufficientBalance => "insufficient_balance",
            ErrorKind::NotFound => "not_found",
            ErrorKind::NotAContact => "not_a_contact",
            ErrorKind::DuplicateTransaction => "duplicate_transaction",
            ErrorKind::OperatorUnavailable => "operator_unavailable",
            ErrorKind::Service => "service",
            ErrorKind::Transport => "transport",
            ErrorKind::OutcomeUnknown => "outcome_unknown",
            ErrorKind::Protocol => "protocol",
            ErrorKind::NotificationMismatch => "notification_mismatch",
        }
    }

    /// The kind a CinetPay response code belongs to. Unknown codes are service errors; the raw code
    /// stays on the [`Error`].
    pub fn from_api_code(code: i64) -> ErrorKind {
        match code {
            701 | 703 | 705 | 706 | 707 => ErrorKind::Authentication,
            704 | 716 | 717 | 718 | 719 | 720 | 725 | 801 | 802 => ErrorKind::Validation,
            602 => ErrorKind::InsufficientBalance,
            723 => ErrorKind::NotFound,
            724 => ErrorKind::NotAContact,
            805 => ErrorKind::DuplicateTransaction,
            721 | 804 => ErrorKind::OperatorUnavailable,
            _ => ErrorKind::Service,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The field a service validation code is about, when the code names one.
fn field_of_api_code(code: i64) -> Option<&'static str> {
    match code {
        719 | 720 | 801 => Some("amount"),
        717 | 802 => Some("phone"),
        725 => Some("notify_url"),
        718 => Some("data"),
        _ => None,
    }
}

/// A failure of any call. Cheap to move (one box); carries everything a binding needs to rebuild it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Box<Details>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Details {
    kind: ErrorKind,
    detail: String,
    /// What `detail` was rendered from; `None` for a text given as is ([`Error::new`]).
    message: Option<Message>,
    /// The language of `detail` and of the `Display` text.
    lang: Lang,
    code: Option<i64>,
    api_message: Option<String>,
    description: Option<String>,
    http_status: Option<u16>,
    field: Option<String>,
    index: Option<usize>,
    client_transaction_ids: Vec<String>,
}

impl Error {
    /// A bare error of `kind` with a human-readable `detail`, kept as given in every language
    /// (for texts a binding writes itself; the SDK's own texts come from its catalogue).
    pub fn new(kind: ErrorKind, detail: impl Into<String>) -> Self {
        Error(Box::new(Details {
            kind,
            detail: detail.into(),
            message: None,
            lang: Lang::En,
            code: None,
            api_message: None,
            description: None,
            http_status: None,
            field: None,
            index: None,
            client_transaction_ids: Vec::new(),
        }))
    }

    /// Input refused before anything was sent: names the field and, in a list, the item's index.
    pub fn validation(field: &str, index: Option<usize>, detail: impl Into<String>) -> Self {
        let mut err = Error::new(ErrorKind::Validation, detail);
        err.0.field = Some(field.to_owned());
        err.0.index = index;
        err
    }

    /// An error of `kind` whose text is a catalogue message, rendered in English until
    /// [`in_lang`](Error::in_lang) says otherwise.
    pub(crate) fn of(kind: ErrorKind, message: Message) -> Self {
        let mut err = Error::new(kind, message.render(Lang::En));
        err.0.message = Some(message);
        err
    }

    /// [`Error::validation`] with a catalogue message.
    pub(crate) fn invalid(field: &str, index: Option<usize>, message: Message) -> Self {
        let mut err = Error::of(ErrorKind::Validation, message);
        err.0.field = Some(field.to_owned());
        err.0.index = index;
        err
    }

    /// The same error with its human text in `lang` (the service's `message` and `description`
    /// are left as they came). A client does this to every error it returns; it is public for
    /// errors of functions that take no client, such as
    /// [`NotificationEvent::from_request`](crate::NotificationEvent::from_request).
    pub fn in_lang(mut self, lang: Lang) -> Self {
        if self.0.lang != lang {
            self.0.lang = lang;
            if let Some(message) = &self.0.message {
                self.0.detail = message.render(lang);
            }
        }
        self
    }

    /// An error answer of the service: `code`, `message` and `description` as sent.
    pub fn from_api(
        code: i64,
        message: Option<String>,
        description: Option<String>,
        http_status: Option<u16>,
    ) -> Self {
        let kind = ErrorKind::from_api_code(code);
        let text = match (&message, &description) {
            (Some(m), Some(d)) => Message::new("api-refused-described")
                .text("message", m)
                .text("description", d),
            (Some(m), None) => Message::new("api-refused").text("message", m),
            _ => Message::new("api-refused-code"),
        };
        let mut err = Error::of(kind, text.text("code", code));
        err.0.code = Some(code);
        err.0.api_message = message;
        err.0.description = description;
        err.0.http_status = http_status;
        err.0.field = field_of_api_code(code).map(str::to_owned);
        err
    }

    /// Payout requests whose execution could not be confirmed nor ruled out.
    pub fn outcome_unknown(client_transaction_ids: Vec<String>, cause: &Error) -> Self {
        let mut err = Error::of(
            ErrorKind::OutcomeUnknown,
            Message::new("outcome-unknown")
                .count("count", client_transaction_ids.len())
                .text("ids", client_transaction_ids.join(", "))
                .cause(cause),
        );
        err.0.http_status = cause.0.http_status;
        err.0.client_transaction_ids = client_transaction_ids;
        err
    }

    pub(crate) fn with_http_status(mut self, status: u16) -> Self {
        self.0.http_status = Some(status);
        self
    }

    pub(crate) fn set_field(&mut self, field: &str) {
        self.0.field = Some(field.to_owned());
    }

    pub(crate) fn with_index(mut self, index: usize) -> Self {
        self.0.index = Some(index);
        self
    }

    /// What the caller can do about it.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }
    /// The human-readable explanation (also the `Display` text), in the client's language.
    pub fn detail(&self) -> &str {
        &self.0.detail
    }
    /// CinetPay's response code (`602`, `724`, ...), when the service answered with one.
    pub fn code(&self) -> Option<i64> {
        self.0.code
    }
    /// CinetPay's `message` (`INSUFFICIENT_BALANCE`, ...).
    pub fn api_message(&self) -> Option<&str> {
        self.0.api_message.as_deref()
    }
    /// CinetPay's `description`, in the language asked for.
    pub fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// The HTTP status of the answer, when there was one.
    pub fn http_status(&self) -> Option<u16> {
        self.0.http_status
    }
    /// For validation errors: the input field at fault (`amount`, `phone`, `notify_url`, ...).
    pub fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }
    /// [`field`](Self::field) as the camelCase languages spell it (Node, Kotlin, Swift): each name
    /// of the path in camelCase, the path kept (`notify_url` -> `notifyUrl`,
    /// `limits.countries.225.min_amount` -> `limits.countries.225.minAmount`). Decided here once
    /// so no binding spells a path its own way (ADR 6).
    pub fn field_camel_case(&self) -> Option<String> {
        self.field().map(camel_case_path)
    }
    /// For validation errors on a list: the position of the item at fault.
    pub fn index(&self) -> Option<usize> {
        self.0.index
    }
    /// For [`ErrorKind::OutcomeUnknown`]: the payouts to reconcile before any new attempt.
    pub fn client_transaction_ids(&self) -> &[String] {
        &self.0.client_transaction_ids
    }

    /// Whether the same request may succeed later (transport failures, 5xx, 429). Reads are
    /// retried on these; a webhook handler answers 503 on them so that CinetPay tries again.
    pub fn is_retryable(&self) -> bool {
        match self.0.kind {
            ErrorKind::Transport => true,
            ErrorKind::Service => matches!(self.0.http_status, Some(s) if s >= 500 || s == 429),
            _ => false,
        }
    }

    /// 705/706/707: the token is no good; a fresh login and one replay are in order.
    pub(crate) fn is_token_rejected(&self) -> bool {
        matches!(self.0.code, Some(705..=707))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.detail)?;
        if let Some(field) = &self.0.field {
            let field = ("field", Arg::Text(field.clone()));
            let place = match self.0.index {
                Some(i) => i18n::errors().render(
                    self.0.lang,
                    "error-field-item",
                    &[field, ("item", Arg::Count(i64::try_from(i).unwrap_or(i64::MAX)))],
                ),
                None => i18n::errors().render(self.0.lang, "error-field", &[field]),
            };
            write!(f, " {place}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A core field path with each name in camelCase, the dots kept: what
/// [`Error::field_camel_case`] returns. Names already in camelCase pass unchanged.
fn camel_case_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut upper = false;
    for c in path.chars() {
        match c {
            '_' => upper = true,
            '.' => {
                upper = false;
                out.push(c);
            }
            c if upper => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_code_has_a_kind_and_unknown_codes_are_kept() {
        let cases = [
            (0, ErrorKind::Service),
            (-1, ErrorKind::Service),
            (701, ErrorKind::Authentication),
            (702, ErrorKind::Service),
            (703, ErrorKind::Authentication),
            (704, ErrorKind::Validation),
            (705, ErrorKind::Authentication),
            (706, ErrorKind::Authentication),
            (707, ErrorKind::Authentication),
            (708, ErrorKind::Service),
            (709, ErrorKind::Service),
            (710, ErrorKind::Service),
            (715, ErrorKind::Service),
            (716, ErrorKind::Validation),
            (717, ErrorKind::Validation),
            (718, ErrorKind::Validation),
            (719, ErrorKind::Validation),
            (720, ErrorKind::Validation),
            (721, ErrorKind::OperatorUnavailable),
            (602, ErrorKind::InsufficientBalance),
            (723, ErrorKind::NotFound),
            (724, ErrorKind::NotAContact),
            (725, ErrorKind::Validation),
            (801, ErrorKind::Validation),
            (802, ErrorKind::Validation),
            (804, ErrorKind::OperatorUnavailable),
            (805, ErrorKind::DuplicateTransaction),
        ];
        for (code, kind) in cases {
            assert_eq!(ErrorKind::from_api_code(code), kind, "code {code}");
        }
        let unknown = Error::from_api(999, Some("NEW_THING".into()), Some("d".into()), Some(400));
        assert_eq!(unknown.kind(), ErrorKind::Service);
        assert_eq!(unknown.code(), Some(999));
        assert_eq!(unknown.api_message(), Some("NEW_THING"));
        assert_eq!(unknown.description(), Some("d"));
        assert_eq!(unknown.http_status(), Some(400));
    }

    #[test]
    fn service_validation_codes_name_their_field() {
        assert_eq!(Error::from_api(719, None, None, None).field(), Some("amount"));
        assert_eq!(Error::from_api(802, None, None, None).field(), Some("phone"));
        assert_eq!(Error::from_api(725, None, None, None).field(), Some("notify_url"));
    }

    #[test]
    fn field_paths_in_camel_case_keep_the_path() {
        let camel = |field: &str| Error::validation(field, None, "x").field_camel_case().unwrap();
        assert_eq!(camel("amount"), "amount");
        assert_eq!(camel("notify_url"), "notifyUrl");
        assert_eq!(camel("client_transaction_id"), "clientTransactionId");
        assert_eq!(camel("retry.max_attempts"), "retry.maxAttempts");
        assert_eq!(
            camel("limits.countries.225.min_amount"),
            "limits.countries.225.minAmount"
        );
        assert_eq!(camel("chunkSize"), "chunkSize");
        assert_eq!(Error::from_api(602, None, None, None).field_camel_case(), None);
    }

    #[test]
    fn display_names_field_and_item() {
        let err = Error::validation("amount", Some(3), "amount must be at least 200 XOF");
        assert_eq!(
            err.to_string(),
            "amount must be at least 200 XOF [field: amount, item 3]"
        );
        assert_eq!(err.kind().as_str(), "validation");
    }

    #[test]
    fn the_text_follows_the_language_and_the_service_words_do_not() {
        let refused = Error::from_api(
            602,
            Some("INSUFFICIENT_BALANCE".into()),
            Some("Solde insuffisant".into()),
            Some(200),
        );
        assert_eq!(
            refused.detail(),
            "CinetPay refused the request: 602 INSUFFICIENT_BALANCE (Solde insuffisant)"
        );
        let french = refused.clone().in_lang(Lang::Fr);
        assert_eq!(
            french.detail(),
            "CinetPay a refusé la demande : 602 INSUFFICIENT_BALANCE (Solde insuffisant)"
        );
        assert_eq!(french.api_message(), Some("INSUFFICIENT_BALANCE"));
        assert_eq!(french.description(), Some("Solde insuffisant"));
        assert_eq!(french.clone().in_lang(Lang::En), refused);

        let field = Error::invalid(
            "amount",
            Some(2),
            Message::new("amount-multiple")
                .amount("amount", 1005)
                .amount("multiple", 5),
        );
        assert_eq!(
            field.to_string(),
            "amount 1005 XOF must be a multiple of 5 [field: amount, item 2]"
        );
        assert_eq!(
            field.in_lang(Lang::Fr).to_string(),
            "le montant 1\u{202F}005 XOF doit être un multiple de 5 [champ : amount, élément 2]"
        );
        let raw = Error::new(ErrorKind::Service, "as written").in_lang(Lang::Fr);
        assert_eq!(raw.detail(), "as written");
    }

    #[test]
    fn an_unknown_outcome_names_its_cause_in_the_same_language() {
        let cause = Error::of(ErrorKind::Transport, Message::new("transport-timeout"));
        let err = Error::outcome_unknown(vec!["a".into(), "b".into()], &cause);
        assert_eq!(
            err.detail(),
            "the outcome of 2 payout(s) is unknown (CinetPay did not answer in time); look them up \
             by client_transaction_id before sending them again: a, b"
        );
        let french = err.in_lang(Lang::Fr);
        assert!(
            french.detail().contains("(CinetPay n'a pas répondu à temps)"),
            "{}",
            french.detail()
        );
        assert!(french.detail().ends_with(": a, b"), "{}", french.detail());
    }
}
