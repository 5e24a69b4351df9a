//! The HTTP exchange of one fetch: the conditional request, the redirect chain, and the reading of
//! the final response into a [`FetchOutcome`]. The deadline and the concurrency slot are the
//! caller's ([`super::Fetcher::fetch`]).

use std::time::{Duration, SystemTime};

use futures_util::StreamExt;
use reqwest::header::{ACCEPT, IF_MODIFIED_SINCE, IF_NONE_MATCH};
use reqwest::{Client, Response, StatusCode};

use super::error::{self, FetchError};
use super::guard::AddressGuard;
use super::options;
use super::outcome::{FetchOutcome, FetchedBody, Validators};
use super::redirect::{Redirects, check_scheme, is_redirect};
use super::response::ResponseHeaders;
use crate::config::{Feed, FetchOptions, shown_url};

/// What one fetch asks for. `Debug` shows the URL as [`shown_url`] does.
#[derive(Clone)]
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

impl std::fmt::Debug for FetchRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FetchRequest")
            .field("url", &shown_url(self.url))
            .field("validators", self.validators)
            .field("timeout", &self.timeout)
            .field("max_body", &self.max_body)
            .field("options", self.options)
            .finish()
    }
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

/// Feed types first; generic XML/JSON next because many servers label feeds that way; anything
/// else last so that a server with odd labels still answers rather than sending 406.
const ACCEPT_FEEDS: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
    application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, \
    */*;q=0.5";

/// Requests `request.url`, follows redirects and reads the final response. With a `guard`, every
/// hop to a literal address is checked before it is requested (names are checked as resolved).
pub(super) async fn fetch(
    client: &Client,
    guard: Option<&AddressGuard>,
    request: &FetchRequest<'_>,
) -> Result<FetchOutcome, FetchError> {
    check_scheme(request.url)?;
    let mut redirects = Redirects::new(request.url);
    loop {
        if let Some(guard) = guard {
            guard
                .check_url(redirects.current())
                .map_err(|blocked| FetchError::Blocked(blocked.0))?;
        }
        let response = send(client, &redirects, request).await?;
        let status = response.status();
        if is_redirect(status)
            && let Some(location) = ResponseHeaders::new(response.headers()).location()
        {
            redirects.follow(status, location)?;
            continue;
        }
        return read_final(response, request, &redirects).await;
    }
}

/// One GET, conditional on the validators of the last poll. They are sent on every hop: they
/// belong to the resource, which the redirect target serves. The feed's own headers and
/// credentials are not: see [`options::apply`].
async fn send(
    client: &Client,
    redirects: &Redirects,
    request: &FetchRequest<'_>,
) -> Result<Response, FetchError> {
    let builder = client
        .get(redirects.current().clone())
        .header(ACCEPT, ACCEPT_FEEDS);
    let mut builder = options::apply(builder, request.options, request.url, redirects.current());
    if let Some(etag) = &request.validators.etag {
        builder = builder.header(IF_NONE_MATCH, etag);
    }
    if let Some(last_modified) = &request.validators.last_modified {
        builder = builder.header(IF_MODIFIED_SINCE, last_modified);
    }
    builder
        .send()
        .await
        .map_err(|err| error::from_reqwest(&err, request.timeout))
}

async fn read_final(
    response: Response,
    request: &FetchRequest<'_>,
    redirects: &Redirects,
) -> Result<FetchOutcome, FetchError> {
    let head = ResponseHeaders::new(response.headers());
    let hints = head.hints(SystemTime::now());
    let status = response.status();
    if status == StatusCode::NOT_MODIFIED {
        return Ok(FetchOutcome::NotModified { hints });
    }
    if !status.is_success() {
        let status = status.as_u16();
        return Err(FetchError::Status { status, hints });
    }
    // Refuse before reading a byte when the server already says the body is too big.
    if head
        .identity_length()
        .is_some_and(|length| length > request.max_body)
    {
        return Err(FetchError::TooLarge {
            limit: request.max_body,
        });
    }
    let validators = head.validators();
    let charset = head.charset();
    let links = head.links(redirects.current());
    let body = read_capped(response, request).await?;
    Ok(FetchOutcome::Fetched(FetchedBody {
        body,
        charset,
        validators,
        final_url: redirects.current().clone(),
        moved_permanently_to: redirects.moved_permanently_to(),
        hints,
        links,
    }))
}

/// Reads the decoded body chunk by chunk and stops as soon as it passes the cap, so a gzip bomb
/// or a huge feed costs at most `max_body` bytes of memory (plus one chunk).
async fn read_capped(
    response: Response,
    request: &FetchRequest<'_>,
) -> Result<Vec<u8>, FetchError> {
    let limit = request.max_body;
    // Sized once when the server says how long the body is: grown by doubling, a 2 MB body
    // would hold up to 4 MB while it waits to be parsed.
    let declared = ResponseHeaders::new(response.headers()).identity_length();
    let mut body = Vec::with_capacity(declared.map_or(0, |length| length.min(limit)) as usize);
    let mut chunks = response.bytes_stream();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|err| error::from_reqwest(&err, request.timeout))?;
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(FetchError::TooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
