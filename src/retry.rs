//! Retry policy: what is retried, how long to wait, and reading `Retry-After`.

/// How an attempt failed, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The server answered with this status.
    Status(u16),
    /// No HTTP answer at all.
    Network,
    /// The attempt hit its timeout.
    Timeout,
}

/// Longest computed backoff between two attempts.
pub const MAX_BACKOFF_MS: u64 = 8_000;
/// First backoff; doubled for each retry.
pub const BASE_BACKOFF_MS: u64 = 500;

/// Whether `failure` may be retried. 429 always is: the server did not act on the request.
/// Gateway errors, timeouts and lost connections may have reached the server, so they are
/// retried only for operations that are safe to repeat (`idempotent`).
pub fn is_retryable(failure: Failure, idempotent: bool) -> bool {
    match failure {
        Failure::Status(429) => true,
        Failure::Status(408 | 502 | 503 | 504) | Failure::Network | Failure::Timeout => idempotent,
        Failure::Status(_) => false,
    }
}

/// Exponential backoff before retry number `retry` (0 for the first), shortened by up to a
/// quarter by `jitter` in [0, 1) so that many clients do not retry in step.
pub fn backoff_ms(retry: u32, jitter: f64) -> u64 {
    let exp = BASE_BACKOFF_MS.saturating_mul(1u64 << retry.min(20));
    let capped = exp.min(MAX_BACKOFF_MS) as f64;
    (capped * (1.0 - 0.25 * jitter.clamp(0.0, 1.0))) as u64
}

/// The wait before the next attempt, or `None` to give up.
///
/// `retry` counts retries already made. A server-given `retry_after_ms` is honoured exactly; when
/// it exceeds `max_retry_after_ms` the call gives up at once rather than retrying too early.
pub fn next_delay(
    failure: Failure,
    idempotent: bool,
    retry: u32,
    max_retries: u32,
    retry_after_ms: Option<u64>,
    max_retry_after_ms: u64,
    jitter: f64,
) -> Option<u64> {
    if retry >= max_retries || !is_retryable(failure, idempotent) {
        return None;
    }
    match retry_after_ms {
        Some(ms) if ms > max_retry_after_ms => None,
        Some(ms) => Some(ms),
        None => Some(backoff_ms(retry, jitter)),
    }
}

/// Reads `retry-after-ms` (milliseconds) or `Retry-After` (seconds or an HTTP date).
pub fn retry_after_ms(retry_after_ms_header: Option<&str>, retry_after: Option<&str>, now_ms: f64) -> Option<u64> {
    if let Some(ms) = retry_after_ms_header.and_then(|v| thousandths(v.trim())) {
        return Some(ms / 1000);
    }
    let v = retry_after?.trim();
    if let Some(ms) = thousandths(v) {
        return Some(ms);
    }
    let at = parse_http_date(v)?;
    Some((at - now_ms).max(0.0) as u64)
}

/// A non-negative decimal such as `3` or `1.5`, times 1000. Parsed by hand: Rust's float
/// parser adds about 10 KB to the `.wasm` for what is always a small number here.
fn thousandths(s: &str) -> Option<u64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() || int.len() > 12 || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut ms: u64 = int.parse::<u64>().ok()? * 1000;
    for (i, scale) in frac.bytes().zip([100u64, 10, 1]) {
        ms += (i - b'0') as u64 * scale;
    }
    Some(ms)
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) into milliseconds since the epoch.
pub fn parse_http_date(s: &str) -> Option<f64> {
    let rest = s.get(s.find(',')? + 1..)?.strip_prefix(' ')?;
    let mut parts = rest.split(' ');
    let day: i64 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1, "Feb" => 2, "Mar" => 3, "Apr" => 4, "May" => 5, "Jun" => 6,
        "Jul" => 7, "Aug" => 8, "Sep" => 9, "Oct" => 10, "Nov" => 11, "Dec" => 12,
        _ => return None,
    };
    let year: i64 = parts.next()?.parse().ok()?;
    let mut hms = parts.next()?.split(':');
    let (h, m, sec): (i64, i64, i64) =
        (hms.next()?.parse().ok()?, hms.next()?.parse().ok()?, hms.next()?.parse().ok()?);
    if parts.next()? != "GMT" || parts.next().is_some() || !(1..=31).contains(&day) || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(((days * 86_400 + h * 3_600 + m * 60 + sec) * 1_000) as f64)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits_are_always_retried_server_errors_only_when_safe() {
        assert!(is_retryable(Failure::Status(429), false));
        for f in [Failure::Status(502), Failure::Status(503), Failure::Status(504), Failure::Network, Failure::Timeout] {
            assert!(is_retryable(f, true), "{f:?}");
            assert!(!is_retryable(f, false), "{f:?}");
        }
        for s in [400, 401, 403, 404, 409, 500, 501] {
            assert!(!is_retryable(Failure::Status(s), true), "{s}");
        }
    }

    #[test]
    fn backoff_doubles_up_to_a_cap_and_jitter_only_shortens() {
        assert_eq!(backoff_ms(0, 0.0), 500);
        assert_eq!(backoff_ms(1, 0.0), 1000);
        assert_eq!(backoff_ms(3, 0.0), 4000);
        assert_eq!(backoff_ms(4, 0.0), 8000);
        assert_eq!(backoff_ms(40, 0.0), 8000);
        assert_eq!(backoff_ms(0, 0.999_999), 375);
        assert_eq!(backoff_ms(0, 7.0), 375);
    }

    #[test]
    fn next_delay_stops_after_max_retries() {
        let d = |retry| next_delay(Failure::Status(503), true, retry, 3, None, 60_000, 0.0);
        assert_eq!((d(0), d(1), d(2), d(3)), (Some(500), Some(1000), Some(2000), None));
        assert_eq!(next_delay(Failure::Status(503), false, 0, 3, None, 60_000, 0.0), None);
        assert_eq!(next_delay(Failure::Status(429), false, 0, 0, None, 60_000, 0.0), None);
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        assert_eq!(next_delay(Failure::Status(429), false, 0, 3, Some(2_000), 60_000, 0.5), Some(2_000));
        assert_eq!(next_delay(Failure::Status(429), false, 0, 3, Some(61_000), 60_000, 0.5), None);
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(retry_after_ms(None, Some("3"), 0.0), Some(3_000));
        assert_eq!(retry_after_ms(None, Some(" 1.5 "), 0.0), Some(1_500));
        assert_eq!(retry_after_ms(Some("250"), Some("3"), 0.0), Some(250));
        assert_eq!(retry_after_ms(Some("junk"), Some("2"), 0.0), Some(2_000));
        assert_eq!(retry_after_ms(None, Some("-1"), 0.0), None);
        assert_eq!(retry_after_ms(None, Some("0.1234"), 0.0), Some(123));
        assert_eq!(retry_after_ms(None, Some("1e3"), 0.0), None);
        assert_eq!(retry_after_ms(Some("12.9"), None, 0.0), Some(12));
        assert_eq!(retry_after_ms(None, Some("soon"), 0.0), None);
        assert_eq!(retry_after_ms(None, None, 0.0), None);
        let now = parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(retry_after_ms(None, Some("Wed, 21 Oct 2015 07:28:05 GMT"), now), Some(5_000));
        assert_eq!(retry_after_ms(None, Some("Wed, 21 Oct 2015 07:27:00 GMT"), now), Some(0));
    }

    #[test]
    fn http_dates() {
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0.0));
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777_000.0));
        assert_eq!(parse_http_date("Tue, 29 Feb 2028 12:00:00 GMT"), Some(1_835_438_400_000.0));
        for bad in ["", "06 Nov 1994", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT x"] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }
}
