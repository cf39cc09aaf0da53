//! `NativeClient`: the core [`cinetpay_transfer::Client`] as a JS class whose calls return Promises.
//!
//! Every method is an `async fn`: napi-rs runs it on its tokio runtime (worker threads, never the
//! JS thread) and settles a Promise when it ends, so the event loop stays free during network
//! waits. One `NativeClient` wraps one core client, hence one connection pool and one token cache
//! shared by every concurrent call. Arguments are converted before the future starts; errors leave
//! through [`crate::errors::to_napi`]. Users never see this class: `ts/index.ts` wraps it in
//! `Client`, which rebuilds typed errors.
//!
//! The bulk calls (`addContacts`, `send`, `pay`) read the caller's list a range at a time and hand
//! each chunk's results over as JSON text as it settles ([`crate::lists`]): one call of 100,000
//! holds only the chunks in flight. Results cross as JSON (the fields of each [`ContactResult`] or
//! [`SendResult`] in one flat array per chunk), from which `ts/lists.ts` builds the same plain
//! objects as napi would: building 100,000 result objects property by property through napi took
//! about 0.9 s on the JS thread; V8's `JSON.parse` and object literals take a fraction of that
//! (issue 13; docs/performance.md).

use cinetpay_transfer as core;
use napi::bindgen_prelude::{Buffer, Either, Either3};
use napi_derive::napi;

use cinetpay_transfer::streaming;

use crate::errors::js;
use crate::lists::{ContactRow, JsList, List, TransferRow};
use crate::types::{
    Balance, ClientOptions, ContactResult, NativeIssuedToken, Notification, NotificationReply, PayoutLookup,
    Ping, SendResult, Transfer, TransferInfo, TransferQuery,
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

    /// Registers payees; one already registered (726) counts as added. The contacts are read from
    /// the caller's list and the results handed back a chunk at a time (`crate::lists`).
    #[napi(ts_args_type = "length: number, list: ListCallback")]
    pub async fn add_contacts(&self, length: u32, list: List) -> napi::Result<()> {
        let contacts = JsList::<ContactRow>::new(length, list);
        let sink = contacts.sink::<core::ContactResult, ContactResult>();
        js(streaming::add_contacts(&self.inner, &contacts, &sink).await)
    }

    /// Sends payouts to registered contacts; never sends one twice. Read and handed back a chunk
    /// at a time, as `add_contacts`.
    #[napi(ts_args_type = "length: number, list: ListCallback")]
    pub async fn send(&self, length: u32, list: List) -> napi::Result<()> {
        let transfers = JsList::<TransferRow>::new(length, list);
        let sink = transfers.sink::<core::SendResult, SendResult>();
        js(streaming::send(&self.inner, &transfers, &sink).await)
    }

    /// Registers the payees this client does not know yet, then sends; as `send`.
    #[napi(ts_args_type = "length: number, list: ListCallback")]
    pub async fn pay(&self, length: u32, list: List) -> napi::Result<()> {
        let transfers = JsList::<TransferRow>::new(length, list);
        let sink = transfers.sink::<core::SendResult, SendResult>();
        js(streaming::pay(&self.inner, &transfers, &sink).await)
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
