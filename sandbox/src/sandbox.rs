//! The embedding handle: start a sandbox in-process, get its URLs, drive it without HTTP.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::runtime::Handle;
use tokio::task::JoinHandle;

use crate::config::{ClockMode, MerchantConfig, SandboxConfig};
use crate::engine::Engine;
use crate::error::{AdminError, StartError, WaitTimeout};
use crate::faults::Fault;
use crate::notify::NotificationDelivery;
use crate::payout::LedgerEntry;
use crate::requests::RequestStats;
use crate::server;
use crate::state::{CountryBalance, MerchantView};

/// How often the real clock's payouts are moved on.
const REAL_TICK: Duration = Duration::from_millis(20);

/// A running sandbox. Dropping it stops the server, its connections and pending notifications.
#[derive(Debug)]
pub struct Sandbox {
    engine: Arc<Engine>,
    addr: SocketAddr,
    tasks: Vec<JoinHandle<()>>,
}

impl Sandbox {
    /// Starts a sandbox on 127.0.0.1 with a free port. It accepts requests as soon as this returns.
    ///
    /// Must be called inside a tokio runtime (the server and notifications run on it).
    pub async fn start(config: SandboxConfig) -> Result<Sandbox, StartError> {
        Sandbox::start_on(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
    }

    /// Starts a sandbox listening on `addr` (the binary uses this for a fixed port).
    pub async fn start_on(config: SandboxConfig, addr: SocketAddr) -> Result<Sandbox, StartError> {
        let bind_error = |source| StartError::Bind { addr, source };
        let listener = TcpListener::bind(addr).await.map_err(bind_error)?;
        let addr = listener.local_addr().map_err(bind_error)?;
        let real = matches!(config.clock, ClockMode::Real(_));
        let engine = Engine::new(config, Handle::current());
        let mut tasks = vec![tokio::spawn(server::serve(listener, engine.clone()))];
        if real {
            let ticking = engine.clone();
            tasks.push(tokio::spawn(async move {
                let mut interval = tokio::time::interval(REAL_TICK);
                loop {
                    interval.tick().await;
                    ticking.tick();
                }
            }));
        }
        Ok(Sandbox { engine, addr, tasks })
    }

    /// The socket address served.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API base URL, `http://127.0.0.1:PORT/v1` (give it to the client as its base URL).
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// The admin API base URL, `http://127.0.0.1:PORT/_sandbox`.
    pub fn admin_url(&self) -> String {
        format!("http://{}/_sandbox", self.addr)
    }

    /// Stops serving and waits until the port is closed.
    pub async fn shutdown(mut self) {
        for task in std::mem::take(&mut self.tasks) {
            task.abort();
            let _ = task.await;
        }
    }

    /// Back to the state at start (see `POST /_sandbox/reset`).
    pub fn reset(&self) {
        self.engine.reset();
    }

    /// Sandbox time now, in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> u64 {
        self.engine.clock.now_ms()
    }

    /// Moves the sandbox clock forward and takes every payout step that fell due (final ones start
    /// their notifications); returns the number of steps taken.
    pub fn advance_clock(&self, by: Duration) -> usize {
        self.engine.advance(by)
    }

    /// Confirms every pending (NOS or not yet processed) payout of a merchant; returns how many.
    pub fn confirm_pending(&self, api_key: &str) -> Result<usize, AdminError> {
        self.engine.confirm(Some(api_key), None)
    }

    /// Confirms one pending payout; returns 1 if it was pending, 0 if not.
    pub fn confirm_transaction(&self, api_key: &str, transaction_id: &str) -> Result<usize, AdminError> {
        self.engine.confirm(Some(api_key), Some(transaction_id))
    }

    /// Sets a merchant's available balance in one country (ISO code); held amounts stay held.
    pub fn set_balance(&self, api_key: &str, country: &str, available: u64) -> Result<(), AdminError> {
        self.engine.set_balance(Some(api_key), country, available)
    }

    /// A merchant's balance per country.
    pub fn balances(&self, api_key: &str) -> Result<BTreeMap<String, CountryBalance>, AdminError> {
        self.engine.state().balances(api_key)
    }

    /// Adds a merchant.
    pub fn add_merchant(&self, merchant: MerchantConfig) -> Result<(), AdminError> {
        self.engine.state().add_merchant(merchant)
    }

    /// Every merchant (without passwords).
    pub fn merchants(&self) -> Vec<MerchantView> {
        self.engine.state().merchants()
    }

    /// Queues a fault.
    pub fn add_fault(&self, fault: Fault) {
        self.engine.faults.add(fault);
    }

    /// Removes every queued fault.
    pub fn clear_faults(&self) {
        self.engine.faults.clear();
    }

    /// The faults still queued, with their remaining counts.
    pub fn faults(&self) -> Vec<Fault> {
        self.engine.faults.list()
    }

    /// Makes every issued token expired (705 on its next use); returns how many were valid.
    pub fn expire_tokens(&self) -> usize {
        let now = self.engine.clock.now_ms();
        self.engine.state().tokens.expire_all(now)
    }

    /// Every payout, in acceptance order.
    pub fn ledger(&self) -> Vec<LedgerEntry> {
        self.engine.state().ledger()
    }

    /// Counts of the `/v1` requests served since the start or the last reset, with the most that
    /// were in progress at once (see `GET /_sandbox/requests`).
    pub fn requests(&self) -> RequestStats {
        self.engine.requests.stats()
    }

    /// Every notification delivery attempt recorded so far.
    pub fn notifications(&self) -> Vec<NotificationDelivery> {
        self.engine.notifier.deliveries()
    }

    /// Sends a bare GET ping to `url` (a notify URL), as the service does, and returns the
    /// recorded attempt (also in [`Sandbox::notifications`]).
    pub async fn ping(&self, url: &str) -> NotificationDelivery {
        self.engine.notifier.ping(url).await
    }

    /// Waits until at least `n` delivery attempts are recorded, then returns them all.
    pub async fn wait_for_notifications(
        &self,
        n: usize,
        timeout: Duration,
    ) -> Result<Vec<NotificationDelivery>, WaitTimeout> {
        self.engine.notifier.wait_for(n, timeout).await
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
        self.engine.notifier.reset();
    }
}
