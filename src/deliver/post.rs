//! Sending one rendered payload: an HTTP POST to a webhook, or a print for a console channel. What
//! the webhook answered is read and judged in [`super::answer`].

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};

use crate::config::{Channel, ChannelKind, Redactor, SecretUrl};
use crate::render::Payload;

use super::answer::{self, PostError, Sent};
use super::verdict::Answer;

/// The deadline for one post, connect to last byte of the answer.
pub const POST_TIMEOUT: Duration = Duration::from_secs(30);

/// Something that takes a channel's rendered payloads: the real [`Target`], or a scripted stand-in in
/// tests that run the worker under paused time.
pub trait Destination: Send + Sync + std::fmt::Display {
    /// Sends one payload and tells what came of it. `delivery_key` identifies the delivery across
    /// retries (the generic webhook's `Idempotency-Key`).
    fn send<'a>(&'a self, delivery_key: &'a str, payload: &'a Payload) -> BoxFuture<'a, Sent>;
}

/// The HTTP client for webhooks: one connection pool, redirects never followed (a webhook that
/// redirects is misconfigured, and following it could send the card somewhere unintended). What
/// the webhook answers is masked by the config's redactor before anyone reads it.
#[derive(Clone)]
pub struct Poster {
    client: reqwest::Client,
    redactor: Arc<Redactor>,
}

impl Poster {
    pub fn new(redactor: &Arc<Redactor>) -> Result<Self, PostError> {
        let client = reqwest::Client::builder()
            .user_agent(concat!("feedhook/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(POST_TIMEOUT)
            .build()
            .map_err(|e| PostError::Network(e.to_string()))?;
        Ok(Self {
            client,
            redactor: Arc::clone(redactor),
        })
    }

    /// Posts `body` with `headers` and reads the answer.
    pub async fn post(
        &self,
        url: &SecretUrl,
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
            .map_err(|e| answer::transport_error(&e, POST_TIMEOUT).redacted(&self.redactor))?;
        Ok(answer::receive(response, &self.redactor).await)
    }
}

/// Where a channel's payloads go.
// One per channel, behind an `Arc`: boxing the larger variant would save nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub enum Target {
    Webhook {
        url: SecretUrl,
        poster: Poster,
        kind: ChannelKind,
        headers: HeaderMap,
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
    fn send<'a>(&'a self, delivery_key: &'a str, payload: &'a Payload) -> BoxFuture<'a, Sent> {
        Box::pin(async move {
            let printed = match (self, payload) {
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
                    let posted = poster.post(url, headers, payload.to_bytes()).await;
                    return answer::judge_post(*kind, url, posted);
                }
                (Self::Console, Payload::Text(text) | Payload::Body(text)) => {
                    print_to_console(text)
                }
                (Self::Console, Payload::Json(body)) => print_to_console(&body.to_string()),
                (Self::Webhook { .. }, Payload::Text(_)) => Err(PostError::WrongPayload(
                    "a webhook cannot post a text payload",
                )),
            };
            answer::judge_print(printed)
        })
    }
}

/// JSON content type, the channel's own headers (parsed and marked sensitive by the config; they
/// replace ours of the same name), and for generic webhooks an `Idempotency-Key` that stays the
/// same across retries of one delivery, so a receiver can drop the repeat after a crash.
pub fn request_headers(kind: ChannelKind, extra: &HeaderMap, delivery_key: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if kind == ChannelKind::Generic
        && let Ok(value) = HeaderValue::from_str(delivery_key)
    {
        headers.insert(HeaderName::from_static("idempotency-key"), value);
    }
    headers.extend(extra.clone());
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

fn print_to_console(text: &str) -> Result<(), PostError> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{text}")
        .and_then(|()| stdout.flush())
        .map_err(|e| PostError::Console(e.to_string()))
}

#[cfg(test)]
mod tests;
