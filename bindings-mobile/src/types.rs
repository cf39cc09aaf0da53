//! The records and enums Kotlin and Swift see.
//!
//! Where the core's type has a shape uniffi can carry, it is exposed as it is, as a uniffi remote
//! type: the `#[uniffi::remote(...)]` declarations below mirror the core's for uniffi's scaffolding
//! and generate no Rust type, and the generated code builds and matches the core's type field by
//! field and variant by variant, so a field or variant added to the core and not mirrored here
//! fails to compile (ADR 6). The other types are hand copies, each saying why its shape differs,
//! and convert field by field, nothing more: every rule lives in the core. Amounts are
//! `i64` (Kotlin `Long`, Swift `Int64`): whole XOF, never floats. Statuses the SDK does not know
//! are kept in an `Unknown { raw }` variant, never an error. Optional settings of
//! [`ClientConfig`] are `null`/`nil` by default, which means "the core's default", so the numbers
//! are written down in one place only (the core's `Config`).

use std::collections::HashMap;
use std::time::Duration;

use cinetpay_transfer as core;

use crate::errors::{CinetPayError, ErrorDetails};

pub use core::{Contact, CountryBalance, Lang, RetryPolicy, SendOutcome, Transfer};

/// Language of the service's `description` texts.
#[uniffi::remote(Enum)]
pub enum Lang {
    /// English.
    En,
    /// French.
    Fr,
}

/// How idempotent calls (reads, contacts, logins) are retried after transient failures.
#[uniffi::remote(Record)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 disables retries).
    pub max_attempts: u32,
    /// Wait before the second attempt; doubles each time.
    pub initial_backoff: Duration,
    /// Upper bound of any wait.
    pub max_backoff: Duration,
}

// Hand copy: the core's builder has setters, not a record, and `null` here means "the core's
// default".
/// Client settings. Every field is optional: `null` keeps the core's default.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct ClientConfig {
    /// Base URL of the Transfer API (production by default; the sandbox's URL in tests).
    #[uniffi(default)]
    pub base_url: Option<String>,
    /// Language of the service's descriptions (English by default).
    #[uniffi(default)]
    pub lang: Option<Lang>,
    /// Time allowed to open a connection (10 s by default).
    #[uniffi(default)]
    pub connect_timeout: Option<Duration>,
    /// Time allowed for a request and its answer (30 s by default).
    #[uniffi(default)]
    pub request_timeout: Option<Duration>,
    /// How long a payout request that timed out may still be running at CinetPay, counted from
    /// when it was sent: nothing of it is sent again before (90 s by default).
    #[uniffi(default)]
    pub processing_window: Option<Duration>,
    /// Retries of idempotent calls (3 attempts, 200 ms doubling, by default).
    #[uniffi(default)]
    pub retry: Option<RetryPolicy>,
    /// Payouts or contacts per request (50 by default).
    #[uniffi(default)]
    pub chunk_size: Option<u32>,
    /// Requests of one call in flight at once (4 by default).
    #[uniffi(default)]
    pub max_concurrency: Option<u32>,
    /// Amount and phone rules checked before any request leaves (the core's by default).
    #[uniffi(default)]
    pub limits: Option<Limits>,
}

// Not the core's: it has `RangeInclusive<usize>`, and uniffi has no ranges.
/// A range of digit counts, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct DigitRange {
    /// Fewest digits.
    pub min: u32,
    /// Most digits.
    pub max: u32,
}

impl From<DigitRange> for std::ops::RangeInclusive<usize> {
    fn from(r: DigitRange) -> Self {
        r.min as usize..=r.max as usize
    }
}

// Hand copy: `national_digits` is a `RangeInclusive` in the core.
/// The rules of one calling code (`Limits.countries`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CountryRule {
    /// ISO 3166 code (`"CI"`).
    pub iso: String,
    /// Digits of a national number.
    pub national_digits: DigitRange,
    /// Smallest payout, whole XOF.
    pub min_amount: i64,
}

// Hand copy: its fields are optional here (over `Limits::default()`), and the core's ranges are
// `RangeInclusive`.
/// Amount and phone rules (`ClientConfig.limits`). A field left `null` keeps the core's default;
/// each entry of `countries` replaces or adds the rule of its calling code (`"225"`), the others
/// keep theirs. The core checks the values when the client is built: a bad one throws
/// `CinetPayException.Validation` naming it (`limits.maxAmount`).
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct Limits {
    /// Rules by calling code.
    #[uniffi(default)]
    pub countries: Option<HashMap<String, CountryRule>>,
    /// Minimum for a calling code with no rule, XOF.
    #[uniffi(default)]
    pub default_min_amount: Option<i64>,
    /// Largest payout, XOF.
    #[uniffi(default)]
    pub max_amount: Option<i64>,
    /// Amounts must be a multiple of this (1: any amount).
    #[uniffi(default)]
    pub amount_multiple: Option<i64>,
    /// Digits of a national number for a calling code with no rule.
    #[uniffi(default)]
    pub default_national_digits: Option<DigitRange>,
}

impl From<Limits> for core::Limits {
    fn from(l: Limits) -> Self {
        let mut limits = core::Limits::default();
        if let Some(n) = l.default_min_amount {
            limits.default_min_amount = n;
        }
        if let Some(n) = l.max_amount {
            limits.max_amount = n;
        }
        if let Some(n) = l.amount_multiple {
            limits.amount_multiple = n;
        }
        if let Some(r) = l.default_national_digits {
            limits.default_national_digits = r.into();
        }
        for (prefix, rule) in l.countries.into_iter().flatten() {
            let rule = core::CountryRule {
                iso: rule.iso,
                national_digits: rule.national_digits.into(),
                min_amount: rule.min_amount,
            };
            limits.countries.insert(prefix, rule);
        }
        limits
    }
}

impl ClientConfig {
    /// Applies the settings given to a core builder.
    pub(crate) fn apply(self, mut builder: core::ClientBuilder) -> core::ClientBuilder {
        if let Some(url) = self.base_url {
            builder = builder.base_url(url);
        }
        if let Some(lang) = self.lang {
            builder = builder.lang(lang);
        }
        if let Some(t) = self.connect_timeout {
            builder = builder.connect_timeout(t);
        }
        if let Some(t) = self.request_timeout {
            builder = builder.request_timeout(t);
        }
        if let Some(t) = self.processing_window {
            builder = builder.processing_window(t);
        }
        if let Some(r) = self.retry {
            builder = builder.retry(r);
        }
        if let Some(n) = self.chunk_size {
            builder = builder.chunk_size(n as usize);
        }
        if let Some(n) = self.max_concurrency {
            builder = builder.max_concurrency(n as usize);
        }
        if let Some(limits) = self.limits {
            builder = builder.limits(limits.into());
        }
        builder
    }
}

/// A payee to register before money can be sent to them.
#[uniffi::remote(Record)]
pub struct Contact {
    /// Country calling code without `+` (`"225"`); may be empty when `phone` is `+225...`.
    pub prefix: String,
    /// National number, or a full `+2250701020304` number with an empty prefix.
    pub phone: String,
    /// First name.
    pub name: String,
    /// Last name.
    pub surname: String,
    /// E-mail address (may be empty).
    #[uniffi(default = "")]
    pub email: String,
}

// Hand copy: `error` is the core's `Error`, carried as an `ErrorDetails` record.
/// What the service said about one contact of an `addContacts` call.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ContactResult {
    /// Country calling code, as sent.
    pub prefix: String,
    /// National number, as sent.
    pub phone: String,
    /// True when the contact exists now, added by this call or before (726).
    pub added: bool,
    /// True when the service said the contact already existed (726).
    pub already_existed: bool,
    /// The item's response code (0, 726, or an error code).
    pub code: i64,
    /// The batch number the service gave, if any.
    pub lot: Option<String>,
    /// Why the item was refused, when `added` is false.
    pub error: Option<ErrorDetails>,
}

impl From<core::ContactResult> for ContactResult {
    fn from(r: core::ContactResult) -> Self {
        ContactResult {
            error: r.error.as_ref().map(ErrorDetails::from),
            prefix: r.prefix,
            phone: r.phone,
            added: r.added,
            already_existed: r.already_existed,
            code: r.code,
            lot: r.lot,
        }
    }
}

/// One payout to send.
#[uniffi::remote(Record)]
pub struct Transfer {
    /// Country calling code without `+`; may be empty when `phone` is `+225...`.
    pub prefix: String,
    /// National number, or a full `+2250701020304` number with an empty prefix.
    pub phone: String,
    /// Whole XOF.
    pub amount: i64,
    /// Absolute http(s) URL that CinetPay notifies when the payout is final.
    pub notify_url: String,
    /// The merchant's idempotency key; generated (and returned in the result) when null.
    #[uniffi(default)]
    pub client_transaction_id: Option<String>,
    /// Operator code (`OM`, `MOMO`, `WAVECI`, ...); detected from the number when null.
    #[uniffi(default)]
    pub payment_method: Option<String>,
    /// Payee first name, used by `pay` when it registers the contact.
    #[uniffi(default)]
    pub name: Option<String>,
    /// Payee last name, used by `pay` when it registers the contact.
    #[uniffi(default)]
    pub surname: Option<String>,
    /// Payee e-mail, used by `pay` when it registers the contact.
    #[uniffi(default)]
    pub email: Option<String>,
}

/// Whether the service took a payout.
#[uniffi::remote(Enum)]
pub enum SendOutcome {
    /// The service recorded the payout; follow it with `transferStatus`.
    Accepted,
    /// The payout was not made and no money left; `error` says why.
    Failed,
    /// It could not be told whether the service recorded it: look it up before sending again.
    Unknown,
}

// Hand copy: `error` is the core's `Error`, carried as an `ErrorDetails` record.
/// The result of one payout of a `send` or `pay` call, in input order.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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
    /// Processing status reported with the answer (usually `New`).
    pub treatment_status: Option<TreatmentStatus>,
    /// Why the payout failed, or why its outcome is unknown.
    pub error: Option<ErrorDetails>,
}

impl From<core::SendResult> for SendResult {
    fn from(r: core::SendResult) -> Self {
        SendResult {
            error: r.error.as_ref().map(ErrorDetails::from),
            client_transaction_id: r.client_transaction_id,
            prefix: r.prefix,
            phone: r.phone,
            amount: r.amount,
            outcome: r.outcome,
            transaction_id: r.transaction_id,
            lot: r.lot,
            treatment_status: r.treatment_status.map(Into::into),
        }
    }
}

// Hand copy: the core's `Unknown(String)` is a tuple variant, whose field uniffi would call `v1`
// (Kotlin `Unknown(v1)`), not `raw`.
/// Where a transfer is in CinetPay's processing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, uniffi::Enum)]
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
    Unknown { raw: String },
}

impl From<core::TreatmentStatus> for TreatmentStatus {
    fn from(s: core::TreatmentStatus) -> Self {
        match s {
            core::TreatmentStatus::New => TreatmentStatus::New,
            core::TreatmentStatus::Rec => TreatmentStatus::Rec,
            core::TreatmentStatus::Nos => TreatmentStatus::Nos,
            core::TreatmentStatus::Val => TreatmentStatus::Val,
            core::TreatmentStatus::Rej => TreatmentStatus::Rej,
            core::TreatmentStatus::Unknown(raw) => TreatmentStatus::Unknown { raw },
        }
    }
}

impl TreatmentStatus {
    fn to_core(&self) -> core::TreatmentStatus {
        match self {
            TreatmentStatus::New => core::TreatmentStatus::New,
            TreatmentStatus::Rec => core::TreatmentStatus::Rec,
            TreatmentStatus::Nos => core::TreatmentStatus::Nos,
            TreatmentStatus::Val => core::TreatmentStatus::Val,
            TreatmentStatus::Rej => core::TreatmentStatus::Rej,
            TreatmentStatus::Unknown { raw } => core::TreatmentStatus::Unknown(raw.clone()),
        }
    }
}

#[uniffi::export]
impl TreatmentStatus {
    /// The wire value (`"NEW"`, `"VAL"`, or the unknown value as sent).
    pub fn wire_value(&self) -> String {
        self.to_core().as_str().to_owned()
    }

    /// True for `Val` and `Rej`: nothing will change any more.
    pub fn is_final(&self) -> bool {
        self.to_core().is_final()
    }
}

// Hand copy: `Unknown { raw }`, as `TreatmentStatus`.
/// Whether the merchant's confirmation of a transfer is in (`sending_status`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum SendingStatus {
    /// `CONFIRM`: confirmed, on its way.
    Confirm,
    /// `PENDING`: waiting for the merchant's e-mail confirmation.
    Pending,
    /// A value this SDK does not know yet, kept as sent.
    Unknown { raw: String },
}

impl From<core::SendingStatus> for SendingStatus {
    fn from(s: core::SendingStatus) -> Self {
        match s {
            core::SendingStatus::Confirm => SendingStatus::Confirm,
            core::SendingStatus::Pending => SendingStatus::Pending,
            core::SendingStatus::Unknown(raw) => SendingStatus::Unknown { raw },
        }
    }
}

#[uniffi::export]
impl SendingStatus {
    /// The wire value (`"CONFIRM"`, `"PENDING"`, or the unknown value as sent).
    pub fn wire_value(&self) -> String {
        match self {
            SendingStatus::Confirm => "CONFIRM".to_owned(),
            SendingStatus::Pending => "PENDING".to_owned(),
            SendingStatus::Unknown { raw } => raw.clone(),
        }
    }
}

// Hand copy: its statuses are the hand copies above.
/// The state of one transfer, as `transferStatus` reports it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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
    /// Processing state; final when `Val` or `Rej`.
    pub treatment_status: TreatmentStatus,
    /// Free text from the service or operator.
    pub comment: Option<String>,
    /// When the transfer was validated (`"2018-06-27 12:53:26"`), as sent.
    pub validated_at: Option<String>,
    /// The operator's own reference, when sent.
    pub operator_transaction_id: Option<String>,
}

impl From<core::TransferInfo> for TransferInfo {
    fn from(i: core::TransferInfo) -> Self {
        TransferInfo {
            transaction_id: i.transaction_id,
            client_transaction_id: i.client_transaction_id,
            lot: i.lot,
            amount: i.amount,
            receiver: i.receiver,
            receiver_e164: i.receiver_e164,
            operator: i.operator,
            sending_status: i.sending_status.map(Into::into),
            transfer_valid: i.transfer_valid,
            treatment_status: i.treatment_status.into(),
            comment: i.comment,
            validated_at: i.validated_at,
            operator_transaction_id: i.operator_transaction_id,
        }
    }
}

// Hand copy: the core's variants are tuple variants (uniffi would name their field `v1`), and
// `TransferInfo` is one.
/// What the service holds under a payout's `clientTransactionId`, compared with that payout
/// (`Client.lookUp`, the core's `PayoutLookup` and its rule).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum PayoutLookup {
    /// The service holds this payout (same number and amount) under the id.
    Found { transfer: TransferInfo },
    /// The service holds a different payout under the id: the id is taken.
    Conflict { transfer: TransferInfo },
    /// The service shows no payout under the id. Right after a request that may have been
    /// processed this proves nothing: a payout being recorded may not be visible yet.
    NotFound,
}

impl From<core::PayoutLookup> for PayoutLookup {
    fn from(found: core::PayoutLookup) -> Self {
        match found {
            core::PayoutLookup::Found(info) => PayoutLookup::Found {
                transfer: info.into(),
            },
            core::PayoutLookup::Conflict(info) => PayoutLookup::Conflict {
                transfer: info.into(),
            },
            core::PayoutLookup::NotFound => PayoutLookup::NotFound,
        }
    }
}

// Hand copy: the core's variants are tuple variants (uniffi would name their field `v1`).
/// Which transfers `transferStatus` asks about: exactly one id.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum TransferQuery {
    /// CinetPay's id.
    TransactionId { id: String },
    /// The merchant's id.
    ClientTransactionId { id: String },
    /// Every transfer of a batch.
    Lot { lot: String },
}

impl From<TransferQuery> for core::TransferQuery {
    fn from(q: TransferQuery) -> Self {
        match q {
            TransferQuery::TransactionId { id } => core::TransferQuery::TransactionId(id),
            TransferQuery::ClientTransactionId { id } => core::TransferQuery::ClientTransactionId(id),
            TransferQuery::Lot { lot } => core::TransferQuery::Lot(lot),
        }
    }
}

// Hand copy: `countries` is a `BTreeMap` in the core, and uniffi carries only `HashMap`.
/// The transfer balance (separate from the collection balance).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Balance {
    /// Total, whole XOF.
    pub amount: i64,
    /// Held for payouts being processed.
    pub in_using: i64,
    /// What can be sent now.
    pub available: i64,
    /// Per-country breakdown keyed by ISO code (`"CI"`), empty when the service sends none.
    pub countries: HashMap<String, CountryBalance>,
}

/// The balance of one country.
#[uniffi::remote(Record)]
pub struct CountryBalance {
    /// What can be sent now to this country.
    pub available: i64,
    /// Total, when sent.
    pub amount: Option<i64>,
    /// Held for payouts being processed, when sent.
    pub in_using: Option<i64>,
}

impl From<core::Balance> for Balance {
    fn from(b: core::Balance) -> Self {
        Balance {
            amount: b.amount,
            in_using: b.in_using,
            available: b.available,
            countries: b.countries.into_iter().collect(),
        }
    }
}

// Hand copy: its `treatment_status` is the hand copy above.
/// The fields of a transfer notification, as posted: unverified until `confirmNotification`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Notification {
    /// CinetPay's id: the one thing used to re-query the transfer.
    pub transaction_id: String,
    /// The merchant's id, as claimed by the body.
    #[uniffi(default)]
    pub client_transaction_id: Option<String>,
    /// Batch number.
    #[uniffi(default)]
    pub lot: Option<String>,
    /// Amount claimed by the body, whole XOF.
    #[uniffi(default)]
    pub amount: Option<i64>,
    /// Payee number.
    #[uniffi(default)]
    pub receiver: Option<String>,
    /// `CONFIRM` / `PENDING`, as sent.
    #[uniffi(default)]
    pub sending_status: Option<String>,
    /// Processing status claimed by the body.
    #[uniffi(default)]
    pub treatment_status: Option<TreatmentStatus>,
    /// Free text.
    #[uniffi(default)]
    pub comment: Option<String>,
    /// Operator's reference.
    #[uniffi(default)]
    pub operator_transaction_id: Option<String>,
    /// Operator (older notifications).
    #[uniffi(default)]
    pub operator: Option<String>,
    /// Validation time, as sent.
    #[uniffi(default)]
    pub validated_at: Option<String>,
}

impl From<core::Notification> for Notification {
    fn from(n: core::Notification) -> Self {
        Notification {
            transaction_id: n.transaction_id,
            client_transaction_id: n.client_transaction_id,
            lot: n.lot,
            amount: n.amount,
            receiver: n.receiver,
            sending_status: n.sending_status,
            treatment_status: n.treatment_status.map(Into::into),
            comment: n.comment,
            operator_transaction_id: n.operator_transaction_id,
            operator: n.operator,
            validated_at: n.validated_at,
        }
    }
}

impl From<Notification> for core::Notification {
    fn from(n: Notification) -> Self {
        core::Notification {
            transaction_id: n.transaction_id,
            client_transaction_id: n.client_transaction_id,
            lot: n.lot,
            amount: n.amount,
            receiver: n.receiver,
            sending_status: n.sending_status,
            treatment_status: n.treatment_status.as_ref().map(TreatmentStatus::to_core),
            comment: n.comment,
            operator_transaction_id: n.operator_transaction_id,
            operator: n.operator,
            validated_at: n.validated_at,
        }
    }
}

// Hand copy: the core's `Transfer(Notification)` is a tuple variant (uniffi would name its field
// `v1`).
/// What arrived at a notify URL.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum NotificationEvent {
    /// A bare request with no data: answer 200, nothing to do.
    Ping,
    /// A transfer notification, to confirm with `confirmNotification` before trusting it.
    Transfer { notification: Notification },
}

impl From<core::NotificationEvent> for NotificationEvent {
    fn from(e: core::NotificationEvent) -> Self {
        match e {
            core::NotificationEvent::Ping => NotificationEvent::Ping,
            core::NotificationEvent::Transfer(n) => NotificationEvent::Transfer {
                notification: n.into(),
            },
        }
    }
}

// Hand copy: the core's `body` is a `&'static str`.
/// What to answer a request to the notify URL, decided by the core (the same rule in every
/// language): `status` 200 (a ping, or confirmed), 400 (unreadable, or disagrees with the
/// service), 413 (body over 64 KiB), 503 (the service does not show the transfer final yet, or
/// could not be asked: CinetPay posts it again later). For a JVM server that serves the notify
/// URL; an app never does.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NotificationReply {
    /// The HTTP status to answer (an `Int`, like `ErrorDetails.httpStatus`).
    pub status: i32,
    /// A short plain-text body to answer with.
    pub body: String,
    /// Why, in a sentence, for the merchant's logs (not meant for CinetPay).
    pub reason: String,
    /// The notification as posted, when the body was read as one.
    pub notification: Option<Notification>,
    /// Only with status 200: the service's view of the final transfer, agreeing with the
    /// notification. Handle it (idempotently: the same notification may come again) before
    /// answering; if that fails, answer 500 so that CinetPay posts it again.
    pub transfer: Option<TransferInfo>,
}

impl From<core::NotificationReply> for NotificationReply {
    fn from(r: core::NotificationReply) -> Self {
        NotificationReply {
            status: r.status.into(),
            body: r.body.to_owned(),
            reason: r.reason,
            notification: r.notification.map(Into::into),
            transfer: r.transfer.map(Into::into),
        }
    }
}

/// Reads a request to the notify URL: its form-encoded body, then its method (`POST` unless
/// given; a `GET` is a ping). The order of Python's `parse_notification(data, method)` and Node's
/// `parseNotification(input, method)` (ADR 6); before issue 12 it was `(method, body)`.
#[uniffi::export(default(method = "POST"))]
pub fn parse_notification(body: String, method: String) -> Result<NotificationEvent, CinetPayError> {
    Ok(core::NotificationEvent::from_request(body.as_bytes(), &method)?.into())
}

/// Reads already-decoded form fields (e.g. a web framework's parameters). No field is a ping.
#[uniffi::export]
pub fn parse_notification_fields(
    fields: HashMap<String, String>,
) -> Result<NotificationEvent, CinetPayError> {
    Ok(core::NotificationEvent::from_fields(fields, "POST")?.into())
}
