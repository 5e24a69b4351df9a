//! From one post to its [`Verdict`]: the webhook's answer is read here (status, the waits it asks
//! for, the start of its body) and judged by [`classify`]; a post that got no answer (network
//! error, timeout) is retried. Every path from a post to a verdict goes through this file, so the
//! worker only ever acts on verdicts.

use std::time::{Duration, SystemTime};

use futures_util::StreamExt;
use reqwest::header::{HeaderMap, RETRY_AFTER};

use super::verdict::{Answer, Verdict, classify_from};
use crate::config::{ChannelKind, Redactor, SecretUrl};
use crate::fetch::find_in_chain;
use crate::retry_after;

/// How much of a webhook's answer is kept for the log.
const BODY_EXCERPT: usize = 2048;
/// The longest wait a webhook's answer is taken to ask for (about 31 years): any longer and adding
/// it to the clock would overflow.
const LONGEST_WAIT: Duration = Duration::from_secs(1_000_000_000);

/// A post that got no HTTP answer.
#[derive(Debug, thiserror::Error)]
pub enum PostError {
    /// No answer within the deadline, once connected: the request may have been received.
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    #[error("network error: {0}")]
    Network(String),
    /// The webhook's TLS certificate was refused (self-signed, expired, for another name): a
    /// configuration error, which waiting does not mend.
    #[error("TLS certificate error: {0}")]
    Certificate(String),
    #[error("cannot write to standard output: {0}")]
    Console(String),
    #[error("{0}")]
    WrongPayload(&'static str),
    /// A Teams workflow restricted to the tenant got no token to post with.
    #[error(transparent)]
    Token(#[from] TokenError),
}

/// Why no token came.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// The token endpoint refused the app: a configuration error, which waiting does not mend.
    #[error("Entra ID refused the app's token request ({0})")]
    Refused(String),
    /// The token endpoint failed or could not be reached: the next try may get one.
    #[error("no Entra ID token: {0}")]
    Unavailable(String),
}

/// What came of one post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub verdict: Verdict,
    /// The platform's rate-limit bucket is empty: the next post to this channel waits this long.
    pub pause: Option<Duration>,
}

impl From<Verdict> for Sent {
    fn from(verdict: Verdict) -> Self {
        Self {
            verdict,
            pause: None,
        }
    }
}

/// What came of a post to the webhook of `kind` at `url`: its answer judged, with the pause the
/// answer asks for; without an answer, a retry.
#[must_use]
pub fn judge_post(kind: ChannelKind, url: &SecretUrl, posted: Result<Answer, PostError>) -> Sent {
    match posted {
        Ok(answer) => Sent {
            verdict: classify_from(kind, url, &answer),
            pause: answer.bucket_empty_for,
        },
        Err(error) => Sent::from(unanswered(&error)),
    }
}

/// What came of a card handled on this machine (printed on the console): delivered once done; a
/// failure is retried like a post without an answer.
#[must_use]
pub fn judge_print(printed: Result<(), PostError>) -> Sent {
    match printed {
        Ok(()) => Sent::from(Verdict::Delivered),
        Err(error) => Sent::from(unanswered(&error)),
    }
}

/// Nothing says the webhook refused the card: the same post may succeed later. A certificate
/// that was refused will be refused again until someone changes it or the URL. A post that timed
/// out once connected may have been received: its outcome is unknown.
pub(super) fn unanswered(error: &PostError) -> Verdict {
    match error {
        PostError::Timeout(_) => Verdict::Unanswered {
            reason: format!("{error}, once sent: the webhook may have posted the card"),
        },
        PostError::Certificate(_) => Verdict::ChannelGone {
            reason: format!("{error}; fix the webhook's certificate, or the channel's url"),
        },
        PostError::Token(TokenError::Refused(_)) => Verdict::ChannelGone {
            reason: format!(
                "{error}; check the channel's tenant, client_id and client secret (or \
                 certificate), and that the secret or certificate has not expired"
            ),
        },
        _ => Verdict::Retry {
            reason: error.to_string(),
            retry_after: None,
        },
    }
}

/// Reads a webhook's response: its status, its headers and the start of its body, with the
/// configured secrets masked (a 404 page may quote the webhook's URL).
pub(super) async fn receive(response: reqwest::Response, redactor: &Redactor) -> Answer {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = read_excerpt(response, redactor).await;
    read(status, &headers, body, SystemTime::now())
}

/// Reads the status, the rate-limit headers and the body excerpt of a webhook's answer. How long
/// to wait comes from `Retry-After`, else (on a 429) Discord's `X-RateLimit-Reset-After`, else a
/// JSON body's `retry_after` (Discord, Telegram) or `retry_after_ms` (Matrix).
#[must_use]
pub fn read(status: u16, headers: &HeaderMap, mut body: String, now: SystemTime) -> Answer {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let retry_after = header(RETRY_AFTER.as_str()).and_then(|v| retry_after::parse(v, now));
    let reset_after = header("x-ratelimit-reset-after").and_then(retry_after::delay_seconds);
    let bucket_empty = header("x-ratelimit-remaining").is_some_and(|v| v.trim() == "0");
    if (300..400).contains(&status) && body.is_empty() {
        body.push_str("(redirect)");
    }
    let retry_after = retry_after
        .or(reset_after.filter(|_| status == 429))
        .or_else(|| json_retry_after(&body));
    Answer {
        status,
        body,
        retry_after: retry_after.map(|wait| wait.min(LONGEST_WAIT)),
        bucket_empty_for: reset_after
            .filter(|_| bucket_empty)
            .map(|wait| wait.min(LONGEST_WAIT)),
    }
}

/// A JSON error body's wait: `retry_after` in seconds (Discord; API v8 and later count seconds),
/// `retry_after_ms` (Matrix's `M_LIMIT_EXCEEDED`), or `parameters.retry_after` in seconds
/// (Telegram's 429).
fn json_retry_after(body: &str) -> Option<Duration> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    let seconds = |value: Option<&serde_json::Value>| value?.as_f64();
    seconds(value.get("retry_after"))
        .or_else(|| seconds(value.pointer("/parameters/retry_after")))
        .or_else(|| seconds(value.get("retry_after_ms")).map(|ms| ms / 1000.0))
        .and_then(retry_after::from_secs_f64)
}

/// The start of the answer's body, for the log, redacted; a slow or endless body is not waited
/// for. A little more is read than kept, so that a secret at the cut is seen whole.
async fn read_excerpt(response: reqwest::Response, redactor: &Redactor) -> String {
    let window = BODY_EXCERPT + redactor.longest();
    let mut bytes = Vec::new();
    let mut stream = response.bytes_stream();
    while bytes.len() < window {
        match stream.next().await {
            Some(Ok(chunk)) => bytes.extend_from_slice(&chunk),
            _ => break,
        }
    }
    bytes.truncate(window);
    let text = String::from_utf8_lossy(&bytes)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    redactor.redact_start(&text, BODY_EXCERPT)
}

impl PostError {
    /// The error with the configured secrets masked in its message (a network error's cause).
    #[must_use]
    pub fn redacted(self, redactor: &Redactor) -> Self {
        match self {
            Self::Network(message) => Self::Network(redactor.redact(&message).into_owned()),
            Self::Certificate(message) => Self::Certificate(redactor.redact(&message).into_owned()),
            other => other,
        }
    }
}

/// A short description of a request that failed after `timeout` or earlier; reqwest's own message
/// names the URL, which is secret.
pub(super) fn transport_error(error: &reqwest::Error, timeout: Duration) -> PostError {
    if let Some(refused @ rustls::Error::InvalidCertificate(_)) =
        find_in_chain::<rustls::Error>(error)
    {
        return PostError::Certificate(refused.to_string());
    }
    // Timing out while connecting sent nothing: a plain network error, retried as such.
    if error.is_timeout() && !error.is_connect() {
        return PostError::Timeout(timeout);
    }
    let mut cause = String::new();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        cause = inner.to_string();
        source = inner.source();
    }
    let what = if error.is_connect() {
        "cannot connect"
    } else {
        "request failed"
    };
    if cause.is_empty() {
        PostError::Network(what.to_owned())
    } else {
        PostError::Network(format!("{what}: {cause}"))
    }
}

#[cfg(test)]
mod tests;
