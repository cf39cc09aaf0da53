//! Prints the core's public surface as JSON, read from the core's own source (core/src).
//!
//! Every binding's test runner compares its public names with this output in its own letter case
//! (ADR 6: one vocabulary), so a record field, client method or client option added to the core
//! and not exposed in a binding fails that binding's tests by name. Deriving the list from the
//! source, not from a hand-kept copy, is the point: nobody has to remember to update it.
//!
//! What counts as the surface:
//! - records: the structs with named `pub` fields that the crate root re-exports (`pub use` in
//!   core/src/lib.rs), with those fields;
//! - enums: the re-exported enums, with their variants (informative; bindings shape enums their
//!   own way: string unions, open enums, sealed classes);
//! - client methods: the `pub fn`s of `impl Client` that take `self` (associated functions such as
//!   `builder` are Rust's way to construct; the bindings' constructors are checked by options);
//! - client options: the `ClientBuilder` setters (`pub fn` taking `self` and returning `Self`),
//!   what Python's `Client(...)` keywords, Node's options object and Kotlin's `ClientConfig` mirror,
//!   with their parameter names and whether they take a `Duration` (spelled with a unit in JS).
//!
//! `cargo run -q -p cinetpay-surface [core/src]` (default: the workspace's core/src).

mod surface;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let src = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../core/src"));
    match surface::Surface::read(&src) {
        Ok(surface) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&surface).expect("the surface serializes")
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cinetpay-surface: {e}");
            ExitCode::FAILURE
        }
    }
}
