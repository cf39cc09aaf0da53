//! The core's logs in Python's `logging`, under the `cinetpay_transfer` logger.
//!
//! The core logs with `tracing`. In a Python process nobody installs a tracing subscriber, so
//! tracing's `log` feature turns each event into a `log` record (message plus its fields), and
//! pyo3-log hands the record to `logging.getLogger("cinetpay_transfer.<module>")`. Users
//! configure levels and handlers the Python way. Loggers are cached but levels are not, so a level
//! set after import (`caplog.set_level`, `logging.basicConfig`) takes effect at once.
//!
//! Nothing here redacts: the core never logs a secret (its `Secret` type prints `***`), and the
//! Python tests check it with sentinel credentials.

use std::sync::OnceLock;

use log::{LevelFilter, Log, Metadata, Record};
use pyo3::prelude::*;

use crate::runtime;

/// pyo3-log behind the exit guard: a record logged while the interpreter exits is dropped
/// rather than crashing the process (see `runtime::finalize`). The pyo3-log logger (which imports
/// Python's `logging`) is built on the first record, not at import: `import cinetpay_transfer`
/// does not load `logging` (issue 13, import time).
struct Bridge;

static LOGGER: OnceLock<pyo3_log::Logger> = OnceLock::new();

fn build(py: Python<'_>) -> PyResult<pyo3_log::Logger> {
    Ok(pyo3_log::Logger::new(py, pyo3_log::Caching::Loggers)?
        .filter(LevelFilter::Warn)
        .filter_target("cinetpay_transfer".to_owned(), LevelFilter::Trace))
}

/// The pyo3-log logger, built (with the GIL) on first use; None if `logging` cannot be imported.
fn logger() -> Option<&'static pyo3_log::Logger> {
    if let Some(built) = LOGGER.get() {
        return Some(built);
    }
    // Built under the GIL, stored without blocking on it: two threads may both build one, the
    // first stored wins (no lock is held while waiting for the GIL, so no deadlock).
    Python::attach(|py| match build(py) {
        Ok(built) => {
            let _ = LOGGER.set(built);
            LOGGER.get()
        }
        Err(e) => {
            e.print(py);
            None
        }
    })
}

impl Log for Bridge {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        runtime::python_call().is_some_and(|_call| logger().is_some_and(|l| l.enabled(metadata)))
    }

    fn log(&self, record: &Record<'_>) {
        if let Some(_call) = runtime::python_call() {
            if let Some(l) = logger() {
                l.log(record);
            }
        }
    }

    fn flush(&self) {}
}

/// Installs the bridge once per process; a second install (another import) is a no-op.
pub fn install(_py: Python<'_>) -> PyResult<()> {
    if log::set_boxed_logger(Box::new(Bridge)).is_ok() {
        log::set_max_level(LevelFilter::Trace);
    }
    Ok(())
}
