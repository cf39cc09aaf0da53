//! `parse_notification`: what arrived at the notify URL, read by the core (and `is_final_status`),
//! and [`Posted`], the request as `reply_to_notification` hands it to the core's
//! `NotificationReply` (which decides the HTTP status to answer).
//!
//! Web frameworks hand over a notification either as the raw body (`request.body`) or as decoded
//! form fields (Django's `request.POST`, Flask's `request.form`); both are accepted so the user
//! never re-encodes anything. A GET, an empty body and an empty form are pings.

use cinetpay_transfer::{NotificationEvent, NotificationReply};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyList, PyMapping, PyString, PyTuple};

use crate::{errors, types};

/// True for a final treatment status (`VAL`, `REJ`): the core's rule, used by `TreatmentStatus.is_final`.
#[pyfunction]
pub fn is_final_status(status: &str) -> bool {
    cinetpay_transfer::TreatmentStatus::parse(status).is_final()
}

/// Reads a request to the notify URL: `Notification`, or `PING` for a bare ping.
#[pyfunction]
#[pyo3(signature = (data=None, method="POST"))]
pub fn parse_notification<'py>(
    py: Python<'py>,
    data: Option<&Bound<'py, PyAny>>,
    method: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let event = match Posted::read(data)? {
        Posted::Fields(fields) => NotificationEvent::from_fields(fields, method),
        Posted::Body(body) => NotificationEvent::from_request(&body, method),
    };
    let event = event.map_err(|e| errors::to_pyerr(py, &e))?;
    types::notification_event(py, &event)
}

/// A request to the notify URL as a web framework hands it over.
pub enum Posted {
    /// The raw body (bytes or str; nothing for a GET).
    Body(Vec<u8>),
    /// Form fields the framework decoded.
    Fields(Vec<(String, String)>),
}

impl Posted {
    /// Reads `data`: a mapping of fields, bytes or str, or `None` (no body).
    pub fn read(data: Option<&Bound<'_, PyAny>>) -> PyResult<Posted> {
        Ok(match data {
            Some(d) if d.cast::<PyMapping>().is_ok() => Posted::Fields(pairs(d)?),
            Some(d) => Posted::Body(body(d)?),
            None => Posted::Body(Vec::new()),
        })
    }

    /// The core's answer to this request.
    pub async fn reply(self, client: &cinetpay_transfer::Client, method: &str) -> NotificationReply {
        match self {
            Posted::Body(body) => NotificationReply::for_request(client, method, &body).await,
            Posted::Fields(fields) => NotificationReply::for_fields(client, method, fields).await,
        }
    }
}

fn body(data: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(b) = data.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(b) = data.cast::<PyByteArray>() {
        return Ok(b.to_vec());
    }
    if let Ok(s) = data.cast::<PyString>() {
        return Ok(s.to_cow()?.as_bytes().to_vec());
    }
    Err(pyo3::exceptions::PyTypeError::new_err(
        "a notification is the body (bytes or str) or the form fields (a mapping)",
    ))
}

/// `(name, value)` pairs of a mapping; a list value (`parse_qs`, `MultiValueDict.lists()`) gives
/// its last item, as Django's `QueryDict.__getitem__` does.
fn pairs(data: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    for item in data.call_method0("items")?.try_iter()? {
        let (key, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item?.extract()?;
        let value = if value.cast::<PyList>().is_ok() || value.cast::<PyTuple>().is_ok() {
            match value.len()? {
                0 => continue,
                n => value.get_item(n - 1)?,
            }
        } else {
            value
        };
        if value.is_none() {
            continue;
        }
        let value = match value.cast::<PyBytes>() {
            Ok(b) => String::from_utf8_lossy(b.as_bytes()).into_owned(),
            Err(_) => value.str()?.to_string(),
        };
        out.push((key.str()?.to_string(), value));
    }
    Ok(out)
}
