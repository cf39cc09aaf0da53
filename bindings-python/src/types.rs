//! Conversions between Python values and the core's types.
//!
//! Records are Python dataclasses and enums defined in `cinetpay_transfer/_models.py` (frozen,
//! typed, with a `repr`, readable by mypy without stubs); this module builds them from core values
//! and reads inputs back. Inputs may be those dataclasses or plain mappings with the same keys.
//! No field name is written here: `record!` and `from_item!` (see `records.rs`) take each from the
//! core struct, and name every field of it, so the core's records are the one list of fields.
//!
//! Python types are checked here, before the core sees anything: an amount must be an `int` (not
//! a `float`, not a `bool`) because money is never a float in this SDK; a wrong type is a
//! `ValidationError` naming the field and the item, like the core's own checks.

use std::ops::RangeInclusive;

use cinetpay_transfer::{
    Balance, Contact, ContactResult, CountryBalance, CountryRule, IssuedToken, Limits, Notification,
    NotificationEvent, NotificationReply, PayoutLookup, SendOutcome, SendResult, Transfer, TransferInfo,
    TreatmentStatus,
};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt, PyList, PyMapping, PyString, PyType};
use pyo3::IntoPyObjectExt;

use crate::errors;
use crate::records::{from_item, model, record, Enum, Record};

static TREATMENT_STATUS: Enum = Enum::new("TreatmentStatus");
static SENDING_STATUS: Enum = Enum::new("SendingStatus");
static SEND_OUTCOME: Enum = Enum::new("SendOutcome");
static LOOKUP_STATUS: Enum = Enum::new("LookupStatus");
static COUNTRY_BALANCE: Record = Record::new("CountryBalance");
static BALANCE: Record = Record::new("Balance");
static ISSUED_TOKEN: Record = Record::new("IssuedToken");
static CONTACT_RESULT: Record = Record::new("ContactResult");
static SEND_RESULT: Record = Record::new("SendResult");
static TRANSFER_INFO: Record = Record::new("TransferInfo");
static PAYOUT_LOOKUP: Record = Record::new("PayoutLookup");
static NOTIFICATION: Record = Record::new("Notification");
static NOTIFICATION_REPLY: Record = Record::new("NotificationReply");

// ----- inputs -----

/// Where an input record keeps its values: attributes (a dataclass, any object) or keys.
enum Source<'a, 'py> {
    Attributes(&'a Bound<'py, PyAny>),
    Dict(&'a Bound<'py, PyDict>),
    Mapping(&'a Bound<'py, PyAny>),
}

impl<'a, 'py> Source<'a, 'py> {
    /// Judged once per record (a `Mapping` check is an ABC `isinstance`, too dear per field).
    fn of(obj: &'a Bound<'py, PyAny>) -> Self {
        Self::judged(obj, None)
    }

    /// As [`Source::of`], the `Mapping` check taken from `shapes` when it judged this type before.
    fn judged(obj: &'a Bound<'py, PyAny>, shapes: Option<&mut Shapes>) -> Self {
        if let Ok(dict) = obj.cast::<PyDict>() {
            return Source::Dict(dict);
        }
        let is_mapping = match shapes {
            Some(shapes) => shapes.is_mapping(obj),
            None => obj.cast::<PyMapping>().is_ok(),
        };
        if is_mapping {
            Source::Mapping(obj)
        } else {
            Source::Attributes(obj)
        }
    }

    /// The value of `key`; `None` when absent or `None`.
    fn get(&self, key: &Bound<'py, PyString>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let value = match self {
            Source::Attributes(obj) => obj.getattr_opt(key)?,
            Source::Dict(dict) => dict.get_item(key)?,
            Source::Mapping(mapping) => match mapping.get_item(key) {
                Ok(v) => Some(v),
                Err(e) if e.is_instance_of::<pyo3::exceptions::PyKeyError>(mapping.py()) => None,
                Err(e) => return Err(e),
            },
        };
        Ok(value.filter(|v| !v.is_none()))
    }
}

/// The `Mapping` verdicts of one read of a call's list, by type (issue 13: the ABC `isinstance`
/// of every item was 15% of a 100,000-payout call's samples, the garbage collections it set off
/// included). `isinstance(obj, Mapping)` depends on `type(obj)` and `obj.__class__` only, so an
/// item whose `__class__` is its type gets the verdict of the previous item of that type. Kept for
/// one read (a range of the list, under one hold of the GIL): a class registered as a `Mapping`
/// during a call is seen from the next range on.
#[derive(Default)]
pub struct Shapes {
    last: Option<(Py<PyType>, bool)>,
}

impl Shapes {
    fn is_mapping(&mut self, obj: &Bound<'_, PyAny>) -> bool {
        let ty = obj.get_type();
        let plain = obj
            .getattr(intern!(obj.py(), "__class__"))
            .is_ok_and(|class| class.is(&ty));
        if plain {
            if let Some((seen, verdict)) = &self.last {
                if seen.is(&ty) {
                    return *verdict;
                }
            }
        }
        let verdict = obj.cast::<PyMapping>().is_ok();
        if plain {
            self.last = Some((ty.unbind(), verdict));
        }
        verdict
    }
}

/// The value of `name` in a dataclass (attribute) or a mapping (key); `None` when absent.
fn attr_or_key<'py>(obj: &Bound<'py, PyAny>, name: &'static str) -> PyResult<Option<Bound<'py, PyAny>>> {
    Source::of(obj).get(&PyString::new(obj.py(), name))
}

/// A field of an input record: its name as Python looks it up (a string made once per call site
/// by `intern!`, see `from_item!`: making it per read was 4% of a 100,000-payout call) and as
/// messages say it.
#[derive(Clone, Copy)]
pub struct Name<'a, 'py> {
    key: &'a Bound<'py, PyString>,
    name: &'static str,
}

impl<'a, 'py> Name<'a, 'py> {
    pub fn new(key: &'a Bound<'py, PyString>, name: &'static str) -> Self {
        Self { key, name }
    }
}

/// One input record: a dataclass (attributes) or a mapping (keys).
pub struct Item<'a, 'py> {
    obj: &'a Bound<'py, PyAny>,
    source: Source<'a, 'py>,
    index: usize,
}

impl<'a, 'py> Item<'a, 'py> {
    fn new(obj: &'a Bound<'py, PyAny>, index: usize) -> Self {
        Self {
            obj,
            source: Source::of(obj),
            index,
        }
    }

    /// An item of a call's list, judged with the verdicts of its read.
    fn judged(obj: &'a Bound<'py, PyAny>, index: usize, shapes: &mut Shapes) -> Self {
        Self {
            obj,
            source: Source::judged(obj, Some(shapes)),
            index,
        }
    }

    pub fn py(&self) -> Python<'py> {
        self.obj.py()
    }

    fn get(&self, name: Name<'_, 'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.source.get(name.key)
    }

    fn invalid(&self, field: &str, detail: String) -> PyErr {
        errors::validation(self.obj.py(), field, Some(self.index), detail)
    }

    fn text(&self, field: Name<'_, 'py>) -> PyResult<Option<String>> {
        let name = field.name;
        match self.get(field)? {
            None => Ok(None),
            Some(v) => match v.cast::<PyString>() {
                Ok(s) => Ok(Some(s.to_cow()?.into_owned())),
                Err(_) => Err(self.invalid(name, format!("{name} must be a str, not {}", type_name(&v)))),
            },
        }
    }

    fn required_text(&self, field: Name<'_, 'py>) -> PyResult<String> {
        Ok(self.text(field)?.unwrap_or_default())
    }

    /// Whole XOF: an `int`, never a `float` (nor a `bool`).
    fn amount(&self, field: Name<'_, 'py>) -> PyResult<i64> {
        let name = field.name;
        let Some(v) = self.get(field)? else {
            return Err(self.invalid(name, format!("{name} is missing")));
        };
        if !v.is_instance_of::<PyInt>() || v.is_instance_of::<PyBool>() {
            return Err(self.invalid(
                name,
                format!(
                    "{name} must be an int of XOF, not {} ({})",
                    type_name(&v),
                    v.repr()?
                ),
            ));
        }
        v.extract::<i64>().map_err(|_| {
            self.invalid(
                name,
                format!(
                    "{name} {} is out of range",
                    v.repr().map(|r| r.to_string()).unwrap_or_default()
                ),
            )
        })
    }

    /// An amount that may be absent (a notification's).
    fn optional_amount(&self, field: Name<'_, 'py>) -> PyResult<Option<i64>> {
        match self.get(field)? {
            None => Ok(None),
            Some(_) => self.amount(field).map(Some),
        }
    }

    /// Text that must be there (a notification's `transaction_id`).
    fn present_text(&self, field: Name<'_, 'py>) -> PyResult<String> {
        let name = field.name;
        self.text(field)?.ok_or_else(|| {
            errors::validation(
                self.obj.py(),
                name,
                None,
                format!("the notification has no {name}"),
            )
        })
    }

    /// A `TreatmentStatus` member (a str enum) or a plain str; an unknown status is kept.
    fn treatment_status(&self, field: Name<'_, 'py>) -> PyResult<Option<TreatmentStatus>> {
        self.get(field)?
            .map(|v| Ok(TreatmentStatus::parse(&v.str()?.to_string_lossy())))
            .transpose()
    }
}

fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// `Limits` (dataclass or mapping) over the core's defaults: a field left out keeps the core's
/// value, each entry of `countries` replaces or adds the rule of its calling code. Only Python
/// types are checked here; the values are the core's to judge (`Limits::check`, at build).
pub fn limits(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Limits> {
    let invalid =
        |field: &str, what: &str| errors::validation(py, field, None, format!("{field} must be {what}"));
    let int = |field: &str, v: Bound<'_, PyAny>| -> PyResult<i64> {
        if v.is_instance_of::<PyBool>() {
            return Err(invalid(field, "an int"));
        }
        v.extract::<i64>().map_err(|_| invalid(field, "an int"))
    };
    let digits = |field: &str, v: Bound<'_, PyAny>| -> PyResult<RangeInclusive<usize>> {
        let (min, max) = v
            .extract::<(usize, usize)>()
            .map_err(|_| invalid(field, "a (min, max) pair of digit counts"))?;
        Ok(min..=max)
    };
    let mut limits = Limits::default();
    if let Some(v) = attr_or_key(obj, "default_min_amount")? {
        limits.default_min_amount = int("limits.default_min_amount", v)?;
    }
    if let Some(v) = attr_or_key(obj, "max_amount")? {
        limits.max_amount = int("limits.max_amount", v)?;
    }
    if let Some(v) = attr_or_key(obj, "amount_multiple")? {
        limits.amount_multiple = int("limits.amount_multiple", v)?;
    }
    if let Some(v) = attr_or_key(obj, "default_national_digits")? {
        limits.default_national_digits = digits("limits.default_national_digits", v)?;
    }
    if let Some(countries) = attr_or_key(obj, "countries")? {
        let countries = countries
            .cast::<PyMapping>()
            .map_err(|_| invalid("limits.countries", "a dict of calling code to CountryRule"))?;
        for pair in countries.items()?.iter() {
            let (prefix, rule) = pair.extract::<(String, Bound<'_, PyAny>)>()?;
            let field = |name: &str| format!("limits.countries.{prefix}.{name}");
            let required = |name: &'static str| -> PyResult<Bound<'_, PyAny>> {
                attr_or_key(&rule, name)?.ok_or_else(|| invalid(&field(name), "given"))
            };
            let iso = required("iso")?
                .extract::<String>()
                .map_err(|_| invalid(&field("iso"), "a str"))?;
            let rule = CountryRule {
                iso,
                national_digits: digits(&field("national_digits"), required("national_digits")?)?,
                min_amount: int(&field("min_amount"), required("min_amount")?)?,
            };
            limits.countries.insert(prefix, rule);
        }
    }
    Ok(limits)
}

/// The `Contact` dataclass or mapping at position `index` of a call's list.
pub fn contact_at(obj: &Bound<'_, PyAny>, index: usize, shapes: &mut Shapes) -> PyResult<Contact> {
    let item = Item::judged(obj, index, shapes);
    Ok(from_item!(item => Contact {
        prefix: required_text,
        phone: required_text,
        name: required_text,
        surname: required_text,
        email: required_text,
    }))
}

/// The `Transfer` dataclass or mapping at position `index` of a call's list.
pub fn transfer_at(obj: &Bound<'_, PyAny>, index: usize, shapes: &mut Shapes) -> PyResult<Transfer> {
    transfer_item(&Item::judged(obj, index, shapes))
}

/// One `Transfer` dataclass or mapping (for `look_up`).
pub fn transfer(obj: &Bound<'_, PyAny>) -> PyResult<Transfer> {
    transfer_item(&Item::new(obj, 0))
}

fn transfer_item(item: &Item<'_, '_>) -> PyResult<Transfer> {
    Ok(from_item!(item => Transfer {
        prefix: required_text,
        phone: required_text,
        amount: amount,
        notify_url: required_text,
        client_transaction_id: text,
        payment_method: text,
        name: text,
        surname: text,
        email: text,
    }))
}

/// A `Notification` dataclass (or mapping) back into the core's type, for `confirm_notification`.
pub fn notification(obj: &Bound<'_, PyAny>) -> PyResult<Notification> {
    let item = Item::new(obj, 0);
    Ok(from_item!(item => Notification {
        transaction_id: present_text,
        client_transaction_id: text,
        lot: text,
        amount: optional_amount,
        receiver: text,
        sending_status: text,
        treatment_status: treatment_status,
        comment: text,
        operator_transaction_id: text,
        operator: text,
        validated_at: text,
    }))
}

// ----- outputs -----

fn treatment_status_member<'py>(py: Python<'py>, s: &TreatmentStatus) -> PyResult<Bound<'py, PyAny>> {
    TREATMENT_STATUS.member(py, s.as_str())
}

fn optional_treatment_status<'py>(
    py: Python<'py>,
    s: &Option<TreatmentStatus>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    s.as_ref().map(|s| treatment_status_member(py, s)).transpose()
}

fn outcome_member<'py>(py: Python<'py>, o: SendOutcome) -> PyResult<Bound<'py, PyAny>> {
    let value = match o {
        SendOutcome::Accepted => "accepted",
        SendOutcome::Failed => "failed",
        SendOutcome::Unknown => "unknown",
    };
    SEND_OUTCOME.member(py, value)
}

fn optional_error<'py>(
    py: Python<'py>,
    e: &Option<cinetpay_transfer::Error>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    e.as_ref().map(|e| errors::to_object(py, e)).transpose()
}

fn country_balance<'py>(py: Python<'py>, c: &CountryBalance) -> PyResult<Bound<'py, PyAny>> {
    record!(COUNTRY_BALANCE, py, c => CountryBalance { available, amount, in_using })
}

pub fn balance<'py>(py: Python<'py>, b: &Balance) -> PyResult<Bound<'py, PyAny>> {
    record!(BALANCE, py, b => Balance {
        amount,
        in_using,
        available,
        countries: {
            let by_iso = PyDict::new(py);
            for (iso, c) in countries {
                by_iso.set_item(iso, country_balance(py, c)?)?;
            }
            by_iso
        },
    })
}

/// An aware UTC `datetime`.
fn utc_datetime<'py>(py: Python<'py>, at: &std::time::SystemTime) -> PyResult<Bound<'py, PyAny>> {
    let seconds = at
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    let datetime = py.import("datetime")?;
    let utc = datetime.getattr("timezone")?.getattr("utc")?;
    datetime
        .getattr("datetime")?
        .call_method1("fromtimestamp", (seconds, utc))
}

/// A token for the merchant's backend to hand out; `expires_at` is an aware UTC `datetime`.
pub fn issued_token<'py>(py: Python<'py>, t: &IssuedToken) -> PyResult<Bound<'py, PyAny>> {
    record!(ISSUED_TOKEN, py, t => IssuedToken {
        token: token.expose(),
        expires_at: utc_datetime(py, expires_at)?,
    })
}

pub fn contact_result<'py>(py: Python<'py>, r: &ContactResult) -> PyResult<Bound<'py, PyAny>> {
    record!(CONTACT_RESULT, py, r => ContactResult {
        prefix,
        phone,
        added,
        already_existed,
        code,
        lot,
        error: optional_error(py, error)?,
    })
}

pub fn send_result<'py>(py: Python<'py>, r: &SendResult) -> PyResult<Bound<'py, PyAny>> {
    record!(SEND_RESULT, py, r => SendResult {
        client_transaction_id,
        prefix,
        phone,
        amount,
        outcome: outcome_member(py, *outcome)?,
        transaction_id,
        lot,
        treatment_status: optional_treatment_status(py, treatment_status)?,
        error: optional_error(py, error)?,
    })
}

pub fn transfer_info<'py>(py: Python<'py>, i: &TransferInfo) -> PyResult<Bound<'py, PyAny>> {
    record!(TRANSFER_INFO, py, i => TransferInfo {
        transaction_id,
        client_transaction_id,
        lot,
        amount,
        receiver,
        receiver_e164,
        operator,
        sending_status: sending_status
            .as_ref()
            .map(|s| SENDING_STATUS.member(py, s.as_str()))
            .transpose()?,
        transfer_valid,
        treatment_status: treatment_status_member(py, treatment_status)?,
        comment,
        validated_at,
        operator_transaction_id,
    })
}

/// A `PayoutLookup`: what the service holds under a payout's id, compared with that payout. The
/// core's is an enum; Python's record is its variant as `status`, with the transfer it carries.
pub fn payout_lookup<'py>(py: Python<'py>, found: &PayoutLookup) -> PyResult<Bound<'py, PyAny>> {
    let (status, transfer) = match found {
        PayoutLookup::Found(info) => ("found", Some(info)),
        PayoutLookup::Conflict(info) => ("conflict", Some(info)),
        PayoutLookup::NotFound => ("not_found", None),
    };
    let transfer = transfer.map(|i| transfer_info(py, i)).transpose()?;
    PAYOUT_LOOKUP.make(
        py,
        &[
            (intern!(py, "status"), LOOKUP_STATUS.member(py, status)?),
            (intern!(py, "transfer"), transfer.into_bound_py_any(py)?),
        ],
    )
}

pub fn transfer_infos<'py>(py: Python<'py>, infos: &[TransferInfo]) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for i in infos {
        out.append(transfer_info(py, i)?)?;
    }
    Ok(out)
}

fn notification_record<'py>(py: Python<'py>, n: &Notification) -> PyResult<Bound<'py, PyAny>> {
    record!(NOTIFICATION, py, n => Notification {
        transaction_id,
        client_transaction_id,
        lot,
        amount,
        receiver,
        sending_status,
        treatment_status: optional_treatment_status(py, treatment_status)?,
        comment,
        operator_transaction_id,
        operator,
        validated_at,
    })
}

pub fn notification_event<'py>(py: Python<'py>, event: &NotificationEvent) -> PyResult<Bound<'py, PyAny>> {
    match event {
        NotificationEvent::Ping => model(py, "PING"),
        NotificationEvent::Transfer(n) => notification_record(py, n),
    }
}

pub fn notification_reply<'py>(py: Python<'py>, r: &NotificationReply) -> PyResult<Bound<'py, PyAny>> {
    record!(NOTIFICATION_REPLY, py, r => NotificationReply {
        status,
        body: *body,
        reason,
        notification: notification.as_ref().map(|n| notification_record(py, n)).transpose()?,
        transfer: transfer.as_ref().map(|i| transfer_info(py, i)).transpose()?,
    })
}
