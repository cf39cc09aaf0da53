//! Tokens from the app's own backend, so that phones never hold the merchant's API password.
//!
//! A mobile app implements [`TokenProvider`] in Kotlin (`suspend fun fetchToken(): String`) or
//! Swift (`func fetchToken() async throws -> String`), typically as a call to the merchant's
//! backend, which logs in to CinetPay with the password it alone holds and returns the token.
//! [`ProviderAdapter`] plugs it into the core's `TokenProvider` trait: the core calls it when it
//! needs a token (first use, ahead of expiry, after a 705/706/707), one call at a time for all the
//! concurrent calls of a client. Nothing about that policy lives here.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use cinetpay_transfer as core;

/// Supplies Transfer API tokens, implemented by the app (Kotlin, Swift).
#[uniffi::export(foreign)]
#[async_trait::async_trait]
pub trait TokenProvider: Send + Sync {
    /// Returns a fresh token. Throw `Refused` when the backend says no, `Unavailable` when it
    /// cannot be reached (the call is then retried like any transient failure).
    async fn fetch_token(&self) -> Result<String, TokenProviderError>;
}

/// Why a token provider could not give a token. Kotlin: `TokenProviderException.Refused(reason)`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Error)]
pub enum TokenProviderError {
    /// The backend refused (the user may not pay out): the call fails with `Authentication`.
    Refused { reason: String },
    /// The backend could not be reached: the call fails with `Transport` after the retries.
    Unavailable { reason: String },
}

impl std::fmt::Display for TokenProviderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenProviderError::Refused { reason } => write!(f, "the token provider refused: {reason}"),
            TokenProviderError::Unavailable { reason } => {
                write!(f, "the token provider is unavailable: {reason}")
            }
        }
    }
}

impl std::error::Error for TokenProviderError {}

/// Any other exception thrown by the app's implementation counts as "unavailable".
impl From<uniffi::UnexpectedUniFFICallbackError> for TokenProviderError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        TokenProviderError::Unavailable { reason: e.reason }
    }
}

impl From<TokenProviderError> for core::Error {
    fn from(e: TokenProviderError) -> Self {
        let kind = match e {
            TokenProviderError::Refused { .. } => core::ErrorKind::Authentication,
            TokenProviderError::Unavailable { .. } => core::ErrorKind::Transport,
        };
        core::Error::new(kind, e.to_string())
    }
}

/// The app's provider, seen by the core as its own `TokenProvider`.
pub(crate) struct ProviderAdapter(pub(crate) Arc<dyn TokenProvider>);

impl core::TokenProvider for ProviderAdapter {
    fn fetch_token(&self) -> Pin<Box<dyn Future<Output = core::Result<String>> + Send + 'static>> {
        let provider = Arc::clone(&self.0);
        Box::pin(async move { provider.fetch_token().await.map_err(core::Error::from) })
    }
}
