//! `cinetpay_transfer.testing.Sandbox`: the Rust sandbox, in-process, for users' own tests.
//!
//! The sandbox's server and notifications run on the shared runtime, so a sandbox and the clients
//! calling it cost no extra threads. Admin helpers call the sandbox directly (no HTTP); the HTTP
//! admin API under `admin_url` stays available for tools in other languages.

use std::time::Duration;

use cinetpay_sandbox::{ClockMode, Delays, Fault, Quirks, SandboxConfig};
use pyo3::exceptions::{PyRuntimeError, PyTimeoutError, PyValueError};
use pyo3::prelude::*;

use crate::{blocking, runtime, types};

/// A running sandbox; a context manager that stops it on exit.
#[pyclass(subclass, module = "cinetpay_transfer.testing")]
pub struct Sandbox {
    inner: Option<cinetpay_sandbox::Sandbox>,
    api_key: String,
    password: String,
    base_url: String,
    admin_url: String,
}

impl Sandbox {
    fn running(&self) -> PyResult<&cinetpay_sandbox::Sandbox> {
        self.inner
            .as_ref()
            .ok_or_else(|| PyRuntimeError::new_err("the sandbox is stopped"))
    }
}

fn value_error(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(e.to_string())
}

#[pymethods]
impl Sandbox {
    /// Starts a sandbox on 127.0.0.1 (free port). `quirks`: "real" (the live service's shapes)
    /// or "documented"; `clock`: "manual" (time moves with `advance_clock`) or "real" (short demo
    /// delays on the wall clock).
    #[new]
    #[pyo3(signature = (*, quirks="real", token_lifetime=300.0, clock="manual", whitelisted=true))]
    fn new(
        py: Python<'_>,
        quirks: &str,
        token_lifetime: f64,
        clock: &str,
        whitelisted: bool,
    ) -> PyResult<Self> {
        let quirks = match quirks {
            "real" => Quirks::default(),
            "documented" => Quirks::documented(),
            other => {
                return Err(value_error(format!(
                    "quirks must be \"real\" or \"documented\", not {other:?}"
                )))
            }
        };
        let clock = match clock {
            "manual" => ClockMode::Manual,
            "real" => ClockMode::Real(Delays::DEMO),
            other => {
                return Err(value_error(format!(
                    "clock must be \"manual\" or \"real\", not {other:?}"
                )))
            }
        };
        let mut config = SandboxConfig {
            quirks,
            clock,
            token_lifetime: Duration::try_from_secs_f64(token_lifetime).map_err(value_error)?,
            ..SandboxConfig::default()
        };
        for merchant in &mut config.merchants {
            merchant.whitelisted = whitelisted;
        }
        let merchant = config.merchants[0].clone();
        let sandbox = blocking::wait(py, move || cinetpay_sandbox::Sandbox::start(config))?
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        Ok(Sandbox {
            base_url: sandbox.base_url(),
            admin_url: sandbox.admin_url(),
            inner: Some(sandbox),
            api_key: merchant.api_key,
            password: merchant.password,
        })
    }

    /// The API base URL (`http://127.0.0.1:PORT/v1`): give it to `Client(base_url=...)`.
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The HTTP admin API (`http://127.0.0.1:PORT/_sandbox`).
    #[getter]
    fn admin_url(&self) -> &str {
        &self.admin_url
    }

    /// The seeded merchant's API key.
    #[getter]
    fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The seeded merchant's API password.
    #[getter]
    fn password(&self) -> &str {
        &self.password
    }

    fn __repr__(&self) -> String {
        format!(
            "Sandbox(base_url={:?}, running={})",
            self.base_url,
            self.inner.is_some()
        )
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&mut self, _exc: &Bound<'_, pyo3::types::PyTuple>) {
        self.close();
    }

    /// Stops the server (also done on `with` exit and when the object is collected).
    fn close(&mut self) {
        if let Some(sandbox) = self.inner.take() {
            let _entered = runtime::get().enter();
            drop(sandbox);
        }
    }

    /// Back to the start state: merchants, clock, no payouts, tokens, faults, notifications.
    fn reset(&self) -> PyResult<()> {
        self.running()?.reset();
        Ok(())
    }

    /// Moves the sandbox clock forward; payouts that fall due change state (final ones notify).
    /// Returns the number of steps taken.
    fn advance_clock(&self, seconds: f64) -> PyResult<usize> {
        let by = Duration::try_from_secs_f64(seconds).map_err(value_error)?;
        let sandbox = self.running()?;
        let _entered = runtime::get().enter();
        Ok(sandbox.advance_clock(by))
    }

    /// Confirms pending payouts (all, or one) as the merchant's e-mail would; returns how many.
    #[pyo3(signature = (transaction_id=None))]
    fn confirm_pending(&self, transaction_id: Option<&str>) -> PyResult<usize> {
        let sandbox = self.running()?;
        let _entered = runtime::get().enter();
        match transaction_id {
            None => sandbox.confirm_pending(&self.api_key),
            Some(id) => sandbox.confirm_transaction(&self.api_key, id),
        }
        .map_err(value_error)
    }

    /// Queues a fault: `endpoint` in login, balance, contact, send, status; `kind` in latency,
    /// server_error, drop_before, drop_after, malformed_json, rate_limited, rate_limited_empty,
    /// not_yet_visible, api_error, item_error, slow_processing, status_lag (see the sandbox crate
    /// docs); `code` and `processed` for api_error and item_error.
    #[pyo3(signature = (endpoint, kind, count=1, latency_ms=0, status=None, code=None, processed=false))]
    #[allow(clippy::too_many_arguments)]
    fn add_fault(
        &self,
        endpoint: &str,
        kind: &str,
        count: u32,
        latency_ms: u64,
        status: Option<u16>,
        code: Option<i64>,
        processed: bool,
    ) -> PyResult<()> {
        let fault: Fault = serde_json::from_value(serde_json::json!({
            "endpoint": endpoint, "kind": kind, "count": count, "latency_ms": latency_ms, "status": status,
            "code": code, "processed": processed,
        }))
        .map_err(value_error)?;
        fault.check().map_err(value_error)?;
        self.running()?.add_fault(fault);
        Ok(())
    }

    /// Removes every queued fault.
    fn clear_faults(&self) -> PyResult<()> {
        self.running()?.clear_faults();
        Ok(())
    }

    /// Sets the seeded merchant's available balance in one country (ISO code, e.g. "CI").
    fn set_balance(&self, country: &str, available: u64) -> PyResult<()> {
        self.running()?
            .set_balance(&self.api_key, country, available)
            .map_err(value_error)
    }

    /// Makes every issued token expired (705 on next use); returns how many were valid.
    fn expire_tokens(&self) -> PyResult<usize> {
        Ok(self.running()?.expire_tokens())
    }

    /// Every payout with its state, as dicts (the admin API's `GET /ledger`).
    fn ledger<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        types::json(py, &self.running()?.ledger())
    }

    /// Notification delivery attempts, as dicts (`fields` holds what was posted). With
    /// `wait_for=n`, waits (up to `timeout` seconds) until at least n are recorded.
    #[pyo3(signature = (wait_for=None, timeout=10.0))]
    fn notifications<'py>(
        &self,
        py: Python<'py>,
        wait_for: Option<usize>,
        timeout: f64,
    ) -> PyResult<Bound<'py, PyAny>> {
        let sandbox = self.running()?;
        let log = match wait_for {
            None => sandbox.notifications(),
            Some(n) => {
                let timeout = Duration::try_from_secs_f64(timeout).map_err(value_error)?;
                blocking::wait(py, move || sandbox.wait_for_notifications(n, timeout))?
                    .map_err(|e| PyTimeoutError::new_err(e.to_string()))?
            }
        };
        types::json(py, &log)
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.close();
    }
}
