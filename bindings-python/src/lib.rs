//! The native module `cinetpay_transfer._native`: a thin pyo3 layer over the core crate.
//!
//! Behaviour lives in the core (`cinetpay-transfer`); this crate only converts types
//! ([`types`]), maps errors ([`errors`]) and picks Python's call styles: blocking with the GIL
//! released ([`blocking`]) and asyncio ([`client`]), both on one fork-safe runtime ([`runtime`]).
//! Records, enums and exception classes are plain Python in `python/cinetpay_transfer/`; the
//! public API is re-exported by its `__init__.py`, and `_native.pyi` types this module.
//!
//! | file | owns |
//! |---|---|
//! | `runtime.rs` | the process-wide tokio runtime, rebuilt after fork |
//! | `blocking.rs` | waiting on a future with the GIL released, Ctrl-C honoured |
//! | `client.rs` | `Client` and `AsyncClient` |
//! | `stream.rs` | a Python list as the core's streaming source and sink (`add_contacts`, `send`, `pay`) |
//! | `notification.rs` | `parse_notification`, `is_final_status` |
//! | `types.rs` | Python <-> core conversions |
//! | `records.rs` | making `_models.py` records and enum members quickly, checked against the dataclasses |
//! | `errors.rs` | core errors -> `CinetPayError` subclasses |
//! | `logging.rs` | core logs -> Python `logging` |

use pyo3::prelude::*;

/// The Rust side's allocations (each answer's JSON, the records of every payout) go to mimalloc,
/// not the system allocator: glibc's malloc and free were a quarter of the core's CPU in a
/// payroll (perf, issue 13; docs/performance.md). Python's own objects keep Python's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod blocking;
mod client;
mod errors;
mod logging;
mod notification;
mod records;
mod runtime;
mod stream;
mod types;

#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    logging::install(m.py())?;
    let finalize = wrap_pyfunction!(runtime::finalize, m)?;
    m.py().import("atexit")?.call_method1("register", (finalize,))?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("USER_AGENT", cinetpay_transfer::USER_AGENT)?;
    // Every error kind of the core, so the tests can check each has its exception class.
    let kinds: Vec<&str> = cinetpay_transfer::ErrorKind::ALL
        .iter()
        .map(|k| k.as_str())
        .collect();
    m.add("ERROR_KINDS", pyo3::types::PyTuple::new(m.py(), kinds)?)?;
    m.add(
        "NOTIFICATION_BODY_LIMIT",
        cinetpay_transfer::NOTIFICATION_BODY_LIMIT,
    )?;
    m.add_class::<client::Client>()?;
    m.add_class::<client::AsyncClient>()?;
    m.add_function(wrap_pyfunction!(notification::parse_notification, m)?)?;
    m.add_function(wrap_pyfunction!(notification::is_final_status, m)?)?;
    Ok(())
}
