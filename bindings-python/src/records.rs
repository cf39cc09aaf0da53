//! Making the records and enum members of `_models.py` from native code, at the core's pace.
//!
//! Results come back by the thousand (a payroll is 10,000 `SendResult`s). Calling a frozen
//! dataclass (its `__init__` sets each field through `object.__setattr__`) costs about 4 µs per
//! record, and calling a `str` enum with a value about 1 µs per member: together more CPU than
//! the core spends sending the payout itself (issue 13, docs/performance.md). So a record is made
//! the way `object.__setattr__` would fill it, without the calls: `object.__new__(cls)`, then each
//! field stored by `PyObject_GenericSetAttr` (what `object.__setattr__` runs; the frozen class's
//! own `__setattr__` refuses). The fields land in the instance's own storage, as `__init__`
//! leaves them: no `__dict__` object is made until someone asks for it (setting `__dict__` in one
//! step, as before, made one per record, a second object for the garbage collector to walk). An
//! enum member is taken from a list of the class's members built once, compared by value.
//!
//! The dataclass stays the one declaration of each record on the Python side (typed, frozen,
//! compared by value), and the native side declares no field name at all: [`record!`] and
//! [`from_item!`] take each name from the core struct's own field (exhaustive patterns and struct
//! literals, `stringify!`), so a field added to or renamed in the core does not compile here until
//! it is carried (issue 12, item 4). What can still drift is the dataclass, and two checks hold it:
//! the surface check (`tests/test_surface.py`, the core's fields against `dataclasses.fields`) in
//! CI, and the first record made of each class, which checks that the names filled are exactly
//! the dataclass's fields, so a difference fails loudly on first use, naming the field.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyString;

static MODELS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// `object.__new__`: the first step of making a record.
static OBJECT_NEW: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// A class (record, enum or constant) of `cinetpay_transfer._models`.
pub fn model<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    let module = MODELS.get_or_try_init(py, || py.import("cinetpay_transfer._models").map(Bound::unbind))?;
    module.bind(py).getattr(name)
}

fn object_new(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    let new = OBJECT_NEW.get_or_try_init(py, || {
        py.import("builtins")?
            .getattr("object")?
            .getattr("__new__")
            .map(Bound::unbind)
    })?;
    Ok(new.bind(py))
}

/// A record's fields: each name (interned) with its value.
pub type Fields<'a, 'py> = [(&'a Bound<'py, PyString>, Bound<'py, PyAny>)];

/// One frozen dataclass of `_models.py`, looked up and checked once.
pub struct Record {
    name: &'static str,
    class: PyOnceLock<Py<PyAny>>,
}

impl Record {
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            class: PyOnceLock::new(),
        }
    }

    /// The record whose fields are `fields` (every field of the dataclass, with its name).
    pub fn make<'py>(&self, py: Python<'py>, fields: &Fields<'_, 'py>) -> PyResult<Bound<'py, PyAny>> {
        let class = self.class.get_or_try_init(py, || {
            let class = model(py, self.name)?;
            check_fields(self.name, &class, fields)?;
            Ok::<_, PyErr>(class.unbind())
        })?;
        let record = object_new(py)?.call1((class.bind(py),))?;
        for (name, value) in fields {
            // SAFETY: three valid objects, borrowed for the call; -1 means a Python error is set.
            let set = unsafe { ffi::PyObject_GenericSetAttr(record.as_ptr(), name.as_ptr(), value.as_ptr()) };
            if set == -1 {
                return Err(PyErr::fetch(py));
            }
        }
        Ok(record)
    }
}

/// The names filled natively must be the dataclass's fields, no more, no fewer.
fn check_fields(name: &str, class: &Bound<'_, PyAny>, filled: &Fields<'_, '_>) -> PyResult<()> {
    let py = class.py();
    let declared: Vec<String> = py
        .import("dataclasses")?
        .call_method1("fields", (class,))?
        .try_iter()?
        .map(|field| field?.getattr("name")?.extract::<String>())
        .collect::<PyResult<_>>()?;
    let filled: Vec<String> = filled
        .iter()
        .map(|(k, _)| k.extract::<String>())
        .collect::<PyResult<_>>()?;
    let names = |names: Vec<&str>| {
        if names.is_empty() {
            "-".to_owned()
        } else {
            names.join(", ")
        }
    };
    let missing = names(
        declared
            .iter()
            .filter(|f| !filled.contains(f))
            .map(String::as_str)
            .collect(),
    );
    let unknown = names(
        filled
            .iter()
            .filter(|f| !declared.contains(f))
            .map(String::as_str)
            .collect(),
    );
    if missing == "-" && unknown == "-" {
        return Ok(());
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "cinetpay_transfer internal error: the native module fills {name} with fields that differ \
         from the dataclass in _models.py (not filled: {missing}; not declared: {unknown})"
    )))
}

/// One `str` enum of `_models.py`: its members with their values, built once.
pub struct Enum {
    name: &'static str,
    members: PyOnceLock<Members>,
}

/// An enum class and its members, each with its value.
type Members = (Py<PyAny>, Vec<(String, Py<PyAny>)>);

impl Enum {
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            members: PyOnceLock::new(),
        }
    }

    /// The member whose value is `value`; a value the enum does not list goes through the class
    /// (the open enums keep it as an `UNKNOWN` pseudo-member, the closed ones refuse it).
    pub fn member<'py>(&self, py: Python<'py>, value: &str) -> PyResult<Bound<'py, PyAny>> {
        let (class, members) = self.members.get_or_try_init(py, || {
            let class = model(py, self.name)?;
            let members = class
                .try_iter()?
                .map(|member| {
                    let member = member?;
                    Ok((member.getattr("value")?.extract::<String>()?, member.unbind()))
                })
                .collect::<PyResult<_>>()?;
            Ok::<_, PyErr>((class.unbind(), members))
        })?;
        match members.iter().find(|(v, _)| v == value) {
            Some((_, member)) => Ok(member.bind(py).clone()),
            None => class.bind(py).call1((value,)),
        }
    }
}

/// The `_models.py` record of a core struct, each field set under the core's own name:
///
/// ```ignore
/// record!(SEND_RESULT, py, r => SendResult { client_transaction_id, outcome: outcome_member(py, *outcome)?, .. })
/// ```
///
/// The pattern names every field of the core struct (it has no `..`): a core field this binding
/// does not carry is a compile error. A field given alone is set as is (a `&String`, a `&i64`...);
/// `field: expr` sets the converted value instead (an enum member, a nested record).
macro_rules! record {
    ($record:expr, $py:expr, $value:expr => $ty:ident { $($field:ident $(: $converted:expr)?),* $(,)? }) => {{
        let $ty { $($field),* } = $value;
        let fields = [$(
            (
                pyo3::intern!($py, stringify!($field)),
                pyo3::IntoPyObjectExt::into_bound_py_any(record!(@value $field $(, $converted)?), $py)?,
            ),
        )*];
        $record.make($py, &fields)
    }};
    (@value $field:ident) => { $field };
    (@value $field:ident, $converted:expr) => { $converted };
}
pub(crate) use record;

/// A core input struct read from a Python record or mapping, each field read under the core's own
/// name: `from_item!(item => Contact { prefix: required_text, phone: required_text, .. })` is
/// `Contact { prefix: item.required_text(<"prefix">)?, .. }`, the name a Python string made once
/// (`intern!`). The struct literal names every field, so a core field this binding does not read
/// is a compile error.
macro_rules! from_item {
    ($item:expr => $ty:ident { $($field:ident: $read:ident),* $(,)? }) => {
        $ty { $($field: $item.$read($crate::types::Name::new(
            pyo3::intern!($item.py(), stringify!($field)),
            stringify!($field),
        ))?),* }
    };
}
pub(crate) use from_item;
