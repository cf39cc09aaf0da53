//! Input checks that run before any request leaves the machine.
//!
//! A payout refused by the service costs a round trip and, worse, can leave a half-sent batch.
//! Every list is checked whole first; the first fault found is reported with the field and the
//! item's index. Checking also normalises: `+2250701020304` becomes prefix `225` and phone
//! `0701020304`, spaces and dashes are dropped, a missing `client_transaction_id` is generated.

use std::collections::HashSet;

use crate::error::{Error, Result};
use crate::i18n::Message;
use crate::limits::Limits;
use crate::model::{Contact, Transfer};

/// A transfer that passed every check, normalised, with its idempotency key fixed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CheckedTransfer {
    pub prefix: String,
    pub phone: String,
    pub amount: i64,
    pub notify_url: String,
    pub client_transaction_id: String,
    pub payment_method: Option<String>,
}

/// Every fault of every transfer, in input order, each naming its field and item; empty when the
/// list can be sent. For callers that report all mistakes at once (a CSV file with many rows).
pub fn validate_transfers(transfers: &[Transfer], limits: &Limits) -> Vec<Error> {
    let mut faults = Vec::new();
    check_each_transfer(TransferChecker::judging_only(limits), transfers, &mut faults);
    faults
}

/// Every fault of every contact, in input order; empty when the list can be sent.
pub fn validate_contacts(contacts: &[Contact], limits: &Limits) -> Vec<Error> {
    let mut faults = Vec::new();
    check_each_contact(contacts, limits, &mut faults);
    faults
}

/// Checks and normalises a list of transfers; the first fault is the error. Generated ids are
/// unique (UUID v4).
pub(crate) fn check_transfers(transfers: &[Transfer], limits: &Limits) -> Result<Vec<CheckedTransfer>> {
    let mut faults = Vec::new();
    let checked = check_each_transfer(TransferChecker::new(limits), transfers, &mut faults);
    first_fault_or(faults, checked)
}

fn first_fault_or<T>(faults: Vec<Error>, checked: T) -> Result<T> {
    match faults.into_iter().next() {
        Some(fault) => Err(fault),
        None => Ok(checked),
    }
}

/// Keeps the value of a check, or records its fault.
fn keep<T>(check: Result<T>, faults: &mut Vec<Error>) -> Option<T> {
    check.map_err(|fault| faults.push(fault)).ok()
}

/// Runs every check on every transfer, recording all faults; returns the items that passed.
fn check_each_transfer(
    mut checker: TransferChecker<'_>,
    transfers: &[Transfer],
    faults: &mut Vec<Error>,
) -> Vec<CheckedTransfer> {
    if transfers.is_empty() {
        faults.push(Error::invalid("transfers", None, Message::new("no-transfers")));
    }
    transfers
        .iter()
        .enumerate()
        .filter_map(|(index, t)| checker.check(index, t, faults))
        .collect()
}

/// Checks transfers one at a time, keeping what the rules over the whole list need: the ids seen
/// (an id twice in one call is a fault). One checker per call, so that a call read a chunk at a
/// time (`crate::streaming`) is judged exactly as a slice.
pub(crate) struct TransferChecker<'l> {
    limits: &'l Limits,
    seen: HashSet<String>,
    /// The id a transfer without one is checked under.
    missing_id: fn() -> String,
}

impl<'l> TransferChecker<'l> {
    /// A checker for transfers about to be sent: a missing id is generated (UUID v4).
    pub(crate) fn new(limits: &'l Limits) -> Self {
        Self::with_missing_id(limits, generated_id)
    }

    /// A checker whose checked transfers are thrown away (only the faults count): a missing id
    /// is left empty, not generated (a random UUID costs a system call per transfer).
    fn judging_only(limits: &'l Limits) -> Self {
        Self::with_missing_id(limits, String::new)
    }

    fn with_missing_id(limits: &'l Limits, missing_id: fn() -> String) -> Self {
        TransferChecker {
            limits,
            seen: HashSet::new(),
            missing_id,
        }
    }

    /// Checks the transfer at `index`, recording its faults; returns it checked when it has none.
    /// A missing `client_transaction_id` is generated (UUID v4).
    pub(crate) fn check(
        &mut self,
        index: usize,
        t: &Transfer,
        faults: &mut Vec<Error>,
    ) -> Option<CheckedTransfer> {
        let before = faults.len();
        let checked = check_one_transfer(index, t, self.limits, faults, self.missing_id);
        // A valid id counts as seen even when another field of its item is wrong; an id made up
        // for the check alone is nobody's.
        let id = match &checked {
            Some(c) if !c.client_transaction_id.is_empty() => Some(c.client_transaction_id.clone()),
            Some(_) => None,
            None => t
                .client_transaction_id
                .as_deref()
                .and_then(|id| check_client_transaction_id(id, None).ok()),
        };
        if let Some(id) = id {
            if !self.seen.insert(id.clone()) {
                faults.push(Error::invalid(
                    "client_transaction_id",
                    Some(index),
                    Message::new("id-twice").quoted("id", &id),
                ));
            }
        }
        checked.filter(|_| faults.len() == before)
    }
}

/// A new idempotency key for a transfer given without one.
fn generated_id() -> String {
    format!("sdk-{}", uuid::Uuid::new_v4().simple())
}

/// Checks one transfer on its own (every rule but "no id twice", which needs the whole list).
/// Used again on each chunk of a call read a chunk at a time. A transfer without an id is checked
/// under `missing_id()`: the caller decides whether that is a new one, the one a first pass gave
/// it, or none (a check alone).
pub(crate) fn check_one_transfer(
    index: usize,
    t: &Transfer,
    limits: &Limits,
    faults: &mut Vec<Error>,
    missing_id: impl FnOnce() -> String,
) -> Option<CheckedTransfer> {
    let at = Some(index);
    let before = faults.len();
    let phone = keep(check_phone(&t.prefix, &t.phone, limits, at), faults);
    let prefix = phone.as_ref().map_or(t.prefix.trim(), |(p, _)| p.as_str());
    keep(check_amount(t.amount, prefix, limits, at), faults);
    keep(check_notify_url(&t.notify_url, at), faults);
    let client_transaction_id = match &t.client_transaction_id {
        Some(id) => keep(check_client_transaction_id(id, at), faults),
        None => Some(missing_id()),
    };
    let payment_method = keep(check_payment_method(t.payment_method.as_deref(), at), faults);
    match (phone, client_transaction_id, payment_method) {
        (Some((prefix, phone)), Some(id), Some(method)) if faults.len() == before => Some(CheckedTransfer {
            prefix,
            phone,
            amount: t.amount,
            notify_url: t.notify_url.trim().to_owned(),
            client_transaction_id: id,
            payment_method: method,
        }),
        _ => None,
    }
}

/// Runs every check on every contact, recording all faults; returns the items that passed.
fn check_each_contact(contacts: &[Contact], limits: &Limits, faults: &mut Vec<Error>) -> Vec<Contact> {
    if contacts.is_empty() {
        faults.push(Error::invalid("contacts", None, Message::new("no-contacts")));
    }
    contacts
        .iter()
        .enumerate()
        .filter_map(|(index, c)| check_one_contact(index, c, limits, faults))
        .collect()
}

/// Checks the contact at `index`, recording its faults; returns it normalised when it has none.
pub(crate) fn check_one_contact(
    index: usize,
    c: &Contact,
    limits: &Limits,
    faults: &mut Vec<Error>,
) -> Option<Contact> {
    let at = Some(index);
    let before = faults.len();
    let phone = keep(check_phone(&c.prefix, &c.phone, limits, at), faults);
    for (field, value) in [("name", &c.name), ("surname", &c.surname)] {
        if value.trim().is_empty() {
            faults.push(Error::invalid(
                field,
                at,
                Message::new("field-empty").text("field", field),
            ));
        }
    }
    let email = c.email.trim();
    if !email.is_empty() && !looks_like_email(email) {
        faults.push(Error::invalid(
            "email",
            at,
            Message::new("email-invalid").quoted("email", email),
        ));
    }
    match phone {
        Some((prefix, phone)) if faults.len() == before => Some(Contact {
            prefix,
            phone,
            name: c.name.trim().to_owned(),
            surname: c.surname.trim().to_owned(),
            email: email.to_owned(),
        }),
        _ => None,
    }
}

/// The contact `pay` registers for a checked payout: its names, or the phone number where the
/// payout has none (the service requires both), and its e-mail.
pub(crate) fn payee_contact(t: &Transfer, checked: &CheckedTransfer) -> Contact {
    let or_phone = |v: &Option<String>| {
        v.clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| checked.phone.clone())
    };
    Contact {
        prefix: checked.prefix.clone(),
        phone: checked.phone.clone(),
        name: or_phone(&t.name),
        surname: or_phone(&t.surname),
        email: t.email.clone().unwrap_or_default(),
    }
}

/// An operator code, upper-cased; `None` when not given.
fn check_payment_method(raw: Option<&str>, at: Option<usize>) -> Result<Option<String>> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(m) if m.chars().all(|c| c.is_ascii_alphanumeric()) => Ok(Some(m.to_ascii_uppercase())),
        Some(m) => Err(Error::invalid(
            "payment_method",
            at,
            Message::new("payment-method-invalid").quoted("method", m),
        )),
    }
}

/// Normalises a phone number into (calling code, national digits) and checks its length.
pub fn normalize_phone(prefix: &str, phone: &str, limits: &Limits) -> Result<(String, String)> {
    check_phone(prefix, phone, limits, None)
}

fn check_phone(prefix: &str, phone: &str, limits: &Limits, at: Option<usize>) -> Result<(String, String)> {
    // The number without its separators, copied a run of characters at a time: collected one
    // character at a time, it was half of this check (callgrind, issue 13; every row of a
    // payroll checks its number three times).
    let mut compact = String::with_capacity(phone.len());
    for part in phone.split([' ', '-', '.', '(', ')']) {
        compact.push_str(part);
    }
    let prefix = prefix.trim().trim_start_matches('+');
    let (prefix, national) = match compact.strip_prefix('+') {
        Some(international) => {
            let (p, rest) = if prefix.is_empty() {
                limits.split_international(international).ok_or_else(|| {
                    Error::invalid(
                        "phone",
                        at,
                        Message::new("phone-country-unknown").quoted("phone", phone),
                    )
                })?
            } else if let Some(rest) = international.strip_prefix(prefix) {
                (prefix, rest)
            } else {
                return Err(Error::invalid(
                    "phone",
                    at,
                    Message::new("phone-prefix-mismatch")
                        .quoted("phone", phone)
                        .text("prefix", prefix),
                ));
            };
            (p.to_owned(), rest.to_owned())
        }
        None => (prefix.to_owned(), compact),
    };
    if prefix.is_empty() || prefix.len() > 4 || !prefix.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::invalid(
            "prefix",
            at,
            Message::new("prefix-invalid").quoted("prefix", &prefix),
        ));
    }
    if national.is_empty() || !national.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::invalid(
            "phone",
            at,
            Message::new("phone-not-digits").quoted("phone", phone),
        ));
    }
    let digits = limits.national_digits(&prefix);
    if !digits.contains(&national.len()) {
        return Err(Error::invalid(
            "phone",
            at,
            Message::new("phone-length")
                .quoted("phone", phone)
                .count("digits", national.len())
                .text("prefix", &prefix)
                .count("min", *digits.start())
                .count("max", *digits.end()),
        ));
    }
    Ok((prefix, national))
}

fn check_amount(amount: i64, prefix: &str, limits: &Limits, at: Option<usize>) -> Result<()> {
    let min = limits.min_amount(prefix);
    let problem = if amount < min {
        Message::new("amount-below-minimum")
            .amount("min", min)
            .text("prefix", prefix)
    } else if amount > limits.max_amount {
        Message::new("amount-above-maximum").amount("max", limits.max_amount)
    } else if limits.amount_multiple > 1 && amount % limits.amount_multiple != 0 {
        Message::new("amount-multiple").amount("multiple", limits.amount_multiple)
    } else {
        return Ok(());
    };
    Err(Error::invalid("amount", at, problem.amount("amount", amount)))
}

/// The payouts of a list nearly always share one notify URL: the last one accepted is kept (per
/// thread) and a URL equal to it is not parsed again (parsing was a fifth of checking a CSV row
/// of 100,000). Whether a URL is accepted depends on the URL alone.
fn check_notify_url(raw: &str, at: Option<usize>) -> Result<()> {
    thread_local! {
        static LAST_ACCEPTED: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    if LAST_ACCEPTED.with_borrow(|last| !last.is_empty() && last == raw) {
        return Ok(());
    }
    let ok = url::Url::parse(raw.trim())
        .map(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty()))
        .unwrap_or(false);
    if ok {
        LAST_ACCEPTED.with_borrow_mut(|last| {
            last.clear();
            last.push_str(raw);
        });
        Ok(())
    } else {
        Err(Error::invalid(
            "notify_url",
            at,
            Message::new("notify-url-invalid").quoted("url", raw),
        ))
    }
}

fn check_client_transaction_id(raw: &str, at: Option<usize>) -> Result<String> {
    let id = raw.trim();
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':');
    if id.is_empty() || id.len() > 100 || !id.chars().all(allowed) {
        return Err(Error::invalid(
            "client_transaction_id",
            at,
            Message::new("client-transaction-id-invalid").quoted("id", raw),
        ));
    }
    Ok(id.to_owned())
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((user, domain)) => !user.is_empty() && domain.contains('.') && !s.contains(' '),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn transfer(phone: &str, amount: i64) -> Transfer {
        Transfer::new("225", phone, amount, "https://merchant.example/notify")
    }

    fn field_and_index(err: Error) -> (ErrorKind, Option<String>, Option<usize>) {
        (err.kind(), err.field().map(str::to_owned), err.index())
    }

    #[test]
    fn international_numbers_are_split() {
        let limits = Limits::default();
        assert_eq!(
            normalize_phone("", "+225 07 01 02 03 04", &limits).unwrap(),
            ("225".into(), "0701020304".into())
        );
        assert_eq!(
            normalize_phone("221", "+221771234567", &limits).unwrap(),
            ("221".into(), "771234567".into())
        );
        assert!(normalize_phone("221", "+225701020304", &limits).is_err());
    }

    #[test]
    fn a_notify_url_is_judged_for_every_payout_even_when_checked_once_for_a_run_of_equal_ones() {
        let with_url = |phone: &str, url: &str| Transfer::new("225", phone, 500, url);
        let transfers = [
            with_url("0701020304", "https://merchant.example/notify"),
            with_url("0701020305", "https://merchant.example/notify"),
            with_url("0701020306", "ftp://merchant.example/notify"),
            with_url("0701020307", "https://merchant.example/notify"),
            with_url("0701020308", "ftp://merchant.example/notify"),
        ];
        let mut faults = Vec::new();
        let limits = Limits::default();
        let checked = check_each_transfer(TransferChecker::new(&limits), &transfers, &mut faults);
        let at: Vec<_> = faults.into_iter().map(field_and_index).collect();
        let fault = |i| (ErrorKind::Validation, Some("notify_url".to_owned()), Some(i));
        assert_eq!(at, [fault(2), fault(4)]);
        assert_eq!(checked.len(), 3);
    }

    #[test]
    fn each_fault_names_its_field_and_item() {
        let limits = Limits::default();
        let cases: Vec<(Vec<Transfer>, &str, usize)> = vec![
            (
                vec![transfer("0701020304", 500), transfer("07010", 500)],
                "phone",
                1,
            ),
            (vec![transfer("07O1020304", 500)], "phone", 0),
            (vec![transfer("0701020304", 100)], "amount", 0),
            (vec![transfer("0701020304", 2_000_000)], "amount", 0),
            (vec![transfer("0701020304", 502)], "amount", 0),
            (
                vec![Transfer::new("225", "0701020304", 500, "ftp://x")],
                "notify_url",
                0,
            ),
            (
                vec![Transfer::new("225", "0701020304", 500, "/notify")],
                "notify_url",
                0,
            ),
            (
                vec![
                    transfer("0701020304", 500).client_transaction_id("a"),
                    transfer("0701020305", 500).client_transaction_id("a"),
                ],
                "client_transaction_id",
                1,
            ),
            (
                vec![transfer("0701020304", 500).client_transaction_id(" ")],
                "client_transaction_id",
                0,
            ),
            (
                vec![Transfer::new("22x", "0701020304", 500, "https://m.example/n")],
                "prefix",
                0,
            ),
        ];
        for (transfers, field, index) in cases {
            let err = check_transfers(&transfers, &limits).unwrap_err();
            assert_eq!(
                field_and_index(err),
                (ErrorKind::Validation, Some(field.to_owned()), Some(index)),
                "{transfers:?}"
            );
        }
    }

    #[test]
    fn limits_are_data() {
        let mut limits = Limits::default();
        assert!(check_transfers(
            &[Transfer::new("228", "90112233", 150, "http://m.example/n")],
            &limits
        )
        .is_ok());
        assert!(check_transfers(
            &[Transfer::new("237", "690112233", 300, "http://m.example/n")],
            &limits
        )
        .is_err());
        limits.countries.get_mut("237").unwrap().min_amount = 100;
        limits.amount_multiple = 1;
        assert!(check_transfers(
            &[Transfer::new("237", "690112233", 301, "http://m.example/n")],
            &limits
        )
        .is_ok());
    }

    #[test]
    fn validate_reports_every_fault_of_every_item() {
        let limits = Limits::default();
        let transfers = [
            transfer("0701020304", 500),
            Transfer::new("225", "07010", 502, "ftp://x").payment_method("O M"),
        ];
        let found: Vec<(Option<String>, Option<usize>)> = validate_transfers(&transfers, &limits)
            .into_iter()
            .map(|e| (e.field().map(str::to_owned), e.index()))
            .collect();
        let expected =
            ["phone", "amount", "notify_url", "payment_method"].map(|f| (Some(f.to_owned()), Some(1)));
        assert_eq!(found, expected);
        assert!(validate_transfers(&transfers[..1], &limits).is_empty());
    }

    #[test]
    fn missing_ids_are_generated_unique() {
        let limits = Limits::default();
        let checked = check_transfers(
            &[transfer("0701020304", 500), transfer("0701020304", 500)],
            &limits,
        )
        .unwrap();
        assert_ne!(checked[0].client_transaction_id, checked[1].client_transaction_id);
        assert!(checked[0].client_transaction_id.starts_with("sdk-"));
    }

    #[test]
    fn contacts_need_names_and_a_real_email() {
        let limits = Limits::default();
        let good = Contact {
            prefix: "225".into(),
            phone: "0701020304".into(),
            name: "Awa".into(),
            surname: "Kone".into(),
            email: "".into(),
        };
        assert!(validate_contacts(std::slice::from_ref(&good), &limits).is_empty());
        let bad = Contact {
            email: "nope".into(),
            ..good.clone()
        };
        let err = validate_contacts(&[good, bad], &limits).remove(0);
        assert_eq!(
            field_and_index(err),
            (ErrorKind::Validation, Some("email".into()), Some(1))
        );
    }
}
