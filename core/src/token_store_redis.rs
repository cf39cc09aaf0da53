//! [`RedisTokenStore`]: the token store of many processes, on the `redis` crate.
//!
//! One multiplexed connection per store, opened on first use (building a client never touches
//! the network) and opened again after any failure, so a Redis that comes back is used again.
//! Every command has short connect and response timeouts: a Redis out of reach must cost a
//! payout a second at most, after which the client logs in on its own. Drop-if-equal and unlock
//! are Lua scripts so that the comparison and the deletion are one step for Redis.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use redis::aio::MultiplexedConnection;
use redis::AsyncConnectionConfig;
use tokio::sync::Mutex;

use crate::error::{Error, ErrorKind, Result};
use crate::i18n::Message;
use crate::secret::Secret;
use crate::token_store::{StoredToken, TokenStore};

/// Time allowed to connect to Redis, and to each answer.
const REDIS_TIMEOUT: Duration = Duration::from_secs(1);

/// Deletes KEYS[1] if it holds ARGV[1] (a token, or a lock's lease).
const DELETE_IF_EQUAL: &str =
    r"if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/// A [`TokenStore`] in Redis, shared by every process given the same URL.
pub struct RedisTokenStore {
    client: redis::Client,
    connection: Mutex<Option<MultiplexedConnection>>,
}

impl fmt::Debug for RedisTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may carry a password: only the address is shown.
        write!(f, "RedisTokenStore({})", self.client.get_connection_info().addr())
    }
}

impl RedisTokenStore {
    /// A store at `url` (`redis://[:password@]host:port/db`). Checks the URL only; connects on
    /// first use.
    pub fn open(url: &str) -> Result<RedisTokenStore> {
        let client = redis::Client::open(url).map_err(|e| {
            // The URL may carry a password: the error names the problem, not the URL.
            let message = Message::new("token-store-redis-url").text("reason", e.category());
            Error::invalid("token_store", None, message)
        })?;
        Ok(RedisTokenStore {
            client,
            connection: Mutex::new(None),
        })
    }

    async fn connection(&self) -> Result<MultiplexedConnection> {
        let mut slot = self.connection.lock().await;
        if let Some(connection) = slot.as_ref() {
            return Ok(connection.clone());
        }
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(REDIS_TIMEOUT))
            .set_response_timeout(Some(REDIS_TIMEOUT));
        let connection = self
            .client
            .get_multiplexed_async_connection_with_config(&config)
            .await
            .map_err(unreachable)?;
        *slot = Some(connection.clone());
        Ok(connection)
    }

    /// Runs `command`; a failure drops the connection so that the next call opens a new one.
    async fn run<T: redis::FromRedisValue>(&self, command: &redis::Cmd) -> Result<T> {
        let mut connection = self.connection().await?;
        let result = command.query_async(&mut connection).await;
        if result.is_err() {
            *self.connection.lock().await = None;
        }
        result.map_err(unreachable)
    }
}

fn unreachable(error: redis::RedisError) -> Error {
    let message = Message::new("token-store-unreachable").text("reason", error.category());
    Error::of(ErrorKind::Transport, message)
}

fn delete_if_equal(key: &str, value: &str) -> redis::Cmd {
    let mut command = redis::cmd("EVAL");
    command.arg(DELETE_IF_EQUAL).arg(1).arg(key).arg(value);
    command
}

/// Milliseconds for Redis: at least 1 (0 is an error for `PX`).
fn millis(ttl: Duration) -> u64 {
    (ttl.as_millis() as u64).max(1)
}

impl TokenStore for RedisTokenStore {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<StoredToken>>> {
        Box::pin(async move {
            let mut command = redis::cmd("EVAL");
            command
                .arg("return {redis.call('GET', KEYS[1]) or false, redis.call('PTTL', KEYS[1])}")
                .arg(1)
                .arg(key);
            let (token, ttl_ms): (Option<String>, i64) = self.run(&command).await?;
            // PTTL is -2 (gone) or -1 (no expiry, never set by us): neither is usable.
            Ok(token.filter(|_| ttl_ms > 0).map(|token| StoredToken {
                token: Secret::new(token),
                ttl: Duration::from_millis(ttl_ms as u64),
            }))
        })
    }

    fn put<'a>(&'a self, key: &'a str, token: &'a Secret, ttl: Duration) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let mut command = redis::cmd("SET");
            command.arg(key).arg(token.expose()).arg("PX").arg(millis(ttl));
            self.run::<()>(&command).await
        })
    }

    fn invalidate<'a>(&'a self, key: &'a str, token: &'a Secret) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            self.run::<i64>(&delete_if_equal(key, token.expose()))
                .await
                .map(drop)
        })
    }

    fn try_lock<'a>(&'a self, key: &'a str, ttl: Duration) -> BoxFuture<'a, Result<Option<String>>> {
        Box::pin(async move {
            let lease = uuid::Uuid::new_v4().to_string();
            let mut command = redis::cmd("SET");
            command.arg(key).arg(&lease).arg("NX").arg("PX").arg(millis(ttl));
            let taken: Option<String> = self.run(&command).await?;
            Ok(taken.map(|_| lease))
        })
    }

    fn unlock<'a>(&'a self, key: &'a str, lease: &'a str) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move { self.run::<i64>(&delete_if_equal(key, lease)).await.map(drop) })
    }

    fn reconnected(&self) -> Option<Arc<dyn TokenStore>> {
        Some(Arc::new(RedisTokenStore {
            client: self.client.clone(),
            connection: Mutex::new(None),
        }))
    }
}
