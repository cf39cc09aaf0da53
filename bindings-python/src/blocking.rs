//! Blocking on the shared runtime from Python: the GIL released, Ctrl-C honoured.
//!
//! A sync call must not hold the GIL while it waits on the network (other Python threads would
//! stall), and must not make Ctrl-C wait for a 30 s timeout. So the future runs with the GIL
//! released, and every 100 ms the waiting thread briefly takes the GIL to run Python's signal
//! handlers: a `KeyboardInterrupt` (or any exception a handler raises) drops the future, which
//! cancels the request, and propagates. On threads other than the main one `check_signals` is a
//! no-op. (apache/datafusion-python `wait_for_future` does the same.)

use std::future::Future;
use std::time::Duration;

use pyo3::prelude::*;

use crate::runtime;

const SIGNAL_CHECK: Duration = Duration::from_millis(100);

/// Runs the future `make` returns to completion on the shared runtime, with the GIL released.
///
/// The future is made on the waiting thread, so only `make` must be `Send`.
pub fn wait<M, F>(py: Python<'_>, make: M) -> PyResult<F::Output>
where
    M: FnOnce() -> F + Send,
    F: Future,
    F::Output: Send,
{
    let runtime = runtime::get();
    py.detach(move || {
        let fut = make();
        runtime.block_on(async {
            tokio::pin!(fut);
            let mut ticks = tokio::time::interval(SIGNAL_CHECK);
            ticks.tick().await;
            loop {
                tokio::select! {
                    out = &mut fut => return Ok(out),
                    _ = ticks.tick() => Python::attach(|py| py.check_signals())?,
                }
            }
        })
    })
}
