//! The API requests being served: how many arrived, how many are in progress, and the most that
//! were in progress at once.
//!
//! The peak is how a test or a benchmark sees that requests really ran side by side: in latency
//! mode ([`crate::SandboxConfig::latency`]), eight clients in parallel must show eight at once, not
//! one after the other. Concurrency is observed on the server, where it happens, instead of being
//! inferred from timings that a loaded machine blurs.

use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

/// Counts of `/v1` requests since the start (or the last reset).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestStats {
    /// Requests received.
    pub received: u64,
    /// Requests being served now (answered ones no longer count, nor dropped connections).
    pub in_progress: u64,
    /// The most requests in progress at the same time.
    pub peak_in_progress: u64,
}

/// The live counts.
#[derive(Debug, Default)]
pub struct Requests {
    stats: Mutex<RequestStats>,
}

/// One request in progress; it stops counting when dropped (answered, or abandoned by its client).
#[derive(Debug)]
pub struct InProgress<'a>(&'a Requests);

impl Drop for InProgress<'_> {
    fn drop(&mut self) {
        self.0.lock().in_progress -= 1;
    }
}

impl Requests {
    /// Counts a request in until the returned guard is dropped.
    pub fn begin(&self) -> InProgress<'_> {
        let mut s = self.lock();
        s.received += 1;
        s.in_progress += 1;
        s.peak_in_progress = s.peak_in_progress.max(s.in_progress);
        InProgress(self)
    }

    /// The counts now.
    pub fn stats(&self) -> RequestStats {
        *self.lock()
    }

    /// Starts counting afresh; requests still in progress keep counting as such.
    pub fn reset(&self) {
        let mut s = self.lock();
        s.received = 0;
        s.peak_in_progress = s.in_progress;
    }

    fn lock(&self) -> MutexGuard<'_, RequestStats> {
        self.stats.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peak_is_the_most_requests_in_progress_at_once() {
        let requests = Requests::default();
        let a = requests.begin();
        let b = requests.begin();
        drop(a);
        let c = requests.begin();
        drop((b, c));
        let after = RequestStats {
            received: 3,
            in_progress: 0,
            peak_in_progress: 2,
        };
        assert_eq!(requests.stats(), after);
        let d = requests.begin();
        requests.reset();
        assert_eq!(requests.stats().peak_in_progress, 1);
        drop(d);
        assert_eq!(requests.stats().received, 0);
    }
}
