//! The plain JavaScript objects of the API and their conversions to and from the core's types.
//!
//! Inputs are `#[napi(object)]` structs with optional fields (`field?: T`); results use
//! `use_nullable` so every documented key is always present, `null` when the service sent nothing,
//! which makes results stable to destructure and to compare in tests. Names are camelCase on the JS
//! side (napi renames the fields).
//!
//! Numbers: JavaScript has only doubles, so amounts and the other whole numbers a caller gives are
//! read as `f64` and checked here to be safe integers. Letting napi truncate `500.5` to `500`
//! would move money the caller did not ask for; a non-integer is a validation error naming the
//! field, raised before any request (the core's own rules then apply to the integer).

use std::collections::{BTreeMap, HashMap};
use std::ops::RangeInclusive;
use std::time::Duration;

use cinetpay_transfer as core;
use cinetpay_transfer::{Error, Lang, RetryPolicy};
use napi_derive::napi;

use crate::errors::ItemError;

/// Largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A JS number that must be a whole number: `field` and `index` name it in the error.
pub fn whole(value: f64, field: &str, index: Option<usize>) -> core::Result<i64> {
    if value.is_finite() && value.fract() == 0.0 && value.abs() <= MAX_SAFE_INTEGER {
        Ok(value as i64)
    } else {
        Err(Error::validation(
            field,
            index,
            format!("{field} must be a whole number (a safe integer), got {value}"),
        ))
    }
}

/// A whole, non-negative number of milliseconds.
fn millis(value: f64, field: &str) -> core::Result<Duration> {
    let n = whole(value, field, None)?;
    u64::try_from(n)
        .map(Duration::from_millis)
        .map_err(|_| Error::validation(field, None, format!("{field} must not be negative")))
}

/// A whole, non-negative count (`0` is passed on so that the core's own check explains it).
fn count(value: f64, field: &str) -> core::Result<usize> {
    let n = whole(value, field, None)?;
    usize::try_from(n).map_err(|_| Error::validation(field, None, format!("{field} must not be negative")))
}

/// Options of `new Client(...)`. Every timeout is finite; see the core's `Config` for defaults.
#[napi(object, object_to_js = false)]
pub struct ClientOptions {
    /// The merchant's API key.
    pub api_key: String,
    /// The merchant's API password (from the back office).
    pub password: String,
    /// Base URL; production by default, the sandbox's `baseUrl` in tests.
    pub base_url: Option<String>,
    /// Language of the service's descriptions (default `en`).
    #[napi(ts_type = "'en' | 'fr'")]
    pub lang: Option<String>,
    /// Time allowed to open a connection, ms (default 10000).
    pub connect_timeout_ms: Option<f64>,
    /// Time allowed for a request and its answer, ms (default 30000).
    pub request_timeout_ms: Option<f64>,
    /// How long a payout request that timed out may still be running at CinetPay, ms, counted
    /// from when it was sent: nothing of it is sent again before (default 90000).
    pub processing_window_ms: Option<f64>,
    /// Attempts of idempotent calls, the first included (default 3; 1 disables retries).
    pub max_attempts: Option<f64>,
    /// Wait before the second attempt, ms; doubles each time (default 200).
    pub initial_backoff_ms: Option<f64>,
    /// Upper bound of any wait between attempts, ms (default 5000).
    pub max_backoff_ms: Option<f64>,
    /// Payouts or contacts per request (default 50).
    pub chunk_size: Option<f64>,
    /// Requests of one call in flight at once (default 4).
    pub max_concurrency: Option<f64>,
    /// Where processes share their token (one login for all of them): `redis://host:6379/0`.
    /// Without it, each client logs in on its own.
    pub token_store: Option<String>,
    /// Amount and phone rules checked before any request leaves (the core's defaults otherwise).
    pub limits: Option<Limits>,
}

/// The rules of one calling code (`Limits.countries`).
#[napi(object, object_to_js = false)]
pub struct CountryRule {
    /// ISO 3166 code (`'CI'`).
    pub iso: String,
    /// `[min, max]` digits of a national number.
    #[napi(ts_type = "[number, number]")]
    pub national_digits: Vec<f64>,
    /// Smallest payout, whole XOF.
    pub min_amount: f64,
}

/// Amount and phone rules (`new Client({ limits })`). A field left out keeps the core's default;
/// each entry of `countries` replaces or adds the rule of its calling code (`'225'`), the others
/// keep theirs. The core checks the values when the client is built: a bad one is a
/// `ValidationError` naming its path (`field: 'limits.maxAmount'`).
#[napi(object, object_to_js = false)]
pub struct Limits {
    /// Rules by calling code.
    pub countries: Option<HashMap<String, CountryRule>>,
    /// Minimum for a calling code with no rule, XOF.
    pub default_min_amount: Option<f64>,
    /// Largest payout, XOF.
    pub max_amount: Option<f64>,
    /// Amounts must be a multiple of this (1: any amount).
    pub amount_multiple: Option<f64>,
    /// `[min, max]` digits of a national number for a calling code with no rule.
    #[napi(ts_type = "[number, number]")]
    pub default_national_digits: Option<Vec<f64>>,
}

/// `[min, max]` as a range of digit counts (the core judges the values).
fn digits(pair: &[f64], field: &str) -> core::Result<RangeInclusive<usize>> {
    match pair {
        [min, max] => Ok(count(*min, field)?..=count(*max, field)?),
        _ => Err(Error::validation(
            field,
            None,
            format!("{field} must be [min, max]"),
        )),
    }
}

impl Limits {
    /// The core's defaults with the fields given; only JS types are checked here.
    fn to_core(&self) -> core::Result<core::Limits> {
        let mut limits = core::Limits::default();
        if let Some(n) = self.default_min_amount {
            limits.default_min_amount = whole(n, "limits.default_min_amount", None)?;
        }
        if let Some(n) = self.max_amount {
            limits.max_amount = whole(n, "limits.max_amount", None)?;
        }
        if let Some(n) = self.amount_multiple {
            limits.amount_multiple = whole(n, "limits.amount_multiple", None)?;
        }
        if let Some(pair) = &self.default_national_digits {
            limits.default_national_digits = digits(pair, "limits.default_national_digits")?;
        }
        for (prefix, rule) in self.countries.iter().flatten() {
            let field = |name: &str| format!("limits.countries.{prefix}.{name}");
            let rule = core::CountryRule {
                iso: rule.iso.clone(),
                national_digits: digits(&rule.national_digits, &field("national_digits"))?,
                min_amount: whole(rule.min_amount, &field("min_amount"), None)?,
            };
            limits.countries.insert(prefix.clone(), rule);
        }
        Ok(limits)
    }
}

impl ClientOptions {
    /// Builds the core client (no request is made).
    pub fn build(self) -> core::Result<core::Client> {
        let retry = self.retry()?;
        let mut builder = core::Client::builder()
            .credentials(self.api_key, self.password)
            .retry(retry);
        if let Some(url) = self.base_url {
            builder = builder.base_url(url);
        }
        if let Some(lang) = self.lang {
            builder = builder.lang(Lang::parse(&lang)?);
        }
        if let Some(limits) = &self.limits {
            builder = builder.limits(limits.to_core()?);
        }
        if let Some(ms) = self.connect_timeout_ms {
            builder = builder.connect_timeout(millis(ms, "connectTimeoutMs")?);
        }
        if let Some(ms) = self.request_timeout_ms {
            builder = builder.request_timeout(millis(ms, "requestTimeoutMs")?);
        }
        if let Some(ms) = self.processing_window_ms {
            builder = builder.processing_window(millis(ms, "processingWindowMs")?);
        }
        if let Some(n) = self.chunk_size {
            builder = builder.chunk_size(count(n, "chunkSize")?);
        }
        if let Some(n) = self.max_concurrency {
            builder = builder.max_concurrency(count(n, "maxConcurrency")?);
        }
        if let Some(url) = self.token_store {
            builder = builder.token_store_url(&url);
        }
        builder.build()
    }

    fn retry(&self) -> core::Result<RetryPolicy> {
        let mut policy = RetryPolicy::default();
        if let Some(n) = self.max_attempts {
            policy.max_attempts = u32::try_from(count(n, "maxAttempts")?)
                .map_err(|_| Error::validation("maxAttempts", None, "maxAttempts is too large"))?;
        }
        if let Some(ms) = self.initial_backoff_ms {
            policy.initial_backoff = millis(ms, "initialBackoffMs")?;
        }
        if let Some(ms) = self.max_backoff_ms {
            policy.max_backoff = millis(ms, "maxBackoffMs")?;
        }
        Ok(policy)
    }
}

/// A payee to register before money can be sent to them.
#[napi(object, object_to_js = false)]
pub struct Contact {
    /// Country calling code without `+` (`"225"`); omit it when `phone` is `+225...`.
    pub prefix: Option<String>,
    /// National number, digits only, or a full `+2250701020304` number.
    pub phone: String,
    /// First name.
    pub name: String,
    /// Last name.
    pub surname: String,
    /// E-mail address (may be omitted).
    pub email: Option<String>,
}

impl From<Contact> for core::Contact {
    fn from(c: Contact) -> Self {
        core::Contact {
            prefix: c.prefix.unwrap_or_default(),
            phone: c.phone,
            name: c.name,
            surname: c.surname,
            email: c.email.unwrap_or_default(),
        }
    }
}

/// What the service said about one contact of an `addContacts` call.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct ContactResult {
    /// Country calling code, as sent.
    pub prefix: String,
    /// National number, as sent.
    pub phone: String,
    /// True when the contact exists now (added by this call, or before).
    pub added: bool,
    /// True when the service said the contact already existed (726).
    pub already_existed: bool,
    /// The item's response code (0, 726, or an error code).
    pub code: i64,
    /// The batch number the service gave, if any.
    pub lot: Option<String>,
    /// Why the item was refused, when `added` is false.
    pub error: Option<ItemError>,
}

impl From<core::ContactResult> for ContactResult {
    fn from(r: core::ContactResult) -> Self {
        ContactResult {
            error: r.error.as_ref().map(ItemError::from),
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
#[napi(object, object_to_js = false)]
pub struct Transfer {
    /// Country calling code without `+`; omit it when `phone` is `+225...`.
    pub prefix: Option<String>,
    /// National number, or a full `+2250701020304` number.
    pub phone: String,
    /// Whole XOF (an integer: `500.5` is refused before anything is sent).
    pub amount: f64,
    /// Absolute http(s) URL that CinetPay notifies when the payout is final.
    pub notify_url: String,
    /// Your idempotency key, unique for ever; generated (and returned) when omitted.
    pub client_transaction_id: Option<String>,
    /// Operator code (`OM`, `MOMO`, `WAVECI`, ...); detected from the number when omitted.
    pub payment_method: Option<String>,
    /// Payee first name, used by `pay` when it registers the contact.
    pub name: Option<String>,
    /// Payee last name, used by `pay` when it registers the contact.
    pub surname: Option<String>,
    /// Payee e-mail, used by `pay` when it registers the contact.
    pub email: Option<String>,
}

impl Transfer {
    /// The core transfer; `index` is the item's position, named in a validation error.
    pub fn into_core(self, index: usize) -> core::Result<core::Transfer> {
        Ok(core::Transfer {
            prefix: self.prefix.unwrap_or_default(),
            phone: self.phone,
            amount: whole(self.amount, "amount", Some(index))?,
            notify_url: self.notify_url,
            client_transaction_id: self.client_transaction_id,
            payment_method: self.payment_method,
            name: self.name,
            surname: self.surname,
            email: self.email,
        })
    }
}

/// The result of one payout of a `send` or `pay` call, in input order.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct SendResult {
    /// The idempotency key: yours, or the one generated for this item.
    pub client_transaction_id: String,
    /// Country calling code, normalised.
    pub prefix: String,
    /// National number, normalised.
    pub phone: String,
    /// Whole XOF.
    pub amount: i64,
    /// `accepted`: recorded by the service; `failed`: not made, no money left (see `error`);
    /// `unknown`: could not be told, look it up before sending again.
    #[napi(ts_type = "SendOutcome")]
    pub outcome: String,
    /// CinetPay's id of the transfer, when accepted.
    pub transaction_id: Option<String>,
    /// CinetPay's batch number, when accepted.
    pub lot: Option<String>,
    /// Processing status reported with the answer (usually `NEW`).
    #[napi(ts_type = "TreatmentStatus")]
    pub treatment_status: Option<String>,
    /// Why the payout failed, or why its outcome is unknown.
    pub error: Option<ItemError>,
}

impl From<core::SendResult> for SendResult {
    fn from(r: core::SendResult) -> Self {
        let outcome = match r.outcome {
            core::SendOutcome::Accepted => "accepted",
            core::SendOutcome::Failed => "failed",
            core::SendOutcome::Unknown => "unknown",
        };
        SendResult {
            error: r.error.as_ref().map(ItemError::from),
            client_transaction_id: r.client_transaction_id,
            prefix: r.prefix,
            phone: r.phone,
            amount: r.amount,
            outcome: outcome.to_owned(),
            transaction_id: r.transaction_id,
            lot: r.lot,
            treatment_status: r.treatment_status.map(|s| s.as_str().to_owned()),
        }
    }
}

/// Which transfers `transferStatus` asks about: exactly one of the three ids.
#[napi(object, object_to_js = false)]
pub struct TransferQuery {
    /// CinetPay's id.
    pub transaction_id: Option<String>,
    /// Your id.
    pub client_transaction_id: Option<String>,
    /// Every transfer of a batch.
    pub lot: Option<String>,
}

impl TransferQuery {
    /// The core's query of exactly one id (its rule and its error, `field: 'transactionId'`).
    pub fn to_core(self) -> core::Result<core::TransferQuery> {
        core::TransferQuery::one_of(self.transaction_id, self.client_transaction_id, self.lot)
    }
}

/// What the service holds under a payout's `clientTransactionId`, compared with that payout
/// (`Client.lookUp`, the core's `PayoutLookup`).
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct PayoutLookup {
    /// `found`: the service holds this payout (same number and amount) under the id;
    /// `conflict`: it holds a different payout under it (the id is taken); `not_found`: nothing
    /// under the id, which right after a request that may have been processed proves nothing (a
    /// payout being recorded may not be visible yet).
    #[napi(ts_type = "'found' | 'conflict' | 'not_found'")]
    pub status: String,
    /// What the service holds under the id; absent when `not_found`.
    pub transfer: Option<TransferInfo>,
}

impl From<core::PayoutLookup> for PayoutLookup {
    fn from(found: core::PayoutLookup) -> Self {
        let (status, transfer) = match found {
            core::PayoutLookup::Found(info) => ("found", Some(info.into())),
            core::PayoutLookup::Conflict(info) => ("conflict", Some(info.into())),
            core::PayoutLookup::NotFound => ("not_found", None),
        };
        Self {
            status: status.to_owned(),
            transfer,
        }
    }
}

/// The state of one transfer, as the service reports it.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct TransferInfo {
    /// CinetPay's id.
    pub transaction_id: String,
    /// Your id.
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
    /// Merchant confirmation state (`CONFIRM`, `PENDING`).
    #[napi(ts_type = "SendingStatus")]
    pub sending_status: Option<String>,
    /// `transfer_valid`: `Y` as true, `N` as false.
    pub transfer_valid: Option<bool>,
    /// Processing state; final when `VAL` or `REJ`.
    #[napi(ts_type = "TreatmentStatus")]
    pub treatment_status: String,
    /// True when `treatmentStatus` is final (`VAL` or `REJ`): nothing will change any more.
    pub is_final: bool,
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
            is_final: i.treatment_status.is_final(),
            treatment_status: i.treatment_status.as_str().to_owned(),
            sending_status: i.sending_status.map(|s| s.as_str().to_owned()),
            transaction_id: i.transaction_id,
            client_transaction_id: i.client_transaction_id,
            lot: i.lot,
            amount: i.amount,
            receiver: i.receiver,
            receiver_e164: i.receiver_e164,
            operator: i.operator,
            transfer_valid: i.transfer_valid,
            comment: i.comment,
            validated_at: i.validated_at,
            operator_transaction_id: i.operator_transaction_id,
        }
    }
}

/// A token to hand to a caller the merchant's backend authenticated, as the addon returns it;
/// `ts/index.ts` wraps it in `IssuedToken`, whose inspection hides the token.
#[napi(object, object_from_js = false)]
pub struct NativeIssuedToken {
    /// The token.
    pub token: String,
    /// When the client renews it, ms since the Unix epoch.
    pub expires_at_ms: f64,
}

impl From<core::IssuedToken> for NativeIssuedToken {
    fn from(t: core::IssuedToken) -> Self {
        let ms = t
            .expires_at
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_millis() as f64);
        NativeIssuedToken {
            token: t.token.expose().to_owned(),
            expires_at_ms: ms,
        }
    }
}

/// The transfer balance (separate from the collection balance), whole XOF.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Balance {
    /// Total.
    pub amount: i64,
    /// Held for payouts being processed.
    pub in_using: i64,
    /// What can be sent now.
    pub available: i64,
    /// Per-country breakdown keyed by ISO code (`"CI"`); empty when the service sends none.
    pub countries: BTreeMap<String, CountryBalance>,
}

/// The balance of one country, whole XOF.
#[napi(object, object_from_js = false, use_nullable = true)]
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
            countries: b
                .countries
                .into_iter()
                .map(|(iso, c)| {
                    let country = CountryBalance {
                        available: c.available,
                        amount: c.amount,
                        in_using: c.in_using,
                    };
                    (iso, country)
                })
                .collect(),
        }
    }
}

/// A bare request to the notify URL (a GET, or a POST without data): answer 200, nothing to do.
#[napi(object)]
pub struct Ping {
    /// Always `"ping"`.
    #[napi(js_name = "type", ts_type = "'ping'")]
    pub kind: String,
}

/// A transfer notification as posted to the notify URL: UNVERIFIED claims (there is no
/// signature). Confirm it with `client.confirmNotification(n)` before acting on it.
#[napi(object, use_nullable = true)]
pub struct Notification {
    /// Always `"notification"`.
    #[napi(js_name = "type", ts_type = "'notification'")]
    pub kind: String,
    /// CinetPay's id: the one thing used to re-query the transfer.
    pub transaction_id: String,
    /// Your id, as claimed by the body.
    pub client_transaction_id: Option<String>,
    /// Batch number.
    pub lot: Option<String>,
    /// Amount claimed by the body, whole XOF.
    pub amount: Option<i64>,
    /// Payee number.
    pub receiver: Option<String>,
    /// `CONFIRM` / `PENDING`, as sent.
    #[napi(ts_type = "SendingStatus")]
    pub sending_status: Option<String>,
    /// Processing status claimed by the body.
    #[napi(ts_type = "TreatmentStatus")]
    pub treatment_status: Option<String>,
    /// Free text.
    pub comment: Option<String>,
    /// Operator's reference.
    pub operator_transaction_id: Option<String>,
    /// Operator (older notifications).
    pub operator: Option<String>,
    /// Validation time, as sent.
    pub validated_at: Option<String>,
}

impl From<core::Notification> for Notification {
    fn from(n: core::Notification) -> Self {
        Notification {
            kind: "notification".to_owned(),
            transaction_id: n.transaction_id,
            client_transaction_id: n.client_transaction_id,
            lot: n.lot,
            amount: n.amount,
            receiver: n.receiver,
            sending_status: n.sending_status,
            treatment_status: n.treatment_status.map(|s| s.as_str().to_owned()),
            comment: n.comment,
            operator_transaction_id: n.operator_transaction_id,
            operator: n.operator,
            validated_at: n.validated_at,
        }
    }
}

/// What to answer a request to the notify URL, decided by the core (the same rule in every
/// language): `status` 200 (ping, or confirmed), 400 (unreadable, or disagrees with the service),
/// 413 (body over 64 KiB), 503 (the service does not show the transfer final yet, or could not be
/// asked: CinetPay posts it again later).
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct NotificationReply {
    /// The HTTP status to answer.
    pub status: u32,
    /// A short plain-text body to answer with.
    pub body: String,
    /// Why, for your logs (not meant for CinetPay).
    pub reason: String,
    /// The notification as posted, when the body was read as one.
    pub notification: Option<Notification>,
    /// Only with status 200: the service's view of the final transfer, agreeing with the
    /// notification. Handle it (idempotently) before answering; if that fails, answer 500.
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

impl From<Notification> for core::Notification {
    fn from(n: Notification) -> Self {
        core::Notification {
            transaction_id: n.transaction_id,
            client_transaction_id: n.client_transaction_id,
            lot: n.lot,
            amount: n.amount,
            receiver: n.receiver,
            sending_status: n.sending_status,
            treatment_status: n.treatment_status.map(|s| core::TreatmentStatus::parse(&s)),
            comment: n.comment,
            operator_transaction_id: n.operator_transaction_id,
            operator: n.operator,
            validated_at: n.validated_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_must_be_safe_integers() {
        assert_eq!(whole(500.0, "amount", Some(0)).unwrap(), 500);
        for bad in [500.5, f64::NAN, f64::INFINITY, 9_007_199_254_740_992.0] {
            let err = whole(bad, "amount", Some(2)).unwrap_err();
            assert_eq!(err.field(), Some("amount"));
            assert_eq!(err.index(), Some(2));
        }
    }
}
