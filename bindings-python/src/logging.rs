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

use log::{LevelFilter, Log, Metadata, Record};
use pyo3::prelude::*;

use crate::runtime;

/// pyo3-log behind the exit guard: a record logged while the interpreter exits is dropped
/// rather than crashing the process (see `runtime::finalize`).
struct Bridge(pyo3_log::Logger);

impl Log for Bridge {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        runtime::python_call().is_some_and(|_call| self.0.enabled(metadata))
    }

    fn log(&self, record: &Record<'_>) {
        if let Some(_call) = runtime::python_call() {
            self.0.log(record);
        }
    }

    fn flush(&self) {}
}

/// Installs the bridge once per process; a second install (another import) is a no-op.
pub fn install(py: Python<'_>) -> PyResult<()> {
    let logger = pyo3_log::Logger::new(py, pyo3_log::Caching::Loggers)?
        .filter(LevelFilter::Warn)
        .filter_target("cinetpay_transfer".to_owned(), LevelFilter::Trace)
        .filter_target("cinetpay_sandbox".to_owned(), LevelFilter::Info);
    if log::set_boxed_logger(Box::new(Bridge(logger))).is_ok() {
        log::set_max_level(LevelFilter::Trace);
    }
    Ok(())
}
