//! # cinetpay-transfer-mobile: the SDK for Android (Kotlin) and iOS (Swift) apps
//!
//! A thin uniffi layer over the `cinetpay-transfer` core, built with proc macros (no UDL): it
//! converts types and errors and nothing else, so an app gets exactly the behaviour of the core
//! (token renewal, validation, never sending a payout twice) and the conformance scenarios prove
//! it. Kotlin and Swift sources are generated from the built library by the workspace's
//! `uniffi-bindgen` (see `README.md` beside this crate).
//!
//! - [`client`]: the `Client` object; every call is a Kotlin `suspend fun` / Swift `async func`.
//! - [`types`]: records and enums: the core's own where uniffi carries them (remote types), hand
//!   copies with their conversions where the shape must differ.
//! - [`errors`]: `CinetPayError` (Kotlin `CinetPayException`), one subclass per error kind.
//! - [`token_provider`]: the callback interface through which an app gets tokens from its own
//!   backend, so that a phone never holds the merchant's API password.

// Errors and enums cross the FFI by value (uniffi serialises them into a buffer) and uniffi has no
// `Box` type: the foreign shape needs the fields inline, so these size lints do not apply here.
#![allow(clippy::result_large_err, clippy::large_enum_variant)]

pub mod client;
pub mod errors;
pub mod token_provider;
pub mod types;

pub use client::Client;
pub use errors::{CinetPayError, ErrorDetails, ErrorKind};
pub use token_provider::{TokenProvider, TokenProviderError};
pub use types::*;

uniffi::setup_scaffolding!("cinetpay");
