//! `NativeClient`: the core [`cinetpay_transfer::Client`] as a JS class whose calls return Promises.
//!
//! Every method is an `async fn`: napi-rs runs it on its tokio runtime (worker threads, never the
//! JS thread) and settles a Promise when it ends, so the event loop stays free during network
//! waits. One `NativeClient` wraps one core client, hence one connection pool and one token cache
//! shared by every concurrent call. Arguments are converted before the future starts; errors leave
//! through [`crate::errors::to_napi`]. Users never see this class: `ts/index.ts` wraps it in
//! `Client`, which rebuilds typed errors.
//!
//! The bulk calls (`addContacts`, `send`, `pay`) hand their results over as one JSON text (an array
//! of [`ContactResult`] or [`SendResult`], the same keys and `null`s as the napi objects), which
//! `ts/index.ts` parses. Building 100,000 result objects property by property through napi took
//! about 0.9 s on the JS thread after the call; the text is written here, on a worker thread, and
//! V8's `JSON.parse` builds the same plain objects in a fraction of that (issue 13, "one call of
//! 100,000 payouts"; docs/performance.md).

use cinetpay_transfer as core;
use napi::bindgen_prelude::{Buffer, Either, Either3};
use napi_derive::napi;

use crate::errors::js;
use crate::types::{
    core_transfers, Balance, ClientOptions, Contact, ContactResult, NativeIssuedToken, Notification,
    NotificationReply, PayoutLookup, Ping, SendResult, Transfer, TransferInfo, TransferQuery,
};

/// The largest notify-URL body the core reads (64 KiB); read at most one byte more.
#[napi]
pub const NOTIFICATION_BODY_LIMIT: u32 = core::NOTIFICATION_BODY_LIMIT as u32;

/// The native client (wrapped by `Client` in `ts/index.ts`).
#[napi]
pub struct NativeClient {
    inner: core::Client,
}

#[napi]
impl NativeClient {
    /// Checks the options and builds the client; makes no request.
    #[napi(constructor)]
    pub fn new(options: ClientOptions) -> napi::Result<Self> {
        Ok(NativeClient {
            inner: js(options.build())?,
        })
    }

    /// The transfer balance, with the per-country breakdown when the service sends it.
    #[napi]
    pub async fn balance(&self) -> napi::Result<Balance> {
        js(self.inner.balance().await).map(Balance::from)
    }

    /// The client's token and when it renews it (from the shared store when there is one), for a
    /// backend that hands tokens to its apps; `previous`, the token the caller had, is checked
    /// with the service first when it is still the current one (the core's `issue_token_after`).
    #[napi]
    pub async fn issue_token(&self, previous: Option<String>) -> napi::Result<NativeIssuedToken> {
        let issued = match previous {
            Some(previous) => self.inner.issue_token_after(&previous).await,
            None => self.inner.issue_token().await,
        };
        js(issued).map(NativeIssuedToken::from)
    }

    /// Registers payees; one already registered (726) counts as added.
    #[napi]
    pub async fn add_contacts(&self, contacts: Vec<Contact>) -> napi::Result<String> {
        let contacts: Vec<core::Contact> = contacts.into_iter().map(Into::into).collect();
        let results = js(self.inner.add_contacts(&contacts).await)?;
        as_json(results.into_iter().map(ContactResult::from))
    }

    /// Sends payouts to registered contacts; never sends one twice.
    #[napi]
    pub async fn send(&self, transfers: Vec<Transfer>) -> napi::Result<String> {
        let list = js(core_transfers(transfers))?;
        let results = js(self.inner.send(&list).await)?;
        as_json(results.into_iter().map(SendResult::from))
    }

    /// Registers the payees this client does not know yet, then sends.
    #[napi]
    pub async fn pay(&self, transfers: Vec<Transfer>) -> napi::Result<String> {
        let list = js(core_transfers(transfers))?;
        let results = js(self.inner.pay(&list).await)?;
        as_json(results.into_iter().map(SendResult::from))
    }

    /// The state of transfers, by exactly one id (a lot gives every transfer of the batch).
    #[napi]
    pub async fn transfer_status(&self, query: TransferQuery) -> napi::Result<Vec<TransferInfo>> {
        let query = js(query.to_core().map_err(|e| e.in_lang(self.inner.config().lang)))?;
        let infos = js(self.inner.transfer_status(&query).await)?;
        Ok(infos.into_iter().map(Into::into).collect())
    }

    /// What the service holds under the payout's `clientTransactionId` (required), compared with
    /// the payout: the core's rule, the one the send path settles lost answers with.
    #[napi]
    pub async fn look_up(&self, transfer: Transfer) -> napi::Result<PayoutLookup> {
        let transfer = js(transfer.into_core(0))?;
        js(self.inner.look_up(&transfer).await).map(PayoutLookup::from)
    }

    /// Re-queries the notified transfer and checks the notification against it.
    #[napi]
    pub async fn confirm_notification(&self, notification: Notification) -> napi::Result<TransferInfo> {
        let notification = core::Notification::from(notification);
        js(self.inner.confirm_notification(&notification).await).map(TransferInfo::from)
    }

    /// What to answer a request to the notify URL (the core's rule); never rejects for the
    /// request's content.
    #[napi]
    pub async fn reply_to_notification(
        &self,
        method: String,
        input: Either3<String, Buffer, std::collections::HashMap<String, String>>,
    ) -> NotificationReply {
        let reply = match input {
            Either3::A(text) => {
                core::NotificationReply::for_request(&self.inner, &method, text.as_bytes()).await
            }
            Either3::B(bytes) => {
                let bytes = bytes.to_vec();
                core::NotificationReply::for_request(&self.inner, &method, &bytes).await
            }
            Either3::C(fields) => core::NotificationReply::for_fields(&self.inner, &method, fields).await,
        };
        reply.into()
    }
}

/// Reads what arrived at the notify URL: a raw form-encoded body (string or Buffer), or the fields
/// a framework already decoded (`req.body` of `express.urlencoded()`). `method` defaults to POST.
#[napi]
pub fn parse_notification(
    input: Either3<String, Buffer, std::collections::HashMap<String, String>>,
    method: Option<String>,
) -> napi::Result<Either<Ping, Notification>> {
    let method = method.as_deref().unwrap_or("POST");
    let event = js(match input {
        Either3::A(text) => core::NotificationEvent::from_request(text.as_bytes(), method),
        Either3::B(bytes) => core::NotificationEvent::from_request(&bytes, method),
        Either3::C(fields) => core::NotificationEvent::from_fields(fields, method),
    })?;
    Ok(match event {
        core::NotificationEvent::Ping => Either::A(Ping {
            kind: "ping".to_owned(),
        }),
        core::NotificationEvent::Transfer(n) => Either::B(n.into()),
    })
}

/// True for a final treatment status (`VAL`, `REJ`): nothing will change any more (the core's
/// `TreatmentStatus::is_final`).
#[napi]
pub fn is_final_status(status: String) -> bool {
    core::TreatmentStatus::parse(&status).is_final()
}

/// A bulk call's results as the JSON array `ts/index.ts` parses (see the module doc).
fn as_json<T: serde::Serialize>(results: impl Iterator<Item = T>) -> napi::Result<String> {
    let results: Vec<T> = results.collect();
    serde_json::to_string(&results).map_err(|e| napi::Error::from_reason(format!("results not encoded: {e}")))
}
