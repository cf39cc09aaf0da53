//! Notifications: the POST the service makes to a payout's `notify_url` once it is final, and the
//! bare GET pings it also sends there (on demand, [`Notifier::ping`]).
//!
//! Deliveries run in background tasks so that the API never waits on a merchant's server. Every
//! attempt is recorded (URL, attempt number, HTTP status or error, the form fields sent), and a watch
//! channel counts the records so tests can await "n deliveries" instead of sleeping. Only loopback
//! hosts are contacted by default: a sandbox must never call out to the internet on a test's behalf.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use reqwest::Url;
use serde::{Deserialize, Serialize};
use tokio::runtime::Handle;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::config::RetryPolicy;
use crate::error::WaitTimeout;

/// How one delivery attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryOutcome {
    /// The receiver answered 2xx.
    Delivered,
    /// Non-2xx answer or connection failure (retried while attempts remain).
    Failed,
    /// Not attempted: the host is not loopback, or the URL does not parse.
    Skipped,
}

/// One recorded delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationDelivery {
    /// The payout notified (empty for a ping).
    pub transaction_id: String,
    /// `POST` for a notification, `GET` for a ping.
    #[serde(default = "post")]
    pub method: String,
    /// Where it was (or would have been) posted.
    pub url: String,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// How it ended.
    pub outcome: DeliveryOutcome,
    /// The receiver's HTTP status, when it answered.
    pub http_status: Option<u16>,
    /// The connection error or the reason for skipping.
    pub error: Option<String>,
    /// The form fields posted (none for a ping).
    pub fields: BTreeMap<String, String>,
}

fn post() -> String {
    "POST".into()
}

/// Sends notifications and keeps the delivery log.
#[derive(Debug)]
pub struct Notifier {
    client: reqwest::Client,
    policy: RetryPolicy,
    loopback_only: bool,
    runtime: Handle,
    log: Mutex<Vec<NotificationDelivery>>,
    count: watch::Sender<usize>,
    tasks: Mutex<JoinSet<()>>,
}

impl Notifier {
    /// A notifier spawning its deliveries on `runtime`.
    pub fn new(policy: RetryPolicy, loopback_only: bool, runtime: Handle) -> Self {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        Notifier {
            client,
            policy,
            loopback_only,
            runtime,
            log: Mutex::new(Vec::new()),
            count: watch::channel(0).0,
            tasks: Mutex::new(JoinSet::new()),
        }
    }

    /// Starts delivering a notification in the background.
    pub fn dispatch(
        self: &std::sync::Arc<Self>,
        transaction_id: String,
        url: String,
        fields: Vec<(String, String)>,
    ) {
        let template = NotificationDelivery {
            transaction_id,
            method: post(),
            url: url.clone(),
            attempt: 1,
            outcome: DeliveryOutcome::Skipped,
            http_status: None,
            error: None,
            fields: fields.iter().cloned().collect(),
        };
        let record = move |attempt, outcome, http_status, error| NotificationDelivery {
            attempt,
            outcome,
            http_status,
            error,
            ..template.clone()
        };
        if let Err(reason) = self.allowed(&url) {
            self.push(record(1, DeliveryOutcome::Skipped, None, Some(reason)));
            return;
        }
        let this = self.clone();
        let mut tasks = lock(&self.tasks);
        while tasks.try_join_next().is_some() {}
        tasks.spawn_on(
            async move {
                let attempts = this.policy.attempts.max(1);
                for attempt in 1..=attempts {
                    let sent = this.client.post(&url).form(&fields).send().await;
                    let (outcome, status, error) = match sent {
                        Ok(r) if r.status().is_success() => {
                            (DeliveryOutcome::Delivered, Some(r.status().as_u16()), None)
                        }
                        Ok(r) => (DeliveryOutcome::Failed, Some(r.status().as_u16()), None),
                        Err(e) => (DeliveryOutcome::Failed, None, Some(e.to_string())),
                    };
                    this.push(record(attempt, outcome, status, error));
                    if outcome == DeliveryOutcome::Delivered {
                        return;
                    }
                    if attempt < attempts {
                        tokio::time::sleep(this.policy.delay).await;
                    }
                }
            },
            &self.runtime,
        );
    }

    /// Sends one bare GET to `url`, as the service pings notify URLs, and records it like a
    /// delivery (not retried; skipped for a host that is not allowed).
    pub async fn ping(&self, url: &str) -> NotificationDelivery {
        let mut delivery = NotificationDelivery {
            transaction_id: String::new(),
            method: "GET".into(),
            url: url.to_string(),
            attempt: 1,
            outcome: DeliveryOutcome::Skipped,
            http_status: None,
            error: None,
            fields: BTreeMap::new(),
        };
        match self.allowed(url) {
            Err(reason) => delivery.error = Some(reason),
            Ok(()) => match self.client.get(url).send().await {
                Ok(r) => {
                    delivery.http_status = Some(r.status().as_u16());
                    delivery.outcome = if r.status().is_success() {
                        DeliveryOutcome::Delivered
                    } else {
                        DeliveryOutcome::Failed
                    };
                }
                Err(e) => {
                    delivery.outcome = DeliveryOutcome::Failed;
                    delivery.error = Some(e.to_string());
                }
            },
        }
        self.push(delivery.clone());
        delivery
    }

    fn allowed(&self, url: &str) -> Result<(), String> {
        let parsed = Url::parse(url).map_err(|e| format!("invalid URL: {e}"))?;
        if !self.loopback_only {
            return Ok(());
        }
        let host = parsed.host_str().unwrap_or_default();
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let loopback =
            host.eq_ignore_ascii_case("localhost") || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
        if loopback {
            Ok(())
        } else {
            Err(format!("host {host:?} is not loopback"))
        }
    }

    fn push(&self, delivery: NotificationDelivery) {
        let mut log = lock(&self.log);
        log.push(delivery);
        self.count.send_replace(log.len());
    }

    /// Every attempt recorded so far, in order.
    pub fn deliveries(&self) -> Vec<NotificationDelivery> {
        lock(&self.log).clone()
    }

    /// Waits until at least `n` attempts are recorded, then returns them all.
    pub async fn wait_for(
        &self,
        n: usize,
        timeout: Duration,
    ) -> Result<Vec<NotificationDelivery>, WaitTimeout> {
        let mut rx = self.count.subscribe();
        let reached = tokio::time::timeout(timeout, rx.wait_for(|&c| c >= n)).await;
        let log = self.deliveries();
        match reached {
            Ok(Ok(_)) => Ok(log),
            _ => Err(WaitTimeout {
                wanted: n,
                got: log.len(),
            }),
        }
    }

    /// Cancels deliveries in flight and clears the log.
    pub fn reset(&self) {
        lock(&self.tasks).abort_all();
        let mut log = lock(&self.log);
        log.clear();
        self.count.send_replace(0);
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
