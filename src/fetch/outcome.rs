//! What a fetch brings back: the body, the validators to send next time, and what the server said
//! about when to come back.

use std::time::Duration;

/// The validators a server gave with the last full response, sent back on the next request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
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
    /// The links of the response's `Link` headers (WebSub discovery reads `hub` and `self`).
    pub links: Vec<WebLink>,
}

/// One link of a `Link` header: its target, absolute, and its relation types as written (a
/// space-separated list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebLink {
    pub url: url::Url,
    pub rel: String,
}
