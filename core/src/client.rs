//! The [`Client`]: configuration, the shared token, and the calls of the Transfer API.
//!
//! A `Client` is an `Arc` around one connection pool, one token cache and one set of known
//! contacts, so clones are cheap and share all three; it is `Send + Sync` and meant to live as
//! long as the application. Reads are retried on transient failures; the send path lives in
//! [`crate::send`] because it must never retry blindly.

use std::collections::HashSet;
use std::ops::ControlFlow;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::auth::{Credentials, IssuedToken, TokenCache, TokenKeys, TokenProvider, TokenTimes};
use crate::config::{Config, RetryPolicy};
use crate::error::{Error, ErrorKind, Result};
use crate::http::{Failure, Http, Request};
use crate::i18n::{Localize, Message};
use crate::limits::Limits;
use crate::lookup::PayoutLookup;
use crate::model::{
    Balance, Contact, ContactResult, Lang, SendResult, Transfer, TransferInfo, TransferQuery,
};
use crate::notification::Notification;
use crate::secret::Secret;
use crate::streaming::{self, Payees, SliceSource, Slots};
use crate::token_store::{token_store_from_url, MemoryTokenStore, TokenStore};
use crate::validate;
use crate::wire::{self, Envelope};

/// The longest processing window accepted (see [`Config::processing_window`]).
const MAX_PROCESSING_WINDOW: Duration = Duration::from_secs(24 * 3600);

/// A client of the CinetPay Transfer API. Cheap to clone; clones share their connections and token.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) config: Config,
    pub(crate) http: Http,
    credentials: Credentials,
    /// The store given to the builder (`None`: the client's own, in memory).
    token_store: Option<Arc<dyn TokenStore>>,
    tokens: TokenCache,
    /// Contacts this client added or found existing, so `pay` does not add them again.
    pub(crate) known_contacts: Mutex<HashSet<(String, String)>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.config.base_url)
            .field("credentials", &self.inner.credentials)
            .field("token_store", &self.inner.token_store)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`]; see [`Config`] for every default.
#[derive(Debug, Default)]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    token_store: Option<Result<Arc<dyn TokenStore>>>,
    config: Config,
}

impl ClientBuilder {
    /// Logs in with the merchant's API key and API password.
    pub fn credentials(mut self, api_key: impl Into<Secret>, password: impl Into<Secret>) -> Self {
        self.credentials = Some(Credentials::ApiKey {
            api_key: api_key.into(),
            password: password.into(),
        });
        self
    }
    /// Gets tokens from the application instead of logging in (for apps that must not hold the password).
    pub fn token_provider(mut self, provider: Arc<dyn TokenProvider>) -> Self {
        self.credentials = Some(Credentials::Provider(provider));
        self
    }
    /// Shares the token through `store` with every client (and process) using the same store:
    /// one login per token lifetime for all of them (see [`TokenStore`]). Only with
    /// [`credentials`](ClientBuilder::credentials): a token provider has no login to share.
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.token_store = Some(Ok(store));
        self
    }
    /// [`token_store`](ClientBuilder::token_store) named by a URL: `redis://host:6379/0` (with
    /// the `redis` feature) or `memory`. The URL is checked by [`build`](ClientBuilder::build);
    /// nothing connects before the first login.
    pub fn token_store_url(mut self, url: &str) -> Self {
        self.token_store = Some(token_store_from_url(url));
        self
    }
    /// Base URL (production by default; the sandbox's `base_url()` in tests).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.config.base_url = url.into();
        self
    }
    /// Language of the service's descriptions.
    pub fn lang(mut self, lang: Lang) -> Self {
        self.config.lang = lang;
        self
    }
    /// Time allowed to open a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }
    /// Time allowed for a request and its answer.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.config.request_timeout = timeout;
        self
    }
    /// Retries of idempotent calls.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.config.retry = policy;
        self
    }
    /// Items per request for long lists.
    pub fn chunk_size(mut self, size: usize) -> Self {
        self.config.chunk_size = size;
        self
    }
    /// Requests of one call in flight at once.
    pub fn max_concurrency(mut self, n: usize) -> Self {
        self.config.max_concurrency = n;
        self
    }
    /// How long a payout request that timed out may still be running on the service: nothing
    /// of it is sent again before (see [`Config::processing_window`]).
    pub fn processing_window(mut self, window: Duration) -> Self {
        self.config.processing_window = window;
        self
    }
    /// Amount and phone rules.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.config.limits = limits;
        self
    }
    /// Replaces the whole configuration (credentials are kept).
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// Checks the settings and builds the client. Makes no request.
    pub fn build(self) -> Result<Client> {
        let lang = self.config.lang;
        self.build_in_english().map_err(|e| e.in_lang(lang))
    }

    fn build_in_english(self) -> Result<Client> {
        let credentials = self
            .credentials
            .ok_or_else(|| Error::invalid("credentials", None, Message::new("credentials-missing")))?;
        if let Credentials::ApiKey { api_key, password } = &credentials {
            if api_key.expose().trim().is_empty() {
                return Err(Error::invalid("api_key", None, Message::new("api-key-empty")));
            }
            if password.expose().is_empty() {
                return Err(Error::invalid("password", None, Message::new("password-empty")));
            }
        }
        let token_store = self.token_store.transpose()?;
        if token_store.is_some() && matches!(credentials, Credentials::Provider(_)) {
            return Err(Error::invalid(
                "token_store",
                None,
                Message::new("token-store-with-provider"),
            ));
        }
        let config = self.config;
        config.limits.check()?;
        let base_ok = url::Url::parse(&config.base_url)
            .map(|u| matches!(u.scheme(), "http" | "https"))
            .unwrap_or(false);
        if !base_ok {
            return Err(Error::invalid("base_url", None, Message::new("base-url-invalid")));
        }
        for (field, value) in [
            ("chunk_size", config.chunk_size),
            ("max_concurrency", config.max_concurrency),
            ("retry.max_attempts", config.retry.max_attempts as usize),
        ] {
            if value == 0 {
                return Err(Error::invalid(
                    field,
                    None,
                    Message::new("setting-below-one").text("field", field),
                ));
            }
        }
        // A window shorter than our own timeout would end before we stop waiting for the answer;
        // a day is far beyond any service run (and keeps `Instant` arithmetic finite).
        if config.processing_window < config.request_timeout
            || config.processing_window > MAX_PROCESSING_WINDOW
        {
            return Err(Error::invalid(
                "processing_window",
                None,
                Message::new("processing-window-invalid"),
            ));
        }
        Client::from_parts(config, credentials, token_store, HashSet::new())
    }
}

impl Client {
    /// Starts a [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    fn from_parts(
        config: Config,
        credentials: Credentials,
        token_store: Option<Arc<dyn TokenStore>>,
        known_contacts: HashSet<(String, String)>,
    ) -> Result<Client> {
        let store = token_store
            .clone()
            .unwrap_or_else(|| Arc::new(MemoryTokenStore::default()));
        let times = TokenTimes {
            refresh_margin: config.token_refresh_margin,
            login_retry_after: config.login_retry_after,
            login_lock_ttl: config.login_lock_ttl,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http: Http::new(&config)?,
                tokens: TokenCache::new(store, token_keys(&config.base_url, &credentials), times),
                token_store,
                credentials,
                known_contacts: Mutex::new(known_contacts),
                config,
            }),
        })
    }

    /// The settings this client runs with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// A client with the same settings, credentials and token store but its own connection pool
    /// (to the service and to the store) and an empty token cache. For a process forked from one
    /// that used this client (gunicorn `--preload`): the parent's pooled connections belong to
    /// the parent's runtime and must not be reused, and a binding can rebuild its client without
    /// keeping the credentials itself.
    pub fn reconnected(&self) -> Result<Client> {
        let known = self
            .inner
            .known_contacts
            .lock()
            .expect("contact set poisoned")
            .clone();
        let store = (self.inner.token_store.as_ref()).map(|s| s.reconnected().unwrap_or_else(|| s.clone()));
        let (config, credentials) = (self.inner.config.clone(), self.inner.credentials.clone());
        Client::from_parts(config, credentials, store, known)
    }

    /// A valid token and when this client renews it, for a backend that hands tokens to its
    /// apps (which then never hold the password): the same token the client uses, from the
    /// shared store when there is one, logging in only when needed. Hand it only to callers you
    /// have authenticated: it spends the merchant's balance.
    pub async fn issue_token(&self) -> Result<IssuedToken> {
        let lang = self.inner.config.lang;
        let (token, renew_at) =
            (self.inner.tokens.get(self.inner.fetch_token()).await).map_err(|e| e.in_lang(lang))?;
        let left = renew_at.saturating_duration_since(std::time::Instant::now());
        Ok(IssuedToken {
            token,
            expires_at: std::time::SystemTime::now() + left,
        })
    }

    /// [`issue_token`](Client::issue_token) for a caller who already had `previous` and asks
    /// again (an app whose token the service refused, or that renews it): when `previous` is still
    /// this client's token, the service is asked whether it still takes it (one balance call),
    /// and a refusal (705/706/707) replaces it here and in the shared store. Without this, a token
    /// the service revoked would be handed out again until its expiry. A token that is not the
    /// current one costs nothing.
    pub async fn issue_token_after(&self, previous: &str) -> Result<IssuedToken> {
        let issued = self.issue_token().await?;
        if issued.token.expose() != previous {
            return Ok(issued);
        }
        self.balance().await?;
        self.issue_token().await
    }

    /// The transfer balance, with the per-country breakdown when the service sends it.
    pub async fn balance(&self) -> Result<Balance> {
        self.balance_in_english().await.localize(self.inner.config.lang)
    }

    async fn balance_in_english(&self) -> Result<Balance> {
        let request = Request {
            post: false,
            path: "/transfer/check/balance",
            query: vec![],
            form: vec![],
        };
        let envelope = self.inner.call_idempotent(&request).await?;
        wire::parse_balance(&envelope.data())
    }

    /// Registers payees. A payee who already was a contact (726) counts as added. Results come
    /// in input order; long lists are split into chunks sent concurrently.
    pub async fn add_contacts(&self, contacts: &[Contact]) -> Result<Vec<ContactResult>> {
        self.add_contacts_in_english(contacts)
            .await
            .localize(self.inner.config.lang)
    }

    async fn add_contacts_in_english(&self, contacts: &[Contact]) -> Result<Vec<ContactResult>> {
        let results = Slots::new(contacts.len());
        let sink = |first: usize, chunk: Vec<ContactResult>| results.fill(first, chunk);
        streaming::add_contacts_from(&self.inner, &SliceSource(contacts), &sink).await?;
        Ok(results.into_vec())
    }

    /// Sends payouts. Every item is checked before anything leaves; a missing
    /// `client_transaction_id` is generated and returned. Nothing is ever sent twice: see
    /// ADR 2 (`docs/adr/0002-never-send-twice.md`) for what happens when an answer is lost.
    ///
    /// Give your own `client_transaction_id`s when the call may be cancelled (a dropped future, a
    /// Ctrl-C, a cancelled coroutine): a cancelled call returns nothing, so generated ids are lost
    /// with it, while its request may already have reached the service.
    ///
    /// Errors: when the payouts went in one request (no more than `chunk_size`), a failure of that
    /// request is returned as `Err` (for example [`ErrorKind::InsufficientBalance`], or
    /// [`ErrorKind::OutcomeUnknown`] with the ids to look up). When the list was split into several
    /// requests, the result is always per item, so that payouts accepted by one request are never
    /// hidden behind the failure of another.
    pub async fn send(&self, transfers: &[Transfer]) -> Result<Vec<SendResult>> {
        self.send_observed(transfers, &crate::send::unobserved).await
    }

    /// [`send`](Client::send), calling `on_chunk` with each request's final results as soon as it
    /// settles, for callers that record progress as it happens (a journal, a progress bar).
    ///
    /// Every payout sent is in exactly one `on_chunk` call, with the same result the call
    /// returns for it: after the reconciliation of lost answers and duplicates (805), so an
    /// observed result never changes afterwards. Chunks are sent concurrently (up to
    /// `max_concurrency`) and observed in the order they settle, not in input order; every call
    /// happens before this returns. Nothing is observed when the call fails before anything is
    /// sent (an invalid item). When the call returns `Err` for its single request, that request's
    /// payouts were observed first (`failed`, or `unknown` with the ids the error names).
    ///
    /// `on_chunk` returns [`ControlFlow::Continue`] to go on. [`ControlFlow::Break`]`(error)`
    /// stops the call from starting any further request (for example after a refusal about the
    /// account, which the next requests would meet too): requests already in flight finish and are
    /// observed; payouts not sent by then are **not** observed and come back `failed` with `error`
    /// (no money moved for them). With no break, every payout of the call is observed.
    ///
    /// `on_chunk` runs on the task that drives the call, between requests: keep it short (a
    /// journal write, a counter), and do not block on anything the call itself is waiting for.
    pub async fn send_observed(
        &self,
        transfers: &[Transfer],
        on_chunk: &(dyn Fn(&[SendResult]) -> ControlFlow<Error> + Send + Sync),
    ) -> Result<Vec<SendResult>> {
        self.send_observed_in_english(transfers, on_chunk)
            .await
            .localize(self.inner.config.lang)
    }

    async fn send_observed_in_english(
        &self,
        transfers: &[Transfer],
        on_chunk: &(dyn Fn(&[SendResult]) -> ControlFlow<Error> + Send + Sync),
    ) -> Result<Vec<SendResult>> {
        self.send_all(transfers, Payees::Registered, on_chunk).await
    }

    /// `send` and `pay` over a slice: the streaming engine, every result kept and returned.
    async fn send_all(
        &self,
        transfers: &[Transfer],
        payees: Payees,
        on_chunk: &(dyn Fn(&[SendResult]) -> ControlFlow<Error> + Send + Sync),
    ) -> Result<Vec<SendResult>> {
        let results = Slots::new(transfers.len());
        let deliver = |first: usize, chunk: Vec<SendResult>, observed: bool| {
            let flow = if observed {
                on_chunk(&chunk)
            } else {
                ControlFlow::Continue(())
            };
            results.fill(first, chunk);
            flow
        };
        streaming::send_from(&self.inner, &SliceSource(transfers), payees, &deliver).await?;
        Ok(results.into_vec())
    }

    /// What most merchants want in one call: registers the payees this client does not know yet,
    /// then sends. A payee the service refuses as a contact makes that payout fail, not the call.
    pub async fn pay(&self, transfers: &[Transfer]) -> Result<Vec<SendResult>> {
        self.pay_observed(transfers, &crate::send::unobserved).await
    }

    /// [`pay`](Client::pay), calling `on_chunk` with each request's final results as soon as it
    /// settles; see [`send_observed`](Client::send_observed) for what is observed and when.
    /// Payouts that fail because their payee was refused as a contact are observed with the
    /// other payouts of their chunk (they are not sent). A failure to register
    /// contacts that fails the whole call (`Err`) comes before anything is sent, so nothing is
    /// observed.
    pub async fn pay_observed(
        &self,
        transfers: &[Transfer],
        on_chunk: &(dyn Fn(&[SendResult]) -> ControlFlow<Error> + Send + Sync),
    ) -> Result<Vec<SendResult>> {
        self.pay_observed_in_english(transfers, on_chunk)
            .await
            .localize(self.inner.config.lang)
    }

    async fn pay_observed_in_english(
        &self,
        transfers: &[Transfer],
        on_chunk: &(dyn Fn(&[SendResult]) -> ControlFlow<Error> + Send + Sync),
    ) -> Result<Vec<SendResult>> {
        self.send_all(transfers, Payees::ToRegister, on_chunk).await
    }

    /// The state of transfers, by exactly one id (a lot gives every transfer of the batch).
    pub async fn transfer_status(&self, query: &TransferQuery) -> Result<Vec<TransferInfo>> {
        self.transfer_status_in_english(query)
            .await
            .localize(self.inner.config.lang)
    }

    async fn transfer_status_in_english(&self, query: &TransferQuery) -> Result<Vec<TransferInfo>> {
        let (name, value) = query.param();
        if value.trim().is_empty() {
            return Err(Error::invalid(
                name,
                None,
                Message::new("field-empty").text("field", name),
            ));
        }
        self.inner.transfer_status(query).await
    }

    /// What the service holds under `transfer`'s `client_transaction_id` (required), compared
    /// with that payout: [`PayoutLookup::Found`] (same number and amount), `Conflict` (the id is
    /// taken by another payout) or `NotFound`. The same rule the send path settles lost answers
    /// with, for callers that keep their own record of payouts (a journal, a database).
    ///
    /// `NotFound` right after a request that may have been processed is not proof that no money
    /// left: a payout being recorded may not be visible yet (see ADR 2).
    pub async fn look_up(&self, transfer: &Transfer) -> Result<PayoutLookup> {
        self.look_up_in_english(transfer)
            .await
            .localize(self.inner.config.lang)
    }

    async fn look_up_in_english(&self, transfer: &Transfer) -> Result<PayoutLookup> {
        if transfer.client_transaction_id.is_none() {
            return Err(Error::invalid(
                "client_transaction_id",
                None,
                Message::new("lookup-needs-id"),
            ));
        }
        let checked = validate::check_transfers(std::slice::from_ref(transfer), &self.inner.config.limits)?;
        crate::lookup::look_up(&self.inner, &checked[0]).await
    }

    /// Confirms a notification the way the provider asks: never trusting its body, it re-queries
    /// the transfer by `transaction_id` and checks that `client_transaction_id` and `amount`
    /// agree. Returns the service's view of the transfer; a disagreement is an
    /// [`ErrorKind::NotificationMismatch`] error.
    pub async fn confirm_notification(&self, notification: &Notification) -> Result<TransferInfo> {
        self.confirm_notification_in_english(notification)
            .await
            .localize(self.inner.config.lang)
    }

    async fn confirm_notification_in_english(&self, notification: &Notification) -> Result<TransferInfo> {
        let query = TransferQuery::TransactionId(notification.transaction_id.clone());
        let infos = self.transfer_status(&query).await?;
        let info = infos
            .into_iter()
            .find(|i| i.transaction_id == notification.transaction_id)
            .ok_or_else(|| Error::of(ErrorKind::NotFound, Message::new("notified-transfer-unknown")))?;
        notification.check_against(&info)?;
        Ok(info)
    }
}

impl Inner {
    /// A token from the cache, or from a login / the provider when there is none.
    pub(crate) async fn token(&self) -> Result<Secret> {
        Ok(self.tokens.get(self.fetch_token()).await?.0)
    }

    async fn fetch_token(&self) -> Result<String> {
        match &self.credentials {
            // A provider that never answers must not hold the token lock (and every call) for ever.
            Credentials::Provider(provider) => {
                let limit = self.config.token_provider_timeout;
                tokio::time::timeout(limit, provider.fetch_token())
                    .await
                    .unwrap_or_else(|_| {
                        Err(Error::of(
                            ErrorKind::Transport,
                            Message::new("token-provider-timeout").text("limit", format!("{limit:?}")),
                        ))
                    })
            }
            Credentials::ApiKey { api_key, password } => {
                let request = Request {
                    post: true,
                    path: crate::http::LOGIN_PATH,
                    query: vec![],
                    form: vec![("apikey", api_key.expose()), ("password", password.expose())],
                };
                let envelope = self.retry_transient(&request, None).await?;
                envelope
                    .data()
                    .get("token")
                    .and_then(|t| t.as_str())
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .ok_or_else(|| wire::protocol(Message::new("login-without-token")))
            }
        }
    }

    /// An exchange with a token; a rejected token (705/706/707) is renewed and the request
    /// replayed once. Safe for every call: a rejected token means the request was not executed.
    pub(crate) async fn exchange_authenticated(
        &self,
        request: &Request<'_>,
        attempt: u32,
    ) -> std::result::Result<Envelope, Failure> {
        let not_processed = Failure::before_sending;
        let token = self.token().await.map_err(not_processed)?;
        match self.http.exchange(request, Some(&token), attempt).await {
            Err(f) if f.error.is_token_rejected() => {
                tracing::debug!(code = f.error.code(), "token rejected; logging in again");
                self.tokens.invalidate(&token).await;
                let token = self.token().await.map_err(not_processed)?;
                self.http.exchange(request, Some(&token), attempt).await
            }
            other => other,
        }
    }

    /// An idempotent authenticated call, retried on transient failures.
    pub(crate) async fn call_idempotent(&self, request: &Request<'_>) -> Result<Envelope> {
        let mut attempt = 1;
        loop {
            match self.exchange_authenticated(request, attempt).await {
                Ok(envelope) => return Ok(envelope),
                Err(f) => self.wait_before_retry(f.error, &mut attempt).await?,
            }
        }
    }

    async fn retry_transient(&self, request: &Request<'_>, token: Option<&Secret>) -> Result<Envelope> {
        let mut attempt = 1;
        loop {
            match self.http.exchange(request, token, attempt).await {
                Ok(envelope) => return Ok(envelope),
                Err(f) => self.wait_before_retry(f.error, &mut attempt).await?,
            }
        }
    }

    /// Returns the error when it is final; otherwise waits the backoff and counts the attempt.
    pub(crate) async fn wait_before_retry(&self, error: Error, attempt: &mut u32) -> Result<()> {
        let policy = &self.config.retry;
        if !error.is_retryable() || *attempt >= policy.max_attempts {
            return Err(error);
        }
        let wait = policy.backoff(*attempt);
        tracing::debug!(attempt = *attempt, wait_ms = wait.as_millis() as u64, error = %error, "retrying");
        tokio::time::sleep(wait).await;
        *attempt += 1;
        Ok(())
    }

    pub(crate) async fn transfer_status(&self, query: &TransferQuery) -> Result<Vec<TransferInfo>> {
        let (name, value) = query.param();
        let request = Request {
            post: false,
            path: "/transfer/check/money",
            query: vec![(name, value)],
            form: vec![],
        };
        let envelope = self.call_idempotent(&request).await?;
        let infos = envelope
            .items()
            .iter()
            .map(wire::parse_transfer_info)
            .collect::<Result<Vec<_>>>()?;
        if infos.is_empty() {
            return Err(Error::of(
                ErrorKind::NotFound,
                Message::new("transfer-not-found")
                    .text("field", name)
                    .quoted("value", value),
            ));
        }
        Ok(infos)
    }

    pub(crate) async fn add_contact_chunk(&self, chunk: &[Contact]) -> Result<Vec<ContactResult>> {
        let data = serde_json::to_string(chunk).expect("contacts serialise");
        let request = Request {
            post: true,
            path: "/transfer/contact",
            query: vec![],
            form: vec![("data", &data)],
        };
        let envelope = self.call_idempotent(&request).await?;
        let items = envelope.items();
        let items_by_phone = wire::index_by(&items, "phone");
        Ok(chunk
            .iter()
            .enumerate()
            .map(|(i, contact)| {
                let answer = items_by_phone
                    .get(contact.phone.as_str())
                    .and_then(|answers| answers.first().copied())
                    .or_else(|| items.get(i));
                let code = answer.map_or(0, |item| wire::item_code(item));
                let added = code == 0 || code == 726;
                ContactResult {
                    prefix: contact.prefix.clone(),
                    phone: contact.phone.clone(),
                    added,
                    already_existed: code == 726,
                    code,
                    lot: answer.and_then(|item| item.text("lot")),
                    error: (!added).then(|| {
                        let message = answer.and_then(|item| item.text("message"));
                        Error::from_api(code, message, None, None)
                    }),
                }
            })
            .collect())
    }

    pub(crate) fn forget_contact(&self, prefix: &str, phone: &str) {
        let mut known = self.known_contacts.lock().expect("contact set poisoned");
        known.remove(&(prefix.to_owned(), phone.to_owned()));
    }
}

/// The store keys of a merchant's token at one service URL, and of a refusal of its password:
/// hashes, so that neither the API key nor the password is written to the store.
fn token_keys(base_url: &str, credentials: &Credentials) -> TokenKeys {
    use sha2::Digest;
    let (who, password) = match credentials {
        Credentials::ApiKey { api_key, password } => (api_key.expose(), password.expose()),
        Credentials::Provider(_) => ("", ""),
    };
    let hex = |text: String| -> String {
        let digest = sha2::Sha256::digest(text);
        digest[..16].iter().map(|b| format!("{b:02x}")).collect()
    };
    let token = format!("cinetpay-transfer:token:{}", hex(format!("{base_url}\n{who}")));
    TokenKeys {
        refusal: format!(
            "{token}:refused:{}",
            hex(format!("{base_url}\n{who}\n{password}"))
        ),
        token,
    }
}
