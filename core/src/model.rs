//! The public data types: what callers pass in and get back.
//!
//! They own their data (no lifetimes) so that they cross into Python, Node, Kotlin and Swift as
//! plain records. Amounts are whole XOF in `i64`: the franc CFA has no minor units and money is
//! never a float here. Statuses the SDK does not know yet are kept as raw strings, never errors:
//! CinetPay adds values over time and a payout SDK must not crash on a new one.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Serialize, Serializer};

use crate::error::Error;
use crate::i18n::Message;

/// Language of the service's `description` texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// French.
    Fr,
}

impl Lang {
    /// The value of the `lang` query parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// Reads `"en"` or `"fr"` (as [`as_str`](Lang::as_str) writes them), the one parser of the
    /// bindings' `lang` option. Anything else is a validation error naming the field `lang`.
    pub fn parse(raw: &str) -> crate::error::Result<Lang> {
        match raw {
            "en" => Ok(Lang::En),
            "fr" => Ok(Lang::Fr),
            _ => Err(Error::invalid(
                "lang",
                None,
                Message::new("lang-invalid").text("value", raw),
            )),
        }
    }
}

/// A payee to register before money can be sent to them (CinetPay requires it).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Contact {
    /// Country calling code without `+` (`"225"`); may be empty when `phone` is `+225...`.
    pub prefix: String,
    /// National number, digits only, or a full `+2250701020304` number with an empty prefix.
    pub phone: String,
    /// First name.
    pub name: String,
    /// Last name.
    pub surname: String,
    /// E-mail address (may be empty).
    pub email: String,
}

/// What the service said about one contact of an `add_contacts` call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactResult {
    /// Country calling code, as sent.
    pub prefix: String,
    /// National number, as sent.
    pub phone: String,
    /// True when the contact exists now, whether it was added by this call or before (726).
    pub added: bool,
    /// True when the service said the contact already existed (726).
    pub already_existed: bool,
    /// The item's response code (0, 726, or an error code).
    pub code: i64,
    /// The batch number the service gave, if any.
    pub lot: Option<String>,
    /// Why the item was refused, when `added` is false.
    #[serde(serialize_with = "serialize_opt_error")]
    pub error: Option<Error>,
}

/// One payout to send.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Transfer {
    /// Country calling code without `+`; may be empty when `phone` is `+225...`.
    pub prefix: String,
    /// National number, or a full `+2250701020304` number with an empty prefix.
    pub phone: String,
    /// Whole XOF.
    pub amount: i64,
    /// Absolute http(s) URL that CinetPay notifies when the payout is final.
    pub notify_url: String,
    /// The merchant's idempotency key; generated (and returned) when `None`.
    pub client_transaction_id: Option<String>,
    /// Operator code (`OM`, `MOMO`, `WAVECI`, ...); detected from the number when `None`.
    pub payment_method: Option<String>,
    /// Payee first name, used by `pay` when it registers the contact (defaults to the phone number).
    pub name: Option<String>,
    /// Payee last name, used by `pay` when it registers the contact (defaults to the phone number).
    pub surname: Option<String>,
    /// Payee e-mail, used by `pay` when it registers the contact.
    pub email: Option<String>,
}

impl Transfer {
    /// A transfer of `amount` XOF to `phone` (national with `prefix`, or `+225...` with `""`).
    pub fn new(prefix: &str, phone: &str, amount: i64, notify_url: &str) -> Self {
        Transfer {
            prefix: prefix.to_owned(),
            phone: phone.to_owned(),
            amount,
            notify_url: notify_url.to_owned(),
            ..Transfer::default()
        }
    }

    /// Sets the idempotency key.
    pub fn client_transaction_id(mut self, id: impl Into<String>) -> Self {
        self.client_transaction_id = Some(id.into());
        self
    }

    /// Sets the operator code.
    pub fn payment_method(mut self, method: impl Into<String>) -> Self {
        self.payment_method = Some(method.into());
        self
    }
}

/// Whether the service took a payout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SendOutcome {
    /// The service recorded the payout; follow it with `transfer_status`.
    Accepted,
    /// The payout was not made and no money left: refused by the service, or never delivered to
    /// it (a lookup confirmed it is unknown there). `error` says why.
    Failed,
    /// It could not be told whether the service recorded it: look it up before sending again.
    Unknown,
}

/// The result of one payout of a `send` or `pay` call, in input order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SendResult {
    /// The idempotency key: the caller's, or the one generated for this item.
    pub client_transaction_id: String,
    /// Country calling code, normalised.
    pub prefix: String,
    /// National number, normalised.
    pub phone: String,
    /// Whole XOF.
    pub amount: i64,
    /// Accepted, failed or unknown.
    pub outcome: SendOutcome,
    /// CinetPay's id of the transfer, when accepted.
    pub transaction_id: Option<String>,
    /// CinetPay's batch number, when accepted.
    pub lot: Option<String>,
    /// Processing status reported with the answer (usually `NEW`).
    pub treatment_status: Option<TreatmentStatus>,
    /// Why the payout failed, or why its outcome is unknown.
    #[serde(serialize_with = "serialize_opt_error")]
    pub error: Option<Error>,
}

/// Where a transfer is in CinetPay's processing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TreatmentStatus {
    /// `NEW`: waiting to be processed.
    New,
    /// `REC`: being processed.
    Rec,
    /// `NOS`: pending (merchant confirmation by e-mail, or the operator).
    Nos,
    /// `VAL`: paid. Final.
    Val,
    /// `REJ`: rejected, money back on the balance. Final.
    Rej,
    /// A value this SDK does not know yet, kept as sent.
    Unknown(String),
}

impl TreatmentStatus {
    /// Reads the wire value; unknown values are kept in [`TreatmentStatus::Unknown`].
    pub fn parse(raw: &str) -> Self {
        match raw.trim().to_ascii_uppercase().as_str() {
            "NEW" => TreatmentStatus::New,
            "REC" => TreatmentStatus::Rec,
            "NOS" => TreatmentStatus::Nos,
            "VAL" => TreatmentStatus::Val,
            "REJ" => TreatmentStatus::Rej,
            _ => TreatmentStatus::Unknown(raw.to_owned()),
        }
    }

    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            TreatmentStatus::New => "NEW",
            TreatmentStatus::Rec => "REC",
            TreatmentStatus::Nos => "NOS",
            TreatmentStatus::Val => "VAL",
            TreatmentStatus::Rej => "REJ",
            TreatmentStatus::Unknown(raw) => raw,
        }
    }

    /// True for `VAL` and `REJ`: nothing will change any more.
    pub fn is_final(&self) -> bool {
        matches!(self, TreatmentStatus::Val | TreatmentStatus::Rej)
    }
}

impl fmt::Display for TreatmentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for TreatmentStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Whether the merchant's confirmation of a transfer is in (`sending_status`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SendingStatus {
    /// `CONFIRM`: confirmed, on its way.
    Confirm,
    /// `PENDING`: waiting for the merchant's e-mail confirmation (server IP not whitelisted).
    Pending,
    /// A value this SDK does not know yet, kept as sent.
    Unknown(String),
}

impl SendingStatus {
    /// Reads the wire value; unknown values are kept.
    pub fn parse(raw: &str) -> Self {
        match raw.trim().to_ascii_uppercase().as_str() {
            "CONFIRM" => SendingStatus::Confirm,
            "PENDING" => SendingStatus::Pending,
            _ => SendingStatus::Unknown(raw.to_owned()),
        }
    }

    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            SendingStatus::Confirm => "CONFIRM",
            SendingStatus::Pending => "PENDING",
            SendingStatus::Unknown(raw) => raw,
        }
    }
}

impl Serialize for SendingStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The state of one transfer, as `check/money` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransferInfo {
    /// CinetPay's id.
    pub transaction_id: String,
    /// The merchant's id.
    pub client_transaction_id: Option<String>,
    /// Batch number.
    pub lot: Option<String>,
    /// Whole XOF.
    pub amount: i64,
    /// The payee's number as the service shows it.
    pub receiver: Option<String>,
    /// The payee's number in E.164 form.
    pub receiver_e164: Option<String>,
    /// Operator that carries the payout.
    pub operator: Option<String>,
    /// Merchant confirmation state.
    pub sending_status: Option<SendingStatus>,
    /// `transfer_valid`: `Y` as true, `N` as false.
    pub transfer_valid: Option<bool>,
    /// Processing state; final when `VAL` or `REJ`.
    pub treatment_status: TreatmentStatus,
    /// Free text from the service or operator.
    pub comment: Option<String>,
    /// When the transfer was validated (`"2018-06-27 12:53:26"`), as sent.
    pub validated_at: Option<String>,
    /// The operator's own reference, when sent.
    pub operator_transaction_id: Option<String>,
}

impl TransferInfo {
    /// Whether this is a payout of `amount` XOF to the national number `phone`: the check that an
    /// id found by lookup belongs to the payout one meant, not to an older one under the same id.
    /// Numbers are compared on their digits, whatever the service's formatting (`+225 07...`).
    pub fn is_payout_of(&self, phone: &str, amount: i64) -> bool {
        // The last 8 digits: numbers shown with or without the country code, and Côte d'Ivoire's
        // 8-digit numbers of before 2021 next to their 10-digit form, are the same number.
        let tail = |s: &str| {
            let digits: Vec<char> = s.chars().filter(char::is_ascii_digit).collect();
            digits[digits.len().saturating_sub(8)..]
                .iter()
                .collect::<String>()
        };
        let ours = tail(phone);
        let number_matches = |shown: &Option<String>| {
            shown
                .as_deref()
                .map(tail)
                .is_none_or(|theirs| theirs.is_empty() || theirs.ends_with(&ours) || ours.ends_with(&theirs))
        };
        self.amount == amount && number_matches(&self.receiver) && number_matches(&self.receiver_e164)
    }
}

/// Which transfers `transfer_status` asks about: exactly one id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferQuery {
    /// CinetPay's id.
    TransactionId(String),
    /// The merchant's id.
    ClientTransactionId(String),
    /// Every transfer of a batch.
    Lot(String),
}

impl TransferQuery {
    /// The query of the one id given, as the service requires: none or several is a validation
    /// error naming `transaction_id`, before any request. Every binding's `transfer_status`
    /// (keyword arguments in Python, an object in JavaScript) goes through here, so the rule and
    /// its error are the same in every language.
    pub fn one_of(
        transaction_id: Option<String>,
        client_transaction_id: Option<String>,
        lot: Option<String>,
    ) -> Result<Self, Error> {
        match (transaction_id, client_transaction_id, lot) {
            (Some(id), None, None) => Ok(TransferQuery::TransactionId(id)),
            (None, Some(id), None) => Ok(TransferQuery::ClientTransactionId(id)),
            (None, None, Some(lot)) => Ok(TransferQuery::Lot(lot)),
            _ => Err(Error::invalid(
                "transaction_id",
                None,
                Message::new("query-one-id"),
            )),
        }
    }

    /// The query parameter name and value.
    pub(crate) fn param(&self) -> (&'static str, &str) {
        match self {
            TransferQuery::TransactionId(v) => ("transaction_id", v),
            TransferQuery::ClientTransactionId(v) => ("client_transaction_id", v),
            TransferQuery::Lot(v) => ("lot", v),
        }
    }
}

/// The transfer balance (separate from the collection balance).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Balance {
    /// Total, whole XOF.
    pub amount: i64,
    /// Held for payouts being processed.
    pub in_using: i64,
    /// What can be sent now.
    pub available: i64,
    /// Per-country breakdown keyed by ISO code (`"CI"`), when the service sends one.
    pub countries: BTreeMap<String, CountryBalance>,
}

/// The balance of one country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountryBalance {
    /// What can be sent now to this country.
    pub available: i64,
    /// Total, when sent.
    pub amount: Option<i64>,
    /// Held for payouts being processed, when sent.
    pub in_using: Option<i64>,
}

fn serialize_opt_error<S: Serializer>(err: &Option<Error>, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    match err {
        None => s.serialize_none(),
        Some(e) => {
            let mut map = s.serialize_map(None)?;
            map.serialize_entry("kind", e.kind().as_str())?;
            map.serialize_entry("code", &e.code())?;
            map.serialize_entry("message", e.detail())?;
            map.end()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transfer_query_is_exactly_one_id() {
        let id = || Some("x".to_owned());
        assert_eq!(
            TransferQuery::one_of(None, id(), None).unwrap(),
            TransferQuery::ClientTransactionId("x".into())
        );
        assert_eq!(
            TransferQuery::one_of(None, None, id()).unwrap(),
            TransferQuery::Lot("x".into())
        );
        for (a, b, c) in [(None, None, None), (id(), None, id()), (id(), id(), id())] {
            let err = TransferQuery::one_of(a, b, c).unwrap_err();
            assert_eq!(
                (err.kind(), err.field()),
                (crate::ErrorKind::Validation, Some("transaction_id"))
            );
            assert!(err.detail().contains("exactly one"), "{err}");
        }
    }

    #[test]
    fn lang_reads_what_it_writes_and_names_the_field_otherwise() {
        for lang in [Lang::En, Lang::Fr] {
            assert_eq!(Lang::parse(lang.as_str()).unwrap(), lang);
        }
        let err = Lang::parse("de").unwrap_err();
        assert_eq!(
            (err.kind(), err.field()),
            (crate::ErrorKind::Validation, Some("lang"))
        );
        assert!(err.detail().contains("\"de\""), "{err}");
    }

    #[test]
    fn a_payout_is_recognised_whatever_the_number_formatting() {
        let info = TransferInfo {
            transaction_id: "EA1".into(),
            client_transaction_id: Some("c".into()),
            lot: None,
            amount: 500,
            receiver: Some("07 01 02 03 04".into()),
            receiver_e164: Some("+225-0701020304".into()),
            operator: None,
            sending_status: None,
            transfer_valid: None,
            treatment_status: TreatmentStatus::New,
            comment: None,
            validated_at: None,
            operator_transaction_id: None,
        };
        assert!(info.is_payout_of("0701020304", 500));
        let old_format = TransferInfo {
            receiver: Some("01020304".into()),
            receiver_e164: Some("+22501020304".into()),
            ..info.clone()
        };
        assert!(
            old_format.is_payout_of("0701020304", 500),
            "8-digit CI number of before 2021"
        );
        assert!(!info.is_payout_of("0701020304", 505));
        assert!(!info.is_payout_of("0505060708", 500));
    }

    #[test]
    fn unknown_statuses_are_kept_as_sent() {
        assert_eq!(TreatmentStatus::parse("val"), TreatmentStatus::Val);
        let odd = TreatmentStatus::parse("HOLD");
        assert_eq!(odd, TreatmentStatus::Unknown("HOLD".into()));
        assert_eq!(odd.as_str(), "HOLD");
        assert!(!odd.is_final());
        assert!(TreatmentStatus::Rej.is_final());
        assert_eq!(
            SendingStatus::parse("WAIT"),
            SendingStatus::Unknown("WAIT".into())
        );
    }
}
