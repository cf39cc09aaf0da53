//! One tokio runtime for the whole process, rebuilt in a child after `fork()`.
//!
//! Every call (sync or async) runs on this runtime: one pool of worker threads, never a runtime
//! per call or per client.
//!
//! Why the pid check: `fork()` copies memory but not threads. A child of a process that already
//! used the runtime (gunicorn `--preload`, `multiprocessing` with the fork start method) inherits
//! a runtime whose workers do not exist there, and its first call hangs for ever. So the runtime
//! remembers the pid that built it; a different pid builds a fresh one. The old one is leaked on
//! purpose: dropping it would wait for threads that are not there. (lancedb's
//! `python/src/runtime.rs` does the same.)
//!
//! This module also implements pyo3-async-runtimes' `Runtime` traits on the same runtime, so that
//! `AsyncClient` coroutines run here too and are fork-safe the same way.
//!
//! Why [`finalize`]: runtime threads call into Python (completing asyncio futures, forwarding
//! logs). One still inside such a call when the interpreter finalizes aborts the process
//! ("PyGILState_Release: thread state must be current"), seen at the exit of asyncio scripts. So
//! those calls go through [`python_call`], and an `atexit` hook stops new ones and waits for the
//! ones in flight before Python tears itself down.

use std::cell::OnceCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use pyo3::prelude::*;

use pyo3_async_runtimes::generic::{ContextExt, Runtime as GenericRuntime};
use pyo3_async_runtimes::TaskLocals;
use tokio::runtime::{Builder, Runtime};

/// The pid that built [`RUNTIME`]; 0 before the first use.
static OWNER_PID: AtomicU32 = AtomicU32::new(0);
/// The runtime of `OWNER_PID`, leaked (never freed).
static RUNTIME: AtomicPtr<Runtime> = AtomicPtr::new(std::ptr::null_mut());
/// Serialises building. Held only while a runtime is built, so a fork can hardly catch it held.
static BUILDING: Mutex<()> = Mutex::new(());

/// The runtime of this process, built on first use (and again in a forked child).
pub fn get() -> &'static Runtime {
    let pid = std::process::id();
    if let Some(runtime) = current(pid) {
        return runtime;
    }
    let _building = BUILDING.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(runtime) = current(pid) {
        return runtime;
    }
    let runtime: &'static mut Runtime = Box::leak(Box::new(build()));
    RUNTIME.store(runtime, Ordering::Release);
    OWNER_PID.store(pid, Ordering::Release);
    runtime
}

fn current(pid: u32) -> Option<&'static Runtime> {
    if OWNER_PID.load(Ordering::Acquire) != pid {
        return None;
    }
    let ptr = RUNTIME.load(Ordering::Acquire);
    // SAFETY: the pointer is stored (Release) before the pid, so a matching pid (Acquire) means
    // it points to a runtime that was leaked and is never freed.
    unsafe { ptr.as_ref() }
}

fn build() -> Runtime {
    Builder::new_multi_thread()
        .enable_all()
        .thread_name("cinetpay-runtime")
        .build()
        .expect("cannot start the tokio runtime")
}

/// Set by the `atexit` hook: no runtime thread may call into Python any more.
static FINALIZING: AtomicBool = AtomicBool::new(false);
/// Calls into Python from runtime threads now in progress.
static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

/// Permission for a runtime thread to call into Python; `None` once the interpreter is exiting.
pub struct PythonCall(());

/// Asks for a [`PythonCall`]; hold it for the whole call (it counts the call as in flight).
pub fn python_call() -> Option<PythonCall> {
    IN_FLIGHT.fetch_add(1, Ordering::SeqCst);
    if FINALIZING.load(Ordering::SeqCst) {
        IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
        return None;
    }
    Some(PythonCall(()))
}

impl Drop for PythonCall {
    fn drop(&mut self) {
        IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The `atexit` hook: forbids new calls into Python from runtime threads and waits (GIL
/// released, at most 2 s) for those in flight.
#[pyfunction]
pub fn finalize(py: Python<'_>) {
    FINALIZING.store(true, Ordering::SeqCst);
    log::set_max_level(log::LevelFilter::Off);
    py.detach(|| {
        let deadline = Instant::now() + Duration::from_secs(2);
        while IN_FLIGHT.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
    });
}

/// The shared runtime as seen by pyo3-async-runtimes (`generic::future_into_py::<Shared, _, _>`).
pub struct Shared;

tokio::task_local! {
    static TASK_LOCALS: OnceCell<TaskLocals>;
}

impl GenericRuntime for Shared {
    type JoinError = tokio::task::JoinError;
    type JoinHandle = tokio::task::JoinHandle<()>;

    fn spawn<F>(fut: F) -> Self::JoinHandle
    where
        F: Future<Output = ()> + Send + 'static,
    {
        get().spawn(fut)
    }

    /// pyo3-async-runtimes completes asyncio futures from here, under the GIL: counted as a
    /// Python call, and skipped (the values dropped, which pyo3 defers safely) once exiting.
    fn spawn_blocking<F>(f: F) -> Self::JoinHandle
    where
        F: FnOnce() + Send + 'static,
    {
        get().spawn_blocking(move || {
            if let Some(_call) = python_call() {
                f();
            }
        })
    }
}

impl ContextExt for Shared {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        let cell = OnceCell::new();
        let _ = cell.set(locals);
        Box::pin(TASK_LOCALS.scope(cell, fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        TASK_LOCALS.try_with(|c| c.get().cloned()).unwrap_or_default()
    }
}
