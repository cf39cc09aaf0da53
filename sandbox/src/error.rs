//! Errors of the embedding API (starting a sandbox, admin operations, waiting).

use std::net::SocketAddr;

/// Why a sandbox could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The listening socket could not be bound.
    #[error("cannot bind {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
}

/// Why an admin operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdminError {
    /// No merchant has this API key (or no merchant exists when none was named).
    #[error("unknown merchant {0:?}")]
    UnknownMerchant(String),
    /// A merchant with this API key already exists.
    #[error("merchant {0:?} already exists")]
    MerchantExists(String),
    /// The country code is not one the sandbox serves.
    #[error("unknown country {0:?}")]
    UnknownCountry(String),
    /// No payout has this transaction id.
    #[error("unknown transaction {0:?}")]
    UnknownTransaction(String),
}

/// Fewer notification deliveries than awaited were recorded before the timeout.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("waited for {wanted} notification deliveries, {got} recorded")]
pub struct WaitTimeout {
    /// How many deliveries were awaited.
    pub wanted: usize,
    /// How many were recorded.
    pub got: usize,
}
