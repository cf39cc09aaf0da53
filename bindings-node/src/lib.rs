//! # cinetpay-transfer-node: the npm package `cinetpay-transfer`
//!
//! A napi-rs (v3) addon over the `cinetpay-transfer` core crate. It converts types, maps errors
//! and hands out Promises; it holds no behaviour of the CinetPay API (that belongs in the core,
//! where every language gets it). The addon is loaded by the generated `native/index.js` and used
//! only through the TypeScript layer in `ts/`, compiled to `lib/` (which turns structured native
//! errors into `CinetPayError` subclasses and adds the Express handler).
//!
//! | module | owns |
//! |---|---|
//! | [`client`] | `NativeClient` (async methods on napi's tokio runtime), `parseNotification`, `isFinalStatus` |
//! | [`lists`] | the caller's JS list as the core's streaming source, results handed back per chunk |
//! | [`types`] | the `#[napi(object)]` inputs and results, and their conversions to the core's types |
//! | [`errors`] | the core `Error` -> a tagged JSON payload in the JS error's message, and per-item errors |

pub mod client;
pub mod errors;
pub mod lists;
pub mod types;

use napi_derive::napi;

/// The Rust side's allocations (inputs, each answer's JSON, the results) go to mimalloc, not the
/// system allocator: glibc's malloc and free were about a quarter of the Node client's samples in
/// a payroll of 100,000 (perf, issue 13; docs/performance.md), as they were in Python's. V8's own
/// objects keep V8's allocator. Built without transparent huge pages (`no_thp`, the workspace
/// Cargo.toml): zeroing 2 MB pages was a third of a 5,000-payout call's CPU.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The tag that starts the message of every native CinetPay error (read by `ts/addon.ts`).
#[napi]
pub const ERROR_TAG: &str = errors::ERROR_TAG;

/// Every error kind of the core, by its stable snake_case name (`ErrorKind::ALL`).
#[napi]
pub fn error_kinds() -> Vec<String> {
    cinetpay_transfer::ErrorKind::ALL
        .iter()
        .map(|kind| kind.as_str().to_owned())
        .collect()
}

/// napi's tokio runtime, with one worker thread instead of one per core. The SDK's work between
/// requests (building a chunk's JSON, reading an answer) is small next to the requests' time on
/// the network, and one worker does it all: more only wake each other up. 5,000 contacts and
/// 5,000 payouts, six rounds taking turns with the default runtime: 8% less client CPU (0.177 ->
/// 0.162 s; fetch 0.535 s), wall 0.157 -> 0.145 s; one call of 100,000: 0.88x -> 0.94x the core's
/// rate (issue 13, docs/performance.md, ADR 14). Waiting for JS to hand over a list's rows still
/// happens inside `block_in_place` (`lists::blocking`), so the runtime's other tasks move to
/// another thread meanwhile; a call's own CPU work (checking a list: about 1 µs a payout, perf of
/// the CLI) holds the other calls' requests while it runs. napi takes this runtime once: in a
/// process whose Node environments all stop and start again (worker threads), it builds its
/// default one.
#[napi_derive::module_init]
fn one_worker_runtime() {
    let runtime = napi::tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("cinetpay-runtime")
        .enable_all()
        .build();
    // Without it (threads refused by the system), napi builds its default runtime.
    if let Ok(runtime) = runtime {
        napi::bindgen_prelude::create_custom_tokio_runtime(runtime);
    }
}
