//! Sending one rendered payload: an HTTP POST to a webhook, or a print for a console channel.

use std::io::Write;
use std::time::{Duration, SystemTime};

use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};

use crate::config::{Channel, ChannelKind, WebhookUrl};
use crate::render::Payload;
use crate::retry_after;

use super::verdict::{self, Answer, Verdict};

/// How much of a webhook's answer is kept for the log.
const BODY_EXCERPT: usize = 2048;
/// The longest wait a webhook's answer is taken to ask for (about 31 years): any longer and adding
/// it to the clock would overflow.
const LONGEST_WAIT: Duration = Duration::from_secs(1_000_000_000);
/// The deadline for one post, connect to last byte of the answer.
pub const POST_TIMEOUT: Duration = Duration::from_secs(30);

/// A post that got no HTTP answer.
#[derive(Debug, thiserror::Error)]
pub enum PostError {
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    #[error("network error: {0}")]
    Network(String),
    #[error("cannot write to standard output: {0}")]
    Console(String),
    #[error("{0}")]
    WrongPayload(&'static str),
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

/// Something that takes a channel's rendered payloads: the real [`Target`], or a scripted stand-in in
/// tests that run the worker under paused time.
pub trait Destination: Send + Sync + std::fmt::Display {
    /// Sends one payload. `delivery_key` identifies the delivery across retries (the generic
    /// webhook's `Idempotency-Key`).
    fn send<'a>(
        &'a self,
        delivery_key: &'a str,
        payload: &'a Payload,
    ) -> BoxFuture<'a, Result<Sent, PostError>>;
}

/// The HTTP client for webhooks: one connection pool, redirects never followed (a webhook that
/// redirects is misconfigured, and following it could send the card somewhere unintended).
#[derive(Clone)]
pub struct Poster {
    client: reqwest::Client,
}

impl Poster {
    pub fn new() -> Result<Self, PostError> {
        let client = reqwest::Client::builder()
            .user_agent(concat!("feedhook/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(POST_TIMEOUT)
            .build()
            .map_err(|e| PostError::Network(e.to_string()))?;
        Ok(Self { client })
    }

    /// Posts `body` with `headers` and reads the answer.
    pub async fn post(
        &self,
        url: &WebhookUrl,
        headers: HeaderMap,
        body: Vec<u8>,
    ) -> Result<Answer, PostError> {
        let response = self
            .client
            .post(url.expose().clone())
            .headers(headers)
            .body(body)
            .send()
            .await
            .map_err(|e| describe_error(&e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = read_excerpt(response).await;
        Ok(Answer::read(status, &headers, body, SystemTime::now()))
    }
}

impl Answer {
    /// Reads the status, the rate-limit headers and the body excerpt of a webhook's answer. How long
    /// to wait comes from `Retry-After`, else (on a 429) Discord's `X-RateLimit-Reset-After`, else a
    /// JSON body's `retry_after` — all in seconds, fractions allowed.
    #[must_use]
    pub fn read(status: u16, headers: &HeaderMap, mut body: String, now: SystemTime) -> Self {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let retry_after = header(RETRY_AFTER.as_str()).and_then(|v| retry_after::parse(v, now));
        let reset_after = header("x-ratelimit-reset-after").and_then(retry_after::delay_seconds);
        let bucket_empty = header("x-ratelimit-remaining").is_some_and(|v| v.trim() == "0");
        if (300..400).contains(&status) && body.is_empty() {
            body.push_str("(redirect)");
        }
        let retry_after = retry_after
            .or(reset_after.filter(|_| status == 429))
            .or_else(|| verdict::json_retry_after(&body));
        Self {
            status,
            body,
            retry_after: retry_after.map(|wait| wait.min(LONGEST_WAIT)),
            bucket_empty_for: reset_after
                .filter(|_| bucket_empty)
                .map(|wait| wait.min(LONGEST_WAIT)),
        }
    }
}

/// Where a channel's payloads go.
#[derive(Clone)]
pub enum Target {
    Webhook {
        url: WebhookUrl,
        poster: Poster,
        kind: ChannelKind,
        headers: Vec<(String, String)>,
    },
    Console,
}

impl Target {
    /// The target for `channel`, sharing `poster`'s connection pool.
    #[must_use]
    pub fn for_channel(channel: &Channel, poster: &Poster) -> Self {
        match &channel.url {
            Some(url) if channel.kind != ChannelKind::Console => Self::Webhook {
                url: url.clone(),
                poster: poster.clone(),
                kind: channel.kind,
                headers: channel.headers.clone(),
            },
            _ => Self::Console,
        }
    }
}

impl Destination for Target {
    fn send<'a>(
        &'a self,
        delivery_key: &'a str,
        payload: &'a Payload,
    ) -> BoxFuture<'a, Result<Sent, PostError>> {
        Box::pin(async move {
            match (self, payload) {
                (
                    Self::Webhook {
                        url,
                        poster,
                        kind,
                        headers,
                    },
                    Payload::Json(_) | Payload::Body(_),
                ) => {
                    let headers = request_headers(*kind, headers, delivery_key);
                    let answer = poster.post(url, headers, payload.to_bytes()).await?;
                    Ok(Sent {
                        verdict: verdict::classify(*kind, &answer),
                        pause: answer.bucket_empty_for,
                    })
                }
                (Self::Console, Payload::Text(text) | Payload::Body(text)) => {
                    print_to_console(text).map(Sent::from)
                }
                (Self::Console, Payload::Json(body)) => {
                    print_to_console(&body.to_string()).map(Sent::from)
                }
                (Self::Webhook { .. }, Payload::Text(_)) => Err(PostError::WrongPayload(
                    "a webhook cannot post a text payload",
                )),
            }
        })
    }
}

/// JSON content type, the channel's own headers, and for generic webhooks an `Idempotency-Key` that
/// stays the same across retries of one delivery, so a receiver can drop the repeat after a crash.
pub fn request_headers(
    kind: ChannelKind,
    extra: &[(String, String)],
    delivery_key: &str,
) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if kind == ChannelKind::Generic
        && let Ok(value) = HeaderValue::from_str(delivery_key)
    {
        headers.insert(HeaderName::from_static("idempotency-key"), value);
    }
    for (name, value) in extra {
        // Names and values were checked when the config was read.
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.insert(name, value);
        }
    }
    headers
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Webhook { url, .. } => url.fmt(f),
            Self::Console => f.write_str("stdout"),
        }
    }
}

fn print_to_console(text: &str) -> Result<Verdict, PostError> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{text}")
        .and_then(|()| stdout.flush())
        .map_err(|e| PostError::Console(e.to_string()))?;
    Ok(Verdict::Delivered)
}

/// The start of the answer's body, for the log; a slow or endless body is not waited for.
async fn read_excerpt(response: reqwest::Response) -> String {
    let mut bytes = Vec::new();
    let mut stream = response.bytes_stream();
    while bytes.len() < BODY_EXCERPT {
        match stream.next().await {
            Some(Ok(chunk)) => bytes.extend_from_slice(&chunk),
            _ => break,
        }
    }
    bytes.truncate(BODY_EXCERPT);
    String::from_utf8_lossy(&bytes)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A short description of a failed request; reqwest's own message names the URL, which is secret.
fn describe_error(error: &reqwest::Error) -> PostError {
    if error.is_timeout() {
        return PostError::Timeout(POST_TIMEOUT);
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
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(n, v)| (HeaderName::from_static(n), HeaderValue::from_static(v)))
            .collect()
    }

    #[test]
    fn discord_429_without_retry_after_waits_its_reset_after_in_seconds() {
        let answer = Answer::read(
            429,
            &headers(&[("x-ratelimit-reset-after", "1.5")]),
            String::new(),
            SystemTime::now(),
        );
        assert_eq!(answer.retry_after, Some(Duration::from_millis(1500)));
    }

    #[test]
    fn discord_429_with_only_a_json_body_waits_its_retry_after_in_seconds() {
        let body =
            r#"{"message": "You are being rate limited.", "retry_after": 1.5, "global": false}"#
                .to_owned();
        let answer = Answer::read(429, &HeaderMap::new(), body, SystemTime::now());
        assert_eq!(answer.retry_after, Some(Duration::from_millis(1500)));
    }

    #[test]
    fn retry_after_header_comes_first() {
        let answer = Answer::read(
            429,
            &headers(&[("retry-after", "7"), ("x-ratelimit-reset-after", "1.5")]),
            String::new(),
            SystemTime::now(),
        );
        assert_eq!(answer.retry_after, Some(Duration::from_secs(7)));
    }

    #[test]
    fn absurd_waits_stay_within_reach_of_the_clock() {
        for value in ["99999999999", "Fri, 31 Dec 9999 23:59:59 GMT"] {
            let answer = Answer::read(
                429,
                &headers(&[("retry-after", value)]),
                String::new(),
                SystemTime::now(),
            );
            assert_eq!(answer.retry_after, Some(LONGEST_WAIT), "{value}");
        }
    }

    #[test]
    fn an_empty_bucket_pauses_the_channel_after_a_success() {
        let empty = headers(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset-after", "0.8"),
        ]);
        let answer = Answer::read(204, &empty, String::new(), SystemTime::now());
        assert_eq!(answer.bucket_empty_for, Some(Duration::from_millis(800)));
        assert_eq!(answer.retry_after, None);
        let left = headers(&[
            ("x-ratelimit-remaining", "3"),
            ("x-ratelimit-reset-after", "0.8"),
        ]);
        assert_eq!(
            Answer::read(204, &left, String::new(), SystemTime::now()).bucket_empty_for,
            None
        );
    }
}
