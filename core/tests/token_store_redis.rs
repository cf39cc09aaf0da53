//! Many workers, one login: clients (and separate OS processes) sharing a real `redis-server` log
//! in once per token lifetime, drop a rejected token once, and carry on alone when Redis stops.
//!
//! Each test starts its own `redis-server` on a free port (no persistence) and stops it. Without
//! the binary the tests say so and pass locally; in CI (`CI=true`) its absence fails them.
//! Logins are counted from the sandbox's request log: `received` = the calls made + the logins.

mod support;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cinetpay_sandbox::{Sandbox, SandboxConfig};
use cinetpay_transfer::{Client, RedisTokenStore, RetryPolicy, SendOutcome, TokenStore, Transfer};
use support::CapturedLogs;

const API_KEY: &str = "sandbox-api-key";
const PASSWORD: &str = "sandbox-password";

/// A `redis-server` of this test, killed on drop.
struct Redis {
    child: Child,
    url: String,
}

impl Redis {
    /// `None` (with a message) when the binary is absent outside CI.
    fn start() -> Option<Redis> {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let spawned = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .spawn();
        let child = match spawned {
            Ok(child) => child,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                if std::env::var("CI").as_deref() == Ok("true") {
                    panic!("redis-server is not installed; CI installs it in .ci/run");
                }
                eprintln!("SKIPPED: redis-server is not installed (apt-get install redis-server)");
                return None;
            }
            Err(error) => panic!("could not start redis-server: {error}"),
        };
        let ready_by = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < ready_by, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(Redis {
            child,
            url: format!("redis://127.0.0.1:{port}/0"),
        })
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
    }
}

fn client(sandbox_url: &str, redis_url: &str) -> Client {
    Client::builder()
        .credentials(API_KEY, PASSWORD)
        .base_url(sandbox_url)
        .token_store_url(redis_url)
        .retry(RetryPolicy {
            max_attempts: 2,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
        })
        .build()
        .unwrap()
}

fn payout(id: &str) -> Transfer {
    Transfer::new("225", "0701020304", 5_000, "http://127.0.0.1:9/notify").client_transaction_id(id)
}

#[tokio::test]
async fn clients_sharing_redis_log_in_once_and_drop_a_rejected_token_once() {
    let Some(redis) = Redis::start() else { return };
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let workers: Vec<Client> = (0..8).map(|_| client(&sandbox.base_url(), &redis.url)).collect();

    let calls = workers.iter().map(|c| c.balance());
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(
        sandbox.requests().received,
        8 + 1,
        "8 balance calls and one login for 8 clients"
    );

    // Every token is forgotten by the service (706 for each client's copy): each client's call is
    // refused once and replayed, with one new login between them all.
    sandbox.reset();
    let calls = workers.iter().map(|c| c.balance());
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(
        sandbox.requests().received,
        8 + 1 + 8,
        "8 refused, one login, 8 replayed"
    );

    // The shared token is the one handed out.
    let issued = workers[3].issue_token().await.unwrap();
    assert!(issued.expires_at > std::time::SystemTime::now());
    assert!(
        !format!("{issued:?}").contains(issued.token.expose()),
        "Debug hides the token"
    );
    assert_eq!(
        sandbox.requests().received,
        17,
        "issuing a token did not log in again"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_login_lock_whose_holder_died_delays_but_does_not_block() {
    let Some(redis) = Redis::start() else { return };
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    // A first client logs in: the one key in Redis is the merchant's token.
    client(&sandbox.base_url(), &redis.url)
        .issue_token()
        .await
        .unwrap();
    let keys = redis_cli(&redis.url, &["--raw", "KEYS", "*"]);
    let keys: Vec<&str> = keys.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(keys.len(), 1, "only the token, the login lock freed: {keys:?}");
    // Then the token is gone and a process took the login lock and died.
    let dead = RedisTokenStore::open(&redis.url).unwrap();
    let stored = dead.get(keys[0]).await.unwrap().unwrap();
    dead.invalidate(keys[0], &stored.token).await.unwrap();
    let lock = format!("{}:login", keys[0]);
    assert!(dead
        .try_lock(&lock, Duration::from_millis(300))
        .await
        .unwrap()
        .is_some());

    let waiting = client(&sandbox.base_url(), &redis.url);
    waiting.balance().await.unwrap();
    assert_eq!(sandbox.requests().received, 3, "two logins in all, one balance");
    sandbox.shutdown().await;
}

fn redis_cli(url: &str, args: &[&str]) -> String {
    let output = Command::new("redis-cli")
        .arg("-u")
        .arg(url)
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

#[tokio::test]
async fn a_stopped_redis_degrades_to_logins_per_client_and_payouts_are_accepted() {
    let (captured, _guard) = CapturedLogs::start();
    let Some(mut redis) = Redis::start() else { return };
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let workers: Vec<Client> = (0..3).map(|_| client(&sandbox.base_url(), &redis.url)).collect();
    for (i, worker) in workers.iter().enumerate() {
        let results = worker.pay(&[payout(&format!("before-{i}"))]).await.unwrap();
        assert_eq!(results[0].outcome, SendOutcome::Accepted);
    }

    redis.stop();
    sandbox.expire_tokens();
    for (i, worker) in workers.iter().enumerate() {
        let results = worker.pay(&[payout(&format!("after-{i}"))]).await.unwrap();
        assert_eq!(
            results[0].outcome,
            SendOutcome::Accepted,
            "{:?}",
            results[0].error
        );
    }
    // A client that never reached Redis at all pays too; its URL's password is never shown.
    let with_password = redis.url.replace("redis://", "redis://:redis-SENTINEL-5e1@");
    let late = client(&sandbox.base_url(), &with_password);
    assert!(!format!("{late:?}").contains("SENTINEL"), "{late:?}");
    late.pay(&[payout("late")]).await.unwrap();

    let ledger = sandbox.ledger();
    assert_eq!(ledger.len(), 7);
    assert!(ledger.iter().all(|entry| entry.accepted_count == 1));
    let logs = captured.text();
    assert!(
        logs.contains("token store unreachable; this process logs in on its own"),
        "{logs}"
    );
    for secret in [PASSWORD, "SENTINEL"] {
        assert!(!logs.contains(secret), "{secret} in the logs");
    }
    sandbox.shutdown().await;
}

/// Separate OS processes: this test binary run again, once per worker, with the addresses in
/// its environment; each child runs `worker_process` alone.
#[tokio::test]
async fn separate_processes_sharing_redis_log_in_once() {
    let Some(redis) = Redis::start() else { return };
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let exe = std::env::current_exe().unwrap();
    let children: Vec<Child> = (0..4)
        .map(|_| {
            Command::new(&exe)
                .args(["--exact", "worker_process", "--nocapture", "--test-threads=1"])
                .env("TOKEN_STORE_WORKER_SANDBOX", sandbox.base_url())
                .env("TOKEN_STORE_WORKER_REDIS", &redis.url)
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    // The children's requests need this runtime to serve them: wait off it.
    let outputs = tokio::task::spawn_blocking(move || {
        children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    for output in outputs {
        assert!(output.status.success());
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            stdout.contains("worker done"),
            "the child ran the worker: {stdout}"
        );
    }
    assert_eq!(
        sandbox.requests().received,
        4 + 1,
        "4 balance calls, one login for 4 processes"
    );
    sandbox.shutdown().await;
}

/// The worker of `separate_processes_sharing_redis_log_in_once`; does nothing when run as a test.
#[tokio::test]
async fn worker_process() {
    let (Ok(sandbox_url), Ok(redis_url)) = (
        std::env::var("TOKEN_STORE_WORKER_SANDBOX"),
        std::env::var("TOKEN_STORE_WORKER_REDIS"),
    ) else {
        return;
    };
    let balance = client(&sandbox_url, &redis_url).balance().await.unwrap();
    println!("worker done: balance {}", balance.available);
}

#[tokio::test]
async fn a_token_handed_out_then_revoked_is_replaced_when_the_caller_asks_again() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let backend = Client::builder()
        .credentials(API_KEY, PASSWORD)
        .base_url(sandbox.base_url())
        .build()
        .unwrap();
    let first = backend.issue_token().await.unwrap().token;
    // Asking again with the token still good: the same token, after one balance call.
    let again = backend.issue_token_after(first.expose()).await.unwrap().token;
    assert_eq!(again, first);
    assert_eq!(sandbox.requests().received, 2, "a login and the check");
    // The service forgets it (as after a revocation): the app's call is refused, it asks again.
    sandbox.reset();
    let fresh = backend.issue_token_after(first.expose()).await.unwrap().token;
    assert_ne!(fresh, first);
    // A token that is not the backend's current one costs no request.
    backend.issue_token_after("some-older-token").await.unwrap();
    assert_eq!(
        sandbox.requests().received,
        3,
        "the refused check, the login, the replayed check"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_wrong_password_is_tried_once_by_all_processes_and_a_corrected_one_is_not_refused() {
    let Some(redis) = Redis::start() else { return };
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let wrong = |_| {
        Client::builder()
            .credentials(API_KEY, "wrong-password")
            .base_url(sandbox.base_url())
            .token_store_url(&redis.url)
            .build()
            .unwrap()
    };
    let workers: Vec<Client> = (0..6).map(wrong).collect();
    for result in futures::future::join_all(workers.iter().map(|c| c.balance())).await {
        assert_eq!(
            result.unwrap_err().kind(),
            cinetpay_transfer::ErrorKind::Authentication
        );
    }
    // A worker started later is refused too, without a login of its own.
    assert_eq!(
        wrong(0).balance().await.unwrap_err().kind(),
        cinetpay_transfer::ErrorKind::Authentication
    );
    assert_eq!(sandbox.requests().received, 1, "one refused login for 7 clients");

    // The merchant fixes the password: no refusal is kept for it.
    client(&sandbox.base_url(), &redis.url).balance().await.unwrap();
    assert_eq!(sandbox.requests().received, 3);
    sandbox.shutdown().await;
}
