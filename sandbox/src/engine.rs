//! The engine every request and every admin call goes through: configuration, clock, books, faults
//! and notifier, shared behind one `Arc`.
//!
//! Time-driven work has a single entry point, [`Engine::tick`]: it takes every payout step that fell
//! due on the sandbox clock and starts the notifications of payouts that became final. It runs after
//! a manual advance, before every request (so answers always reflect the present), and on a short
//! timer in real-clock mode.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::runtime::Handle;

use crate::clock::Clock;
use crate::config::{ClockMode, Delays, SandboxConfig};
use crate::error::AdminError;
use crate::faults::FaultBook;
use crate::in_flight::InFlight;
use crate::notify::Notifier;
use crate::requests::Requests;
use crate::state::State;

/// Shared sandbox internals.
#[derive(Debug)]
pub struct Engine {
    /// The configuration the sandbox started with.
    pub config: SandboxConfig,
    /// The sandbox clock.
    pub clock: Clock,
    /// Faults still to inject.
    pub faults: FaultBook,
    /// Requests a `slow_processing` fault is still working on.
    pub in_flight: InFlight,
    /// Notification sender and log.
    pub notifier: Arc<Notifier>,
    /// Counts of the API requests served.
    pub requests: Requests,
    state: Mutex<State>,
}

impl Engine {
    /// A fresh engine; background work is spawned on `runtime`.
    pub fn new(config: SandboxConfig, runtime: Handle) -> Arc<Self> {
        let notifier = Notifier::new(config.notify_retry, config.notify_loopback_only, runtime);
        Arc::new(Engine {
            clock: Clock::new(config.clock == ClockMode::Manual),
            faults: FaultBook::default(),
            in_flight: InFlight::default(),
            notifier: Arc::new(notifier),
            requests: Requests::default(),
            state: Mutex::new(State::new(&config)),
            config,
        })
    }

    /// The delays between a payout's steps.
    pub fn delays(&self) -> Delays {
        match self.config.clock {
            ClockMode::Manual => Delays::MANUAL,
            ClockMode::Real(delays) => delays,
        }
    }

    /// Locks the books.
    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes every step that fell due and notifies final payouts; returns the number of steps.
    pub fn tick(&self) -> usize {
        let (finals, steps) = self.state().process_due(self.clock.now_ms(), &self.delays());
        for p in finals {
            let fields = p.notification_fields();
            self.notifier
                .dispatch(p.entry.transaction_id, p.entry.notify_url, fields);
        }
        steps
    }

    /// Moves the clock forward and takes the steps that fell due; returns their number.
    pub fn advance(&self, by: Duration) -> usize {
        self.clock.advance(by);
        self.tick()
    }

    /// Confirms the pending payouts of a merchant (the first one when `None`), or only
    /// `transaction_id`; returns how many were pending.
    pub fn confirm(&self, api_key: Option<&str>, transaction_id: Option<&str>) -> Result<usize, AdminError> {
        let mut state = self.state();
        let api_key = state.resolve_merchant(api_key)?;
        state.confirm(&api_key, transaction_id, self.clock.now_ms(), &self.delays())
    }

    /// Sets the available balance of a merchant (the first one when `None`) in one country.
    pub fn set_balance(
        &self,
        api_key: Option<&str>,
        country: &str,
        available: u64,
    ) -> Result<(), AdminError> {
        let mut state = self.state();
        let api_key = state.resolve_merchant(api_key)?;
        state.set_balance(&api_key, country, available)
    }

    /// Back to the state at start: configured merchants, no payouts, tokens, faults or
    /// notifications, clock unadvanced, request counts afresh.
    pub fn reset(&self) {
        self.requests.reset();
        self.notifier.reset();
        self.faults.clear();
        self.clock.reset();
        *self.state() = State::new(&self.config);
    }
}
