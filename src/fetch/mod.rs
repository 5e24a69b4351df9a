//! Conditional HTTP GET of feeds.
//!
//! One [`Fetcher`] serves every feed. It sends the validators of the previous poll, caps the
//! *decoded* body while streaming, enforces a total deadline, follows at most five redirects, and
//! bounds concurrency globally and per host. Each feed's [`FetchOptions`] add headers and
//! credentials to its requests; feeds whose proxy or TLS settings differ from the default get an
//! HTTP client of their own (`clients`, all built with the fetcher), under the same limits. With `[fetch]
//! block_private_addresses`, the `guard` refuses connections to non-public addresses.

mod client;
mod clients;
mod error;
mod guard;
mod limits;
mod options;
mod redirect;
mod response;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::time::Duration;

pub use crate::config::FetchOptions;
use crate::config::{Feed, FetchSettings};
use clients::Clients;
use guard::AddressGuard;
use limits::Limits;

/// The validators a server gave with the last full response, sent back on the next request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// What one fetch asks for.
#[derive(Debug, Clone)]
pub struct FetchRequest<'a> {
    pub url: &'a url::Url,
    pub validators: &'a Validators,
    /// Deadline from connect to the last byte.
    pub timeout: Duration,
    /// Cap on the decoded body, in bytes.
    pub max_body: u64,
    /// Headers, credentials, proxy and TLS settings (the feed's; `&FetchOptions::default()` for
    /// none).
    pub options: &'a FetchOptions,
}

impl<'a> FetchRequest<'a> {
    /// The request for `feed`, with its deadline, cap and options.
    #[must_use]
    pub fn for_feed(feed: &'a Feed, validators: &'a Validators) -> Self {
        Self {
            url: &feed.url,
            validators,
            timeout: feed.timeout,
            max_body: feed.max_body,
            options: &feed.fetch,
        }
    }
}

/// What the server said about when to come back (`Cache-Control: max-age`, `Retry-After`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ServerHints {
    pub max_age: Option<Duration>,
    pub retry_after: Option<Duration>,
}

/// A successful fetch.
// One outcome exists per fetch and is moved, never stored in bulk: boxing the body would only
// add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum FetchOutcome {
    /// 304: nothing changed since the validators we sent.
    NotModified { hints: ServerHints },
    /// 200 with a body.
    Fetched(FetchedBody),
}

#[derive(Debug, Clone)]
pub struct FetchedBody {
    /// The decoded (decompressed) body, at most `max_body` bytes.
    pub body: Vec<u8>,
    /// The charset named by `Content-Type`, if any.
    pub charset: Option<String>,
    /// The validators to send next time.
    pub validators: Validators,
    /// The URL the body came from after redirects.
    pub final_url: url::Url,
    /// Set when a permanent redirect (301/308) was followed: the operator should update the config.
    pub moved_permanently_to: Option<url::Url>,
    pub hints: ServerHints,
}

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    #[error("connection failed: {0}")]
    Connect(String),
    #[error("TLS error: {0}")]
    Tls(String),
    #[error("too many redirects (more than 5)")]
    TooManyRedirects,
    #[error("HTTP {status}")]
    Status { status: u16, hints: ServerHints },
    #[error("the body is larger than the {limit}-byte cap")]
    TooLarge { limit: u64 },
    /// `[fetch] block_private_addresses` refused the address; the message names host and rule.
    #[error("{0}")]
    Blocked(String),
    #[error("{0}")]
    Other(String),
}

impl FetchError {
    /// Whether the server asked us to wait (429, or 503 with Retry-After) rather than reported a
    /// failure: waiting does not escalate the feed's backoff.
    #[must_use]
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Status {
                status: 429 | 503,
                hints,
            } => hints.retry_after,
            _ => None,
        }
    }
}

/// The HTTP clients for feeds, with their concurrency limits. Create one and share it (behind an
/// `Arc`) between all feeds: it holds the connection pools.
pub struct Fetcher {
    clients: Clients,
    guard: Option<Arc<AddressGuard>>,
    limits: Limits,
}

impl Fetcher {
    /// The fetcher for `feeds`, with every HTTP client they need built now: one shared, and one
    /// for each distinct proxy/TLS setting. A proxy or CA that cannot be used is an error naming
    /// the feeds that use it. Only these feeds (and any with the default settings) can be fetched.
    pub fn new(settings: &FetchSettings, feeds: &[Feed]) -> Result<Self, FetchError> {
        let guard = AddressGuard::from_settings(settings);
        Ok(Self {
            clients: Clients::build(guard.as_ref(), feeds)?,
            guard,
            limits: Limits::new(settings.concurrency, settings.per_host),
        })
    }

    /// Fetches one feed, waiting first for a free slot under the global and per-host limits.
    ///
    /// The wait for a slot is not part of `request.timeout`: the deadline measures the server,
    /// from connect through every redirect to the last byte of the body. The slot is keyed by
    /// the requested URL's host and held until the fetch ends, redirects included.
    pub async fn fetch(&self, request: FetchRequest<'_>) -> Result<FetchOutcome, FetchError> {
        let client = self.clients.get(&request.options.transport)?;
        let _slot = self.limits.acquire(request.url).await;
        let deadline = request.timeout;
        let guard = self.guard.as_deref();
        tokio::time::timeout(deadline, client::fetch(client, guard, &request))
            .await
            .map_err(|_elapsed| FetchError::Timeout(deadline))?
    }
}
