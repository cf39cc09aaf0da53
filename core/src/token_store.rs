//! Where a client keeps its token so that other clients, and other processes, can use it too.
//!
//! Celery workers and Node processes behind a load balancer each run their own client; without a
//! shared store each of them logs in on its own, and a token the service rejects is replaced once
//! per process. A [`TokenStore`] shared by all of them (Redis, with `RedisTokenStore` behind the
//! `redis` cargo feature) holds the one token of a merchant, and a login lock with a lifetime so
//! that one process logs in while the others wait, and a holder that dies never blocks the rest
//! for longer than the lock lives.
//!
//! The store only saves logins: a client that cannot reach it logs in on its own (with a
//! warning) rather than failing a payout. Each client keeps its own copy of the token in front of
//! the store, so a call does not ask the store each time (see `auth.rs`). Decision record:
//! `docs/adr/0008-token-store.md`.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::future::BoxFuture;

use crate::error::{Error, Result};
use crate::i18n::Message;
use crate::secret::Secret;

#[cfg(feature = "redis")]
pub use crate::token_store_redis::RedisTokenStore;

/// A token read from a [`TokenStore`], with how long it may still be used.
#[derive(Debug, Clone)]
pub struct StoredToken {
    /// The token.
    pub token: Secret,
    /// How long it may still be used (it is renewed afterwards).
    pub ttl: Duration,
}

/// A place several clients share their token through: get, put with expiry, drop-if-equal, and a
/// login lock that expires on its own.
///
/// Keys are chosen by the client (one per merchant and service URL, with no secret in them).
/// Every method may fail (a store out of reach): the client then carries on without the store.
pub trait TokenStore: Send + Sync + fmt::Debug {
    /// The token stored under `key`, unless there is none or its time is up.
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<StoredToken>>>;

    /// Stores `token` under `key` for `ttl`, replacing what was there.
    fn put<'a>(&'a self, key: &'a str, token: &'a Secret, ttl: Duration) -> BoxFuture<'a, Result<()>>;

    /// Deletes the token under `key` only if it is still `token` (a rejected token is dropped
    /// once: a newer token another process stored meanwhile stays).
    fn invalidate<'a>(&'a self, key: &'a str, token: &'a Secret) -> BoxFuture<'a, Result<()>>;

    /// Takes the lock `key` for `ttl` if nobody holds it: `Some(lease)` when taken, `None` when
    /// held by someone else. The lock frees itself after `ttl`.
    fn try_lock<'a>(&'a self, key: &'a str, ttl: Duration) -> BoxFuture<'a, Result<Option<String>>>;

    /// Frees the lock `key` if it is still held under `lease`.
    fn unlock<'a>(&'a self, key: &'a str, lease: &'a str) -> BoxFuture<'a, Result<()>>;

    /// The store a forked process should use instead of this one, when this one holds
    /// connections of the parent process (`None`: this one can be shared as it is).
    fn reconnected(&self) -> Option<Arc<dyn TokenStore>> {
        None
    }
}

/// The store named by a URL: `memory` (this process only) or `redis://host:port/db`
/// (`rediss://` for TLS is not supported).
pub fn token_store_from_url(url: &str) -> Result<Arc<dyn TokenStore>> {
    let invalid = |id| Error::invalid("token_store", None, Message::new(id));
    if url == "memory" {
        return Ok(Arc::new(MemoryTokenStore::default()));
    }
    if url.starts_with("redis://") || url.starts_with("redis+unix://") || url.starts_with("unix://") {
        #[cfg(feature = "redis")]
        return Ok(Arc::new(RedisTokenStore::open(url)?));
        #[cfg(not(feature = "redis"))]
        return Err(invalid("token-store-no-redis"));
    }
    Err(invalid("token-store-url"))
}

/// A store in this process's memory: shares one token between the clients given the same store.
/// A client built without a store gets one of its own.
#[derive(Default)]
pub struct MemoryTokenStore {
    state: Mutex<MemoryState>,
}

#[derive(Default)]
struct MemoryState {
    tokens: HashMap<String, (Secret, Instant)>,
    locks: HashMap<String, (String, Instant)>,
}

impl fmt::Debug for MemoryTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MemoryTokenStore")
    }
}

impl MemoryTokenStore {
    fn state(&self) -> std::sync::MutexGuard<'_, MemoryState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl TokenStore for MemoryTokenStore {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<StoredToken>>> {
        let now = Instant::now();
        let found = self.state().tokens.get(key).and_then(|(token, until)| {
            (now < *until).then(|| StoredToken {
                token: token.clone(),
                ttl: *until - now,
            })
        });
        Box::pin(async move { Ok(found) })
    }

    fn put<'a>(&'a self, key: &'a str, token: &'a Secret, ttl: Duration) -> BoxFuture<'a, Result<()>> {
        self.state()
            .tokens
            .insert(key.to_owned(), (token.clone(), Instant::now() + ttl));
        Box::pin(async { Ok(()) })
    }

    fn invalidate<'a>(&'a self, key: &'a str, token: &'a Secret) -> BoxFuture<'a, Result<()>> {
        let mut state = self.state();
        if state.tokens.get(key).is_some_and(|(held, _)| held == token) {
            state.tokens.remove(key);
        }
        Box::pin(async { Ok(()) })
    }

    fn try_lock<'a>(&'a self, key: &'a str, ttl: Duration) -> BoxFuture<'a, Result<Option<String>>> {
        let now = Instant::now();
        let mut state = self.state();
        let free = state.locks.get(key).is_none_or(|(_, until)| *until <= now);
        let lease = free.then(|| {
            let lease = uuid::Uuid::new_v4().to_string();
            state.locks.insert(key.to_owned(), (lease.clone(), now + ttl));
            lease
        });
        Box::pin(async move { Ok(lease) })
    }

    fn unlock<'a>(&'a self, key: &'a str, lease: &'a str) -> BoxFuture<'a, Result<()>> {
        let mut state = self.state();
        if state.locks.get(key).is_some_and(|(held, _)| held == lease) {
            state.locks.remove(key);
        }
        Box::pin(async { Ok(()) })
    }

    /// A forked process starts with an empty store of its own: memory is not shared with the
    /// parent anyway, and the copy could hold a lock taken by a parent thread at the fork.
    fn reconnected(&self) -> Option<Arc<dyn TokenStore>> {
        Some(Arc::new(MemoryTokenStore::default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn memory_store_expires_drops_if_equal_and_locks() {
        let store = MemoryTokenStore::default();
        let (a, b) = (Secret::new("a"), Secret::new("b"));
        store.put("k", &a, Duration::from_millis(40)).await.unwrap();
        assert_eq!(store.get("k").await.unwrap().unwrap().token, a);
        store.invalidate("k", &b).await.unwrap();
        assert!(
            store.get("k").await.unwrap().is_some(),
            "another token is not dropped"
        );
        store.invalidate("k", &a).await.unwrap();
        assert!(store.get("k").await.unwrap().is_none());
        store.put("k", &b, Duration::from_millis(40)).await.unwrap();
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert!(store.get("k").await.unwrap().is_none(), "expired");

        let lease = store
            .try_lock("l", Duration::from_millis(40))
            .await
            .unwrap()
            .unwrap();
        assert!(store
            .try_lock("l", Duration::from_secs(1))
            .await
            .unwrap()
            .is_none());
        store.unlock("l", "not-the-lease").await.unwrap();
        assert!(store
            .try_lock("l", Duration::from_secs(1))
            .await
            .unwrap()
            .is_none());
        tokio::time::sleep(Duration::from_millis(60)).await;
        let next = store.try_lock("l", Duration::from_secs(1)).await.unwrap();
        assert!(next.is_some(), "a lock frees itself after its ttl");
        store.unlock("l", &lease).await.unwrap();
        assert!(
            store
                .try_lock("l", Duration::from_secs(1))
                .await
                .unwrap()
                .is_none(),
            "the old lease frees nothing"
        );
    }

    #[test]
    fn urls_are_checked() {
        assert!(token_store_from_url("memory").is_ok());
        let err = token_store_from_url("http://x").unwrap_err();
        assert_eq!(err.field(), Some("token_store"));
    }
}
