//! Sending one rendered payload: an HTTP POST to a webhook, or a print for a console channel.

use std::io::Write;
use std::time::{Duration, SystemTime};

use futures_util::StreamExt;
use futures_util::future::BoxFuture;

use crate::config::{Channel, ChannelKind, WebhookUrl};
use crate::render::Payload;

use super::verdict::{self, Verdict};

/// How much of a webhook's answer is kept for the log.
const BODY_EXCERPT: usize = 2048;
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

    /// Posts `body` as JSON and classifies the answer.
    pub async fn post_json(
        &self,
        url: &WebhookUrl,
        body: &serde_json::Value,
    ) -> Result<Verdict, PostError> {
        let response = self
            .client
            .post(url.expose().clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| describe_error(&e))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| verdict::parse_retry_after(v, SystemTime::now()));
        let location = response.headers().get(reqwest::header::LOCATION).is_some();
        let mut excerpt = read_excerpt(response).await;
        if location && excerpt.is_empty() {
            excerpt.push_str("(redirect)");
        }
        Ok(verdict::classify(status, retry_after, &excerpt))
    }
}

/// Something that takes a channel's rendered payloads: the real [`Target`], or a scripted stand-in in
/// tests that run the worker under paused time.
pub trait Destination: Send + Sync + std::fmt::Display {
    /// Sends one payload and says what came of it.
    fn send<'a>(&'a self, payload: &'a Payload) -> BoxFuture<'a, Result<Verdict, PostError>>;
}

/// Where a channel's payloads go.
#[derive(Clone)]
pub enum Target {
    Webhook { url: WebhookUrl, poster: Poster },
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
            },
            _ => Self::Console,
        }
    }
}

impl Destination for Target {
    fn send<'a>(&'a self, payload: &'a Payload) -> BoxFuture<'a, Result<Verdict, PostError>> {
        Box::pin(async move {
            match (self, payload) {
                (Self::Webhook { url, poster }, Payload::Json(body)) => {
                    poster.post_json(url, body).await
                }
                (Self::Console, Payload::Text(text)) => print_to_console(text),
                (Self::Console, Payload::Json(body)) => print_to_console(&body.to_string()),
                (Self::Webhook { .. }, Payload::Text(_)) => Err(PostError::WrongPayload(
                    "a webhook cannot post a text payload",
                )),
            }
        })
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

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Webhook { url, .. } => url.fmt(f),
            Self::Console => f.write_str("stdout"),
        }
    }
}
