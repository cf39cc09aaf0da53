//! `uniffi-bindgen`: generates the Kotlin and Swift sources from the built mobile library
//! (library mode: `uniffi-bindgen generate <libcinetpay_mobile.so> --language kotlin ...`).
//! It must come from the same uniffi version as the library, hence this workspace crate.

fn main() {
    uniffi::uniffi_bindgen_main()
}
