//! Requests a `slow_processing` fault is still working on, counted so that a test can wait for
//! them to land (`GET /_sandbox/ledger?settle_ms=N`) instead of sleeping.
//!
//! Such a request runs in a task of its own, detached from its connection: the client may give up
//! (time out, close the socket) and the request is still processed when its delay ends, as on the
//! real service. Until then the ledger does not show it, which is exactly what the client sees.

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;

/// The count of detached requests still running.
#[derive(Debug)]
pub struct InFlight {
    count: watch::Sender<usize>,
}

impl Default for InFlight {
    fn default() -> Self {
        InFlight {
            count: watch::channel(0).0,
        }
    }
}

impl InFlight {
    /// Runs `work` in its own task, counted until it ends; the handle gives its result to a
    /// client still waiting.
    pub fn spawn<F>(&self, work: F) -> tokio::task::JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.count.send_modify(|n| *n += 1);
        let count = self.count.clone();
        tokio::spawn(async move {
            let output = work.await;
            count.send_modify(|n| *n -= 1);
            output
        })
    }

    /// How many are running.
    pub fn running(&self) -> usize {
        *self.count.borrow()
    }

    /// Waits until none is running; on timeout, the number still running.
    pub async fn settled(&self, timeout: Duration) -> Result<(), usize> {
        let mut rx = self.count.subscribe();
        let idle = tokio::time::timeout(timeout, rx.wait_for(|&n| n == 0))
            .await
            .is_ok_and(|r| r.is_ok());
        if idle {
            Ok(())
        } else {
            Err(self.running())
        }
    }
}
