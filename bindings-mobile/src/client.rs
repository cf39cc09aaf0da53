//! The `Client` object: a handle on one core client, with every call a Kotlin `suspend fun` and
//! a Swift `async` function.
//!
//! Calls run under uniffi's `tokio` async runtime support: reqwest needs a tokio reactor, which the
//! foreign executor (Kotlin coroutines, Swift tasks) does not have; uniffi polls each call inside
//! one shared tokio runtime instead of creating one per call. Cancelling the coroutine or task
//! drops the Rust future, which abandons its request; the client stays usable.

use std::collections::HashMap;
use std::sync::Arc;

use cinetpay_transfer as core;

use crate::errors::CinetPayError;
use crate::token_provider::{ProviderAdapter, TokenProvider};
use crate::types::{
    Balance, ClientConfig, Contact, ContactResult, Notification, NotificationReply, PayoutLookup, SendResult,
    Transfer, TransferInfo, TransferQuery,
};

/// A client of the CinetPay Transfer API. Share one per app: its calls share one connection pool
/// and one token.
#[derive(uniffi::Object)]
pub struct Client {
    inner: core::Client,
}

#[uniffi::export(async_runtime = "tokio")]
impl Client {
    /// A client that gets its tokens from `tokenProvider` (the app's backend): the way for apps,
    /// which must never hold the API password. Makes no request.
    #[uniffi::constructor]
    pub fn new(
        config: ClientConfig,
        token_provider: Arc<dyn TokenProvider>,
    ) -> Result<Arc<Self>, CinetPayError> {
        let builder = core::Client::builder().token_provider(Arc::new(ProviderAdapter(token_provider)));
        Self::build(config, builder)
    }

    /// A client that logs in with the merchant's API key and password: for servers and tests,
    /// never for an app shipped to phones. Makes no request.
    #[uniffi::constructor]
    pub fn with_credentials(
        config: ClientConfig,
        api_key: String,
        password: String,
    ) -> Result<Arc<Self>, CinetPayError> {
        Self::build(config, core::Client::builder().credentials(api_key, password))
    }

    /// The transfer balance, with the per-country breakdown when the service sends it.
    pub async fn balance(&self) -> Result<Balance, CinetPayError> {
        Ok(self.inner.balance().await?.into())
    }

    /// Registers payees; one who already was a contact counts as added. Results in input order.
    pub async fn add_contacts(&self, contacts: Vec<Contact>) -> Result<Vec<ContactResult>, CinetPayError> {
        let results = self.inner.add_contacts(&contacts).await?;
        Ok(results.into_iter().map(Into::into).collect())
    }

    /// Sends payouts (to existing contacts). Never sends one twice; see the core's `send`.
    pub async fn send(&self, transfers: Vec<Transfer>) -> Result<Vec<SendResult>, CinetPayError> {
        let results = self.inner.send(&transfers).await?;
        Ok(results.into_iter().map(Into::into).collect())
    }

    /// Registers the payees this client does not know yet, then sends.
    pub async fn pay(&self, transfers: Vec<Transfer>) -> Result<Vec<SendResult>, CinetPayError> {
        let results = self.inner.pay(&transfers).await?;
        Ok(results.into_iter().map(Into::into).collect())
    }

    /// The state of transfers, by exactly one id (a lot gives every transfer of the batch).
    pub async fn transfer_status(&self, query: TransferQuery) -> Result<Vec<TransferInfo>, CinetPayError> {
        let infos = self.inner.transfer_status(&query.into()).await?;
        Ok(infos.into_iter().map(Into::into).collect())
    }

    /// What the service holds under the payout's `clientTransactionId` (required: without it a
    /// `Validation` error names the field), compared with the payout: the core's rule, the one
    /// `send` settles lost answers with. `NotFound` right after a request that may have been
    /// processed proves nothing: a payout being recorded may not be visible yet.
    pub async fn look_up(&self, transfer: Transfer) -> Result<PayoutLookup, CinetPayError> {
        Ok(self.inner.look_up(&transfer).await?.into())
    }

    /// Confirms a notification by asking the service (never trusting its body); a disagreement
    /// throws `NotificationMismatch`.
    pub async fn confirm_notification(
        &self,
        notification: Notification,
    ) -> Result<TransferInfo, CinetPayError> {
        Ok(self
            .inner
            .confirm_notification(&notification.into())
            .await?
            .into())
    }

    /// What to answer a request to the notify URL (the core's rule, see `NotificationReply`),
    /// from its method and raw form-encoded body (at most 64 KiB + 1 bytes of it); never throws
    /// for the request's content. For a JVM server: an app never serves the notify URL.
    pub async fn reply_to_notification(&self, method: String, body: String) -> NotificationReply {
        core::NotificationReply::for_request(&self.inner, &method, body.as_bytes())
            .await
            .into()
    }

    /// The same for the form fields a web framework already decoded.
    pub async fn reply_to_notification_fields(
        &self,
        method: String,
        fields: HashMap<String, String>,
    ) -> NotificationReply {
        core::NotificationReply::for_fields(&self.inner, &method, fields)
            .await
            .into()
    }
}

impl Client {
    fn build(config: ClientConfig, builder: core::ClientBuilder) -> Result<Arc<Self>, CinetPayError> {
        let inner = config.apply(builder).build()?;
        Ok(Arc::new(Client { inner }))
    }
}
