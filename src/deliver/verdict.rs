//! What a webhook's answer means. Every status-code decision of delivery lives here.

use std::time::Duration;

/// The outcome of one post, as the worker acts on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// 2xx: mark delivered.
    Delivered,
    /// A transient failure (network, timeout, 408, 5xx): retry with backoff, or no sooner than the
    /// server's `Retry-After` when it gave one.
    Retry {
        reason: String,
        retry_after: Option<Duration>,
    },
    /// 429: wait at least `retry_after`; does not use up the attempt budget.
    RateLimited { retry_after: Duration },
    /// The platform refused this one payload (400, 413, 422, …): fail this delivery, move on.
    Rejected { reason: String },
    /// The webhook is gone or no longer ours (401, 403, 404, 410, a redirect): suspend the channel,
    /// keeping its pending deliveries.
    ChannelGone { reason: String },
}

/// The wait after a 429 that gave no usable `Retry-After`.
pub const DEFAULT_RATE_LIMIT_WAIT: Duration = Duration::from_secs(30);

/// Classifies an HTTP answer. `body` is the start of the response body, for the log.
#[must_use]
pub fn classify(status: u16, retry_after: Option<Duration>, body: &str) -> Verdict {
    let said = describe(status, body);
    match status {
        200..=299 => Verdict::Delivered,
        429 => Verdict::RateLimited {
            retry_after: retry_after.unwrap_or(DEFAULT_RATE_LIMIT_WAIT),
        },
        408 | 500..=599 => Verdict::Retry {
            reason: said,
            retry_after,
        },
        300..=399 => Verdict::ChannelGone {
            reason: format!(
                "{said}: the webhook URL redirects; webhook posts never follow redirects, so update the channel's url"
            ),
        },
        401 | 403 | 404 | 410 => Verdict::ChannelGone { reason: said },
        _ => Verdict::Rejected { reason: said },
    }
}

/// Parses a `Retry-After` header value: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
#[must_use]
pub fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

fn describe(status: u16, body: &str) -> String {
    let body = body.trim();
    if body.is_empty() {
        format!("HTTP {status}")
    } else {
        format!("HTTP {status}: {body}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_statuses_deliver() {
        assert_eq!(classify(200, None, ""), Verdict::Delivered);
        assert_eq!(classify(202, None, ""), Verdict::Delivered);
    }

    #[test]
    fn server_errors_retry_with_their_retry_after() {
        let verdict = classify(503, Some(Duration::from_secs(9)), "busy");
        assert_eq!(
            verdict,
            Verdict::Retry {
                reason: "HTTP 503: busy".into(),
                retry_after: Some(Duration::from_secs(9))
            }
        );
        assert!(matches!(classify(408, None, ""), Verdict::Retry { .. }));
    }

    #[test]
    fn too_many_requests_waits_without_a_header_too() {
        assert_eq!(
            classify(429, Some(Duration::from_secs(7)), ""),
            Verdict::RateLimited {
                retry_after: Duration::from_secs(7)
            }
        );
        assert_eq!(
            classify(429, None, ""),
            Verdict::RateLimited {
                retry_after: DEFAULT_RATE_LIMIT_WAIT
            }
        );
    }

    #[test]
    fn gone_webhooks_suspend_the_channel() {
        for status in [401, 403, 404, 410, 301, 308] {
            assert!(
                matches!(classify(status, None, ""), Verdict::ChannelGone { .. }),
                "{status}"
            );
        }
    }

    #[test]
    fn other_client_errors_reject_the_payload_with_the_body() {
        assert_eq!(
            classify(400, None, "bad card"),
            Verdict::Rejected {
                reason: "HTTP 400: bad card".into()
            }
        );
        assert!(matches!(classify(413, None, ""), Verdict::Rejected { .. }));
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2026 07:28:00 GMT").expect("valid date");
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("1.5", now),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2026 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2026 07:27:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }
}
