//! The sandbox's sense of time.
//!
//! Every timestamp the sandbox hands out (token `iat`/`exp`, `validated_at`, transaction ids) and every
//! transition of a payout reads this clock, so a test that advances it sees tokens expire and payouts
//! progress without waiting. In manual mode time starts at the wall-clock instant the sandbox started
//! and moves only when advanced; in real mode it is the wall clock plus whatever was advanced.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A clock in milliseconds since the Unix epoch.
#[derive(Debug)]
pub struct Clock {
    /// Manual mode: the frozen start instant. `None` in real mode.
    frozen_start_ms: Option<u64>,
    /// Time added by `advance`.
    offset_ms: AtomicU64,
}

fn wall_ms() -> u64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
}

impl Clock {
    /// A clock that moves only when advanced (`manual`) or follows the wall clock.
    pub fn new(manual: bool) -> Self {
        Clock {
            frozen_start_ms: manual.then(wall_ms),
            offset_ms: AtomicU64::new(0),
        }
    }

    /// Now, in milliseconds since the epoch.
    pub fn now_ms(&self) -> u64 {
        let base = self.frozen_start_ms.unwrap_or_else(wall_ms);
        base + self.offset_ms.load(Ordering::SeqCst)
    }

    /// Moves time forward.
    pub fn advance(&self, by: Duration) {
        self.offset_ms.fetch_add(millis(by), Ordering::SeqCst);
    }

    /// Undoes every advance.
    pub fn reset(&self) {
        self.offset_ms.store(0, Ordering::SeqCst);
    }
}

/// A duration in milliseconds, saturating.
pub fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// A UTC calendar instant, enough to format the service's timestamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl Civil {
    /// The UTC date and time of `ms` since the epoch.
    pub fn from_ms(ms: u64) -> Civil {
        let secs = ms / 1000;
        let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX);
        let rem = u32::try_from(secs % 86_400).unwrap_or(0);
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
        let month = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
        let year = yoe + era * 400 + i64::from(month <= 2);
        Civil {
            year,
            month,
            day,
            hour: rem / 3600,
            minute: rem % 3600 / 60,
            second: rem % 60,
        }
    }

    /// `YYYY-MM-DD HH:MM:SS`, the shape of `validated_at`.
    pub fn datetime(&self) -> String {
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// `YYMMDD.HHMMSS`, the middle of a transaction id (`EA180627.122753.M279245`).
    pub fn compact(&self) -> String {
        format!(
            "{:02}{:02}{:02}.{:02}{:02}{:02}",
            self.year % 100,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        // 2018-06-27 12:27:53 UTC
        let c = Civil::from_ms(1_530_102_473_000);
        assert_eq!(c.datetime(), "2018-06-27 12:27:53");
        assert_eq!(c.compact(), "180627.122753");
        assert_eq!(Civil::from_ms(0).datetime(), "1970-01-01 00:00:00");
        assert_eq!(Civil::from_ms(951_782_400_000).datetime(), "2000-02-29 00:00:00");
    }

    #[test]
    fn manual_clock_moves_only_when_advanced() {
        let c = Clock::new(true);
        let t = c.now_ms();
        c.advance(Duration::from_secs(5));
        assert_eq!(c.now_ms(), t + 5000);
        c.reset();
        assert_eq!(c.now_ms(), t);
    }
}
