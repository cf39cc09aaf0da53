//! # cinetpay-transfer-node: the npm package `cinetpay-transfer`
//!
//! A napi-rs (v3) addon over the `cinetpay-transfer` core crate. It converts types, maps errors
//! and hands out Promises; it holds no behaviour of the CinetPay API (that belongs in the core,
//! where every language gets it). The addon is loaded by the generated `native/index.js` and used
//! only through the hand-written JS layer in `lib/` (which turns structured native errors into
//! `CinetPayError` subclasses and adds the Express handler).
//!
//! | module | owns |
//! |---|---|
//! | [`client`] | `NativeClient` (async methods on napi's tokio runtime), `parseNotification`, `isFinalStatus` |
//! | [`types`] | the `#[napi(object)]` inputs and results, and their conversions to the core's types |
//! | [`errors`] | the core `Error` -> a tagged JSON payload in the JS error's message, and per-item errors |

pub mod client;
pub mod errors;
pub mod types;

use napi_derive::napi;

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
