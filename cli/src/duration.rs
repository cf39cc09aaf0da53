//! Durations on the command line: `500ms`, `2s`, `1.5s`, `10m`, or bare seconds (`2`).

use std::time::Duration;

/// Parses a duration flag value (clap `value_parser`).
pub fn parse(raw: &str) -> Result<Duration, String> {
    let raw = raw.trim();
    let (number, scale) = if let Some(n) = raw.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = raw.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = raw.strip_suffix('m') {
        (n, 60.0)
    } else if let Some(n) = raw.strip_suffix('h') {
        (n, 3600.0)
    } else {
        (raw, 1.0)
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("{raw:?} is not a duration (examples: 500ms, 2s, 10m)"))?;
    if !value.is_finite() || value < 0.0 {
        return Err(format!("{raw:?} is not a duration (examples: 500ms, 2s, 10m)"));
    }
    Ok(Duration::from_secs_f64(value * scale))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_bare_seconds() {
        assert_eq!(parse("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse("1.5"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse("10m"), Ok(Duration::from_secs(600)));
        assert!(parse("soon").is_err());
        assert!(parse("-1s").is_err());
    }
}
