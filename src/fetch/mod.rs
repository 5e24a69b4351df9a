//! Conditional HTTP GET of feeds.
//!
//! One [`Fetcher`] serves every feed. It sends the validators of the previous poll, caps the
//! *decoded* body while streaming, enforces a total deadline, follows at most five redirects, and
//! bounds concurrency globally and per host.
//!
//! - `clients`: the HTTP clients, all built with the fetcher: one shared, one for each distinct
//!   proxy/TLS setting of the feeds.
//! - `exchange`: one fetch — the conditional request with the feed's `options` (headers,
//!   credentials), the `redirect` chain, the `response` headers read into the `outcome`
//!   (validators, hints, body).
//! - `limits`: concurrency, global and per host; `guard`: with `[fetch]
//!   block_private_addresses`, refuses connections to non-public addresses.
//! - `hub`: the form POSTs of WebSub subscription requests, guarded and limited like fetches.
//! - `error` (with `cause`): reqwest's errors as [`FetchError`]s an operator can read, with the
//!   configured secrets masked: a server may quote them (a `Location` holding the token).

mod cause;
mod clients;
mod error;
mod exchange;
mod guard;
mod hub;
mod limits;
mod options;
mod outcome;
mod redirect;
mod response;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;

use std::sync::Arc;

pub use crate::config::FetchOptions;
use crate::config::{Feed, FetchSettings, Redactor};
pub(crate) use cause::find_in_chain;
use clients::Clients;
pub use error::FetchError;
pub use exchange::FetchRequest;
use guard::AddressGuard;
pub use hub::HubAnswer;
use limits::Limits;
pub use outcome::{FetchOutcome, FetchedBody, ServerHints, Validators, WebLink};
pub use response::parse_charset;

/// A fetcher serves the feeds it was built for: the daemon builds one from each configuration.
const NO_CLIENT: &str = "no HTTP client was built for this feed's proxy and TLS settings \
                         (the fetcher was built for another configuration)";

/// The HTTP clients for feeds, with their concurrency limits. Create one and share it (behind an
/// `Arc`) between all feeds: it holds the connection pools.
pub struct Fetcher {
    clients: Clients,
    guard: Option<Arc<AddressGuard>>,
    limits: Limits,
    redactor: Arc<Redactor>,
}

impl Fetcher {
    /// The fetcher for `feeds`, with every HTTP client they need built now: one shared, and one
    /// for each distinct proxy/TLS setting. A proxy or CA that cannot be used is an error naming
    /// the feeds that use it. Only these feeds (and any with the default settings) can be fetched.
    /// Every error's message is masked by `redactor` (the config's).
    pub fn new(
        settings: &FetchSettings,
        feeds: &[Feed],
        redactor: &Arc<Redactor>,
    ) -> Result<Self, FetchError> {
        let guard = AddressGuard::from_settings(settings);
        Ok(Self {
            clients: Clients::build(guard.as_ref(), feeds).map_err(FetchError::Other)?,
            guard,
            limits: Limits::new(settings.concurrency, settings.per_host),
            redactor: Arc::clone(redactor),
        })
    }

    /// What masks the configured secrets in this fetcher's errors, for the text that comes with a
    /// fetched body (a parse error) to be masked alike.
    #[must_use]
    pub fn redactor(&self) -> &Arc<Redactor> {
        &self.redactor
    }

    /// Fetches one feed, waiting first for a free slot under the global and per-host limits.
    ///
    /// The wait for a slot is not part of `request.timeout`: the deadline measures the server,
    /// from connect through every redirect to the last byte of the body. The slot is keyed by
    /// the requested URL's host and held until the fetch ends, redirects included.
    pub async fn fetch(&self, request: FetchRequest<'_>) -> Result<FetchOutcome, FetchError> {
        self.fetch_held(request)
            .await
            .map(|(outcome, _slot)| outcome)
    }

    /// As [`Self::fetch`], and hands back the slot the fetch took. A poll keeps it until it has
    /// parsed and recorded the body it fetched: bodies and documents then wait in memory no more
    /// than `concurrency` at a time, where a burst of polls (the first round) once queued hundreds.
    pub async fn fetch_held(
        &self,
        request: FetchRequest<'_>,
    ) -> Result<(FetchOutcome, FetchSlot), FetchError> {
        let client = self
            .clients
            .get(&request.options.transport)
            .ok_or_else(|| FetchError::Other(NO_CLIENT.to_owned()))?;
        let slot = self.limits.acquire(request.url).await;
        let deadline = request.timeout;
        let guard = self.guard.as_deref();
        let outcome = tokio::time::timeout(deadline, exchange::fetch(client, guard, &request))
            .await
            .map_err(|_elapsed| FetchError::Timeout(deadline))?
            .map_err(|error| error.redacted(&self.redactor))?;
        Ok((outcome, FetchSlot(slot)))
    }
}

/// A fetch's place under the global and per-host limits, given up when dropped.
pub struct FetchSlot(#[expect(dead_code, reason = "held for its drop")] limits::Slot);
