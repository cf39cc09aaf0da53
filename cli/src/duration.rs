//! Durations on the command line (`--interval`, `--timeout`): `500ms`, `2s`, `10m`, `1h 30m`.
//!
//! Parsing is `humantime`'s; this module only bounds the result, because a deadline is computed as
//! "now + timeout" and an absurd value (`100000000000h`) must be a clear flag error, not an
//! overflow.

use crate::i18n::{t, text};
use std::time::Duration;

/// The longest `--interval` or `--timeout` accepted: a week.
const MAX: Duration = Duration::from_secs(7 * 24 * 3600);

/// Parses a duration flag value (clap `value_parser`).
pub fn parse(raw: &str) -> Result<Duration, String> {
    let duration = humantime::parse_duration(raw.trim()).map_err(|e| {
        t!(
            "duration-invalid",
            raw = text(format!("{raw:?}")),
            reason = text(e)
        )
    })?;
    if duration > MAX {
        return Err(t!("duration-too-long", raw = text(format!("{raw:?}"))));
    }
    Ok(duration)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_bounds_and_nonsense() {
        assert_eq!(parse("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse("1h 30m"), Ok(Duration::from_secs(5400)));
        for bad in [
            "soon",
            "-1s",
            "1e20h",
            "100000000000h",
            "99999999999999999999999s",
            "8d",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
