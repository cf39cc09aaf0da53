//! Core errors as Python exceptions.
//!
//! The exception classes live in `cinetpay_transfer/_errors.py` (one base `CinetPayError`, one
//! subclass per [`ErrorKind`] of the core, `ValidationError` also a `ValueError`): Python is the
//! natural place for a class hierarchy with typed attributes, pickling and docstrings, and mypy
//! reads it without stubs. This module only copies a core [`Error`]'s accessors into one of them,
//! chosen by the kind's stable snake_case name, so a kind added to the core shows up as the base
//! class until it gets its own subclass.
//!
//! The same objects are used unraised for per-item failures (`SendResult.error`).

use cinetpay_transfer::Error;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

static FROM_NATIVE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The exception object for `error` (not raised).
pub fn to_object<'py>(py: Python<'py>, error: &Error) -> PyResult<Bound<'py, PyAny>> {
    let factory = FROM_NATIVE.import(py, "cinetpay_transfer._errors", "_from_native")?;
    let fields = PyDict::new(py);
    fields.set_item("kind", error.kind().as_str())?;
    fields.set_item("code", error.code())?;
    fields.set_item("api_message", error.api_message())?;
    fields.set_item("description", error.description())?;
    fields.set_item("http_status", error.http_status())?;
    fields.set_item("field", error.field())?;
    fields.set_item("index", error.index())?;
    fields.set_item("client_transaction_ids", error.client_transaction_ids().to_vec())?;
    fields.set_item("is_retryable", error.is_retryable())?;
    factory.call((error.to_string(),), Some(&fields))
}

/// The exception to raise for `error`.
pub fn to_pyerr(py: Python<'_>, error: &Error) -> PyErr {
    match to_object(py, error) {
        Ok(object) => PyErr::from_value(object),
        Err(failure) => failure,
    }
}

/// A validation error of the binding's own argument checks (wrong Python type, missing id),
/// raised as the same `ValidationError` the core uses.
pub fn validation(py: Python<'_>, field: &str, index: Option<usize>, detail: String) -> PyErr {
    to_pyerr(py, &Error::validation(field, index, detail))
}
