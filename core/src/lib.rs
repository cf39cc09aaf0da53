//! # cinetpay-transfer
//!
//! A client for the CinetPay Transfer API: mobile-money payouts to phone numbers in West and
//! Central Africa. It logs in and renews tokens by itself, checks every input before it leaves,
//! reads every quirk of the live service, turns every response code into a typed [`Error`], and
//! never sends a payout twice (see [`send`](crate::Client::send) and the `send` module docs).
//!
//! ```no_run
//! use cinetpay_transfer::{Client, Transfer, TransferQuery};
//!
//! # async fn demo() -> cinetpay_transfer::Result<()> {
//! // REAL MONEY: production credentials, so `pay` below pays. To try it without money, run
//! // `cargo run -p cinetpay-transfer --example payout` (the in-process sandbox; `--live` is explicit).
//! let client = Client::builder()
//!     .credentials(std::env::var("CINETPAY_API_KEY").unwrap(), std::env::var("CINETPAY_API_PASSWORD").unwrap())
//!     .build()?;
//! println!("available: {} XOF", client.balance().await?.available);
//!
//! let results = client
//!     .pay(&[Transfer::new("", "+2250701020304", 5_000, "https://shop.example/cinetpay/notify")
//!         .client_transaction_id("salary-2026-11-0042")])
//!     .await?;
//! let status = client
//!     .transfer_status(&TransferQuery::ClientTransactionId(results[0].client_transaction_id.clone()))
//!     .await?;
//! println!("{}", status[0].treatment_status);
//! # Ok(()) }
//! ```
//!
//! Every binding (Python, Node, Kotlin, Swift) is a thin layer over this crate: the behaviour
//! described here is the behaviour in every language.

#![warn(missing_docs)]

mod auth;
mod client;
mod config;
mod error;
mod http;
pub mod i18n;
mod limits;
mod lookup;
mod model;
mod notification;
mod secret;
mod send;
pub mod streaming;
mod token_store;
#[cfg(feature = "redis")]
mod token_store_redis;
mod validate;
mod wire;

#[cfg(test)]
mod fixture_tests;
#[cfg(test)]
mod fuzz_tests;

pub use auth::{Credentials, IssuedToken, TokenProvider};
pub use client::{Client, ClientBuilder};
pub use config::{Config, RetryPolicy, PRODUCTION_BASE_URL};
pub use error::{Error, ErrorKind, Result};
pub use limits::{CountryRule, Limits};
pub use lookup::PayoutLookup;
pub use model::{
    Balance, Contact, ContactResult, CountryBalance, Lang, SendOutcome, SendResult, SendingStatus, Transfer,
    TransferInfo, TransferQuery, TreatmentStatus,
};
pub use notification::{Notification, NotificationEvent, NotificationReply, NOTIFICATION_BODY_LIMIT};
pub use secret::Secret;
#[cfg(feature = "redis")]
pub use token_store::RedisTokenStore;
pub use token_store::{token_store_from_url, MemoryTokenStore, StoredToken, TokenStore};
pub use validate::{normalize_phone, validate_contacts, validate_transfers};

/// The `User-Agent` this SDK sends.
pub const USER_AGENT: &str = http::USER_AGENT;
