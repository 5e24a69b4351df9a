//! `Retry-After` (RFC 9110 §10.2.3): how long a server asks us to wait, as delay-seconds or as an
//! HTTP date. Feed hosts send it with 429 and 503, webhooks with 429; Discord writes its seconds
//! with a fraction (`"1.5"`), and its JSON bodies carry the same as a number.
//!
//! Whatever a server writes, the answer is a [`Duration`], computed without overflow or panic: a
//! number too large for one is the longest wait there is. How long is too long to honour is the
//! caller's decision (a feed host and a webhook are capped differently), so nothing is capped here.

use std::time::{Duration, SystemTime};

/// Fractions finer than a nanosecond are dropped.
const NANOS_DIGITS: usize = 9;

/// The wait a `Retry-After` value asks for, a date counted from `now`. `None` when the value is
/// neither delay-seconds nor an HTTP date (negative, `NaN`, prose). A date already past asks for
/// no wait.
#[must_use]
pub fn parse(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    delay_seconds(value).or_else(|| {
        let at = httpdate::parse_http_date(value).ok()?;
        Some(at.duration_since(now).unwrap_or(Duration::ZERO))
    })
}

/// delay-seconds: digits, and the fraction Discord adds after a point (`"1.5"`). Read exactly, as
/// text: no float is involved, so `"99999999999"` is that many seconds.
#[must_use]
pub fn delay_seconds(value: &str) -> Option<Duration> {
    let value = value.trim();
    let (whole, fraction) = match value.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (value, None),
    };
    if !is_digits(whole) || fraction.is_some_and(|fraction| !is_digits(fraction)) {
        return None;
    }
    // Only digits are left, so the one way to fail is a number beyond `u64`.
    let Ok(seconds) = whole.parse::<u64>() else {
        return Some(Duration::MAX);
    };
    let nanos = fraction.map_or(0, |fraction| {
        let digits = &fraction[..fraction.len().min(NANOS_DIGITS)];
        let scale = 10_u32.pow(u32::try_from(NANOS_DIGITS - digits.len()).unwrap_or(0));
        digits.parse::<u32>().unwrap_or(0) * scale
    });
    Some(Duration::new(seconds, nanos))
}

/// A number of seconds given as a JSON number (Discord's `retry_after`). `None` when it is
/// negative or not finite.
#[must_use]
pub fn from_secs_f64(seconds: f64) -> Option<Duration> {
    if !seconds.is_finite() || seconds < 0.0 {
        return None;
    }
    Some(Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX))
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests;
