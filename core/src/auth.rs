//! Where tokens come from and how long they are trusted.
//!
//! A token comes either from a login with the merchant's API key and password (servers), or from a
//! [`TokenProvider`] the application implements (phones, which must never hold the password: the
//! provider asks the merchant's own backend). Either way the rules are the same:
//!
//! - one token is shared by every call of a client; concurrent callers wait for one login
//!   (single flight) instead of each logging in;
//! - a token is renewed ahead of its expiry, read from the JWT's `exp` (or 5 minutes when it has
//!   none), measured on the monotonic clock so that a wrong wall clock cannot keep a stale token;
//! - a token the service rejects (705/706/707) is dropped, and the next caller fetches a new one;
//! - a login refused for its credentials (701, 703) is not tried again by the callers that were
//!   waiting for it, nor by anyone for a while ([`crate::Config::login_retry_after`]): they all
//!   get the same refusal at once, so a wrong password cannot lock the merchant's account;
//! - behind the client's own copy sits a [`TokenStore`] (its own in memory by default, or one
//!   shared by many processes, such as Redis): a token is taken from the store before logging in,
//!   one process at a time logs in (the store's login lock), and a rejected token is dropped from
//!   the store once. A store out of reach only costs logins: the client logs in on its own.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use futures::future::BoxFuture;
use tokio::sync::Mutex;

use crate::error::{Error, ErrorKind, Result};
use crate::i18n::Message;
use crate::secret::Secret;
use crate::token_store::{StoredToken, TokenStore};

/// Lifetime assumed when a token carries no readable `exp` (the documented 5 minutes).
const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(300);

/// The longest a token is trusted, whatever its `exp` says (an absurd `exp` must neither
/// overflow the clock nor keep a token for ever).
const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// How often a client waiting for another process's login looks at the store again.
const LOGIN_WAIT_POLL: Duration = Duration::from_millis(50);

/// A token handed to someone else (a phone, through the merchant's backend), with the time it
/// stops being used by this client. Its `Debug` hides the token.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    /// The token, for the `Authorization` header.
    pub token: Secret,
    /// When this client renews it (its expiry less the refresh margin): ask again before then.
    pub expires_at: std::time::SystemTime,
}

/// Supplies tokens when the client holds no credentials (e.g. a mobile app asking its backend).
///
/// Called only when a token is needed: on first use, ahead of expiry, and after the service
/// rejected the previous one. Calls are never concurrent for one client.
pub trait TokenProvider: Send + Sync {
    /// Returns a fresh token for the Transfer API.
    fn fetch_token(&self) -> BoxFuture<'static, Result<String>>;
}

/// How the client obtains tokens.
#[derive(Clone)]
pub enum Credentials {
    /// Log in with the merchant's API key and API password.
    ApiKey {
        /// The merchant's API key.
        api_key: Secret,
        /// The API password set in the back office.
        password: Secret,
    },
    /// Ask the application for tokens.
    Provider(Arc<dyn TokenProvider>),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::ApiKey { .. } => f.write_str("Credentials::ApiKey(***)"),
            Credentials::Provider(_) => f.write_str("Credentials::Provider"),
        }
    }
}

struct CachedToken {
    value: Secret,
    renew_at: Instant,
}

/// A login refused for its credentials, answered to every caller until `retry_at`.
struct Refusal {
    error: Error,
    retry_at: Instant,
}

#[derive(Default)]
struct TokenState {
    token: Option<CachedToken>,
    refusal: Option<Refusal>,
}

/// The client's one token, renewed ahead of expiry, fetched by one caller at a time, shared
/// through its [`TokenStore`].
pub(crate) struct TokenCache {
    state: Mutex<TokenState>,
    store: Arc<dyn TokenStore>,
    keys: TokenKeys,
    refresh_margin: Duration,
    login_retry_after: Duration,
    login_lock_ttl: Duration,
}

/// Where a client's token, and a refusal of its credentials, live in the store.
pub(crate) struct TokenKeys {
    /// The token, one per merchant and service URL; the login lock is `{token}:login`.
    pub(crate) token: String,
    /// A refusal of these very credentials (the password is part of the key, so that a corrected
    /// password is not refused).
    pub(crate) refusal: String,
}

/// Durations the cache works with (from [`crate::Config`]).
pub(crate) struct TokenTimes {
    pub(crate) refresh_margin: Duration,
    pub(crate) login_retry_after: Duration,
    pub(crate) login_lock_ttl: Duration,
}

impl TokenCache {
    pub(crate) fn new(store: Arc<dyn TokenStore>, keys: TokenKeys, times: TokenTimes) -> Self {
        TokenCache {
            state: Mutex::new(TokenState::default()),
            store,
            keys,
            refresh_margin: times.refresh_margin,
            login_retry_after: times.login_retry_after,
            login_lock_ttl: times.login_lock_ttl,
        }
    }

    /// A valid token and when it is renewed: the cached one, one from the store, or one from
    /// `fetch`. The lock is held meanwhile, so callers arriving meanwhile wait and then reuse the
    /// new token (one login for N callers), or the refusal of their credentials (no second login
    /// with a wrong password).
    pub(crate) async fn get<F>(&self, fetch: F) -> Result<(Secret, Instant)>
    where
        F: std::future::Future<Output = Result<String>>,
    {
        let mut state = self.state.lock().await;
        let now = Instant::now();
        if let Some(token) = state.token.as_ref().filter(|t| now < t.renew_at) {
            return Ok((token.value.clone(), token.renew_at));
        }
        if let Some(refusal) = state.refusal.as_ref().filter(|r| now < r.retry_at) {
            return Err(refusal.error.clone());
        }
        let stored = match self.shared_or_login(fetch).await {
            Ok(stored) => stored,
            Err(error) => {
                if error.kind() == ErrorKind::Authentication {
                    state.refusal = Some(Refusal {
                        error: error.clone(),
                        retry_at: Instant::now() + self.login_retry_after,
                    });
                }
                return Err(error);
            }
        };
        let renew_at = Instant::now() + stored.ttl;
        state.refusal = None;
        state.token = Some(CachedToken {
            value: stored.token.clone(),
            renew_at,
        });
        Ok((stored.token, renew_at))
    }

    /// The store's token, or a login by this client while it holds the store's login lock
    /// (others wait for the token it stores). The lock lives `login_lock_ttl`: a holder that dies
    /// delays the others by that much; a store that fails makes this client log in on its own.
    /// A login refused for its credentials is noted in the store for `login_retry_after`, and
    /// the other processes get that refusal instead of trying the same password again.
    async fn shared_or_login<F>(&self, fetch: F) -> Result<StoredToken>
    where
        F: std::future::Future<Output = Result<String>>,
    {
        let lock_key = format!("{}:login", self.keys.token);
        let give_up_at = Instant::now() + self.login_lock_ttl * 2;
        loop {
            match self.store.get(&self.keys.token).await {
                Ok(Some(stored)) => return Ok(stored),
                Ok(None) => {}
                Err(error) => return self.login_alone(fetch, &error).await,
            }
            match self.store.get(&self.keys.refusal).await {
                Ok(Some(refusal)) => return Err(refused_elsewhere(&refusal)),
                Ok(None) => {}
                Err(error) => return self.login_alone(fetch, &error).await,
            }
            match self.store.try_lock(&lock_key, self.login_lock_ttl).await {
                Ok(Some(lease)) => {
                    // Another process may have stored its token between our look and our lock.
                    let result = match self.store.get(&self.keys.token).await {
                        Ok(Some(stored)) => Ok(stored),
                        _ => self.login(fetch).await,
                    };
                    if let Err(error) = &result {
                        self.note_refusal(error).await;
                    }
                    if let Err(error) = self.store.unlock(&lock_key, &lease).await {
                        tracing::warn!(error = %error, "could not free the token store's login lock; it frees itself");
                    }
                    return result;
                }
                Ok(None) => {}
                Err(error) => return self.login_alone(fetch, &error).await,
            }
            if Instant::now() >= give_up_at {
                tracing::warn!("no token in the token store after waiting for another login; logging in");
                return self.login(fetch).await;
            }
            tokio::time::sleep(LOGIN_WAIT_POLL.mul_f64(0.5 + fastrand::f64())).await;
        }
    }

    /// Notes a login refused for its credentials in the store, for `login_retry_after`.
    async fn note_refusal(&self, error: &Error) {
        if error.kind() != ErrorKind::Authentication {
            return;
        }
        let code = Secret::new(error.code().map_or_else(|| "-".to_owned(), |c| c.to_string()));
        if let Err(error) = self
            .store
            .put(&self.keys.refusal, &code, self.login_retry_after)
            .await
        {
            tracing::warn!(error = %error, "token store unreachable; the refused login is not shared");
        }
    }

    async fn login_alone<F>(&self, fetch: F, error: &Error) -> Result<StoredToken>
    where
        F: std::future::Future<Output = Result<String>>,
    {
        tracing::warn!(error = %error, "token store unreachable; this process logs in on its own");
        self.login(fetch).await
    }

    /// Logs in (or asks the provider) and stores the token for its lifetime less the margin.
    async fn login<F>(&self, fetch: F) -> Result<StoredToken>
    where
        F: std::future::Future<Output = Result<String>>,
    {
        let fresh = fetch.await?;
        let lifetime = token_lifetime(&fresh)
            .unwrap_or(DEFAULT_TOKEN_LIFETIME)
            .min(MAX_TOKEN_LIFETIME);
        // Keep a margin, but never less than half the lifetime for very short-lived tokens.
        let ttl = lifetime - self.refresh_margin.min(lifetime / 2);
        let token = Secret::new(fresh);
        if let Err(error) = self.store.put(&self.keys.token, &token, ttl).await {
            tracing::warn!(error = %error, "token store unreachable; the new token is not shared");
        }
        Ok(StoredToken { token, ttl })
    }

    /// A cache with the default durations and its own memory store.
    #[cfg(test)]
    pub(crate) fn for_tests() -> TokenCache {
        let times = TokenTimes {
            refresh_margin: Duration::from_secs(30),
            login_retry_after: Duration::from_secs(30),
            login_lock_ttl: Duration::from_secs(10),
        };
        let keys = TokenKeys {
            token: "k".into(),
            refusal: "r".into(),
        };
        TokenCache::new(Arc::new(crate::MemoryTokenStore::default()), keys, times)
    }

    /// Drops `stale` if it is still the cached token (another caller may have replaced it
    /// already), and from the store if it still holds it (another process may have replaced it).
    pub(crate) async fn invalidate(&self, stale: &Secret) {
        let mut state = self.state.lock().await;
        if state.token.as_ref().is_some_and(|t| &t.value == stale) {
            state.token = None;
            if let Err(error) = self.store.invalidate(&self.keys.token, stale).await {
                tracing::warn!(error = %error, "token store unreachable; the rejected token stays there");
            }
        }
    }
}

/// The refusal another process noted in the store (`code`: the service's code, e.g. 701).
fn refused_elsewhere(refusal: &StoredToken) -> Error {
    let message = Message::new("login-refused-elsewhere")
        .text("code", refusal.token.expose())
        .text("seconds", refusal.ttl.as_secs().max(1));
    Error::of(ErrorKind::Authentication, message)
}

/// The lifetime a JWT announces: `exp - iat` (immune to clock skew between us and the service),
/// shortened to `exp - now` when that is smaller and positive (a token handed out by a provider
/// some time after it was issued). `None` when the token is not a readable JWT.
pub(crate) fn token_lifetime(token: &str) -> Option<Duration> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get("exp")?.as_f64()?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs_f64();
    let until_exp = exp - now;
    let seconds = match claims.get("iat").and_then(|v| v.as_f64()) {
        Some(iat) if until_exp > 0.0 => (exp - iat).min(until_exp),
        Some(iat) => exp - iat,
        None => until_exp,
    };
    Duration::try_from_secs_f64(seconds).ok().filter(|d| !d.is_zero())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn jwt(claims: &str) -> String {
        let enc = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!("{}.{}.sig", enc.encode(r#"{"alg":"HS256"}"#), enc.encode(claims))
    }

    #[test]
    fn lifetime_is_read_from_the_jwt() {
        assert_eq!(
            token_lifetime(&jwt(r#"{"iat":1000,"exp":1960}"#)),
            Some(Duration::from_secs(960))
        );
        assert_eq!(token_lifetime("opaque-token"), None);
        assert_eq!(
            token_lifetime(&jwt(r#"{"iat":0,"exp":1e300}"#)),
            None,
            "absurd exp: no panic"
        );
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let handed_late = jwt(&format!(r#"{{"iat":{},"exp":{}}}"#, now - 900, now + 60));
        let lifetime = token_lifetime(&handed_late).unwrap();
        assert!(lifetime <= Duration::from_secs(60), "{lifetime:?}");
        assert_eq!(token_lifetime(&jwt(r#"{"iat":1000}"#)), None);
    }

    #[tokio::test]
    async fn tokens_are_reused_then_renewed_after_invalidation() {
        let cache = TokenCache::for_tests();
        let logins = AtomicUsize::new(0);
        let fetch = || async {
            let n = logins.fetch_add(1, Ordering::SeqCst);
            Ok(jwt(&format!(r#"{{"iat":0,"exp":960,"n":{n}}}"#)))
        };
        let first = cache.get(fetch()).await.unwrap().0;
        let again = cache.get(fetch()).await.unwrap().0;
        assert_eq!(first, again);
        assert_eq!(logins.load(Ordering::SeqCst), 1);
        cache.invalidate(&first).await;
        let renewed = cache.get(fetch()).await.unwrap().0;
        assert_ne!(first, renewed);
        assert_eq!(logins.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_token_near_expiry_is_renewed_ahead_of_time() {
        // exp - iat = 1 s: with the margin capped at half the lifetime, it is renewed after 0.5 s.
        let cache = TokenCache::for_tests();
        let short = jwt(r#"{"iat":0,"exp":1}"#);
        cache.get(async { Ok(short.clone()) }).await.unwrap();
        tokio::time::sleep(Duration::from_millis(600)).await;
        let next = cache.get(async { Ok("next".to_owned()) }).await.unwrap().0;
        assert_eq!(next.expose(), "next");
    }
}
