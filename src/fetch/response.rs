//! What a response's headers tell us: the validators to send next time, when the server wants us
//! back (`Cache-Control: max-age`, `Retry-After`), the charset and the declared body length.
//!
//! Every function here is pure so the header quirks can be tested without a server.

use std::time::{Duration, SystemTime};

use reqwest::header::{
    CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, ETAG, HeaderMap, HeaderName,
    LAST_MODIFIED, LINK, LOCATION, RETRY_AFTER,
};

use super::outcome::{ServerHints, Validators, WebLink};
use crate::retry_after;

/// The headers of one response, read the way a feed poller needs them.
pub(super) struct ResponseHeaders<'a>(&'a HeaderMap);

impl<'a> ResponseHeaders<'a> {
    pub(super) fn new(headers: &'a HeaderMap) -> Self {
        Self(headers)
    }

    /// `ETag` and `Last-Modified`, kept verbatim: servers compare them byte for byte.
    pub(super) fn validators(&self) -> Validators {
        Validators {
            etag: self.text(&ETAG).map(str::to_owned),
            last_modified: self.text(&LAST_MODIFIED).map(str::to_owned),
        }
    }

    /// `now` anchors a `Retry-After` given as an HTTP date.
    pub(super) fn hints(&self, now: SystemTime) -> ServerHints {
        let cache_control = self.0.get_all(CACHE_CONTROL).iter();
        ServerHints {
            max_age: parse_max_age(cache_control.filter_map(|value| value.to_str().ok())),
            retry_after: self
                .text(&RETRY_AFTER)
                .and_then(|value| retry_after::parse(value, now)),
        }
    }

    pub(super) fn charset(&self) -> Option<String> {
        self.text(&CONTENT_TYPE).and_then(parse_charset)
    }

    /// The `Link` header's links (RFC 8288) that name a relation, resolved against `base`.
    pub(super) fn links(&self, base: &url::Url) -> Vec<WebLink> {
        let values = self.0.get_all(LINK).iter();
        values
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| parse_links(value, base))
            .collect()
    }

    pub(super) fn location(&self) -> Option<&'a str> {
        self.text(&LOCATION)
    }

    /// `Content-Length` when it measures the decoded body. The HTTP client strips both headers from
    /// a response it decompresses, so a remaining `Content-Encoding` means a length of encoded
    /// bytes that says nothing about the decoded size.
    pub(super) fn identity_length(&self) -> Option<u64> {
        let encoded = self
            .text(&CONTENT_ENCODING)
            .is_some_and(|coding| !coding.eq_ignore_ascii_case("identity"));
        if encoded {
            return None;
        }
        self.text(&CONTENT_LENGTH)?.parse().ok()
    }

    fn text(&self, name: &HeaderName) -> Option<&'a str> {
        let value = self.0.get(name)?.to_str().ok()?.trim();
        (!value.is_empty()).then_some(value)
    }
}

/// The `max-age` directive of `Cache-Control` (all header lines together), in seconds.
pub(super) fn parse_max_age<'v>(values: impl Iterator<Item = &'v str>) -> Option<Duration> {
    values
        .flat_map(|value| value.split(','))
        .filter_map(|directive| directive.split_once('='))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("max-age"))
        .and_then(|(_, seconds)| seconds.trim().trim_matches('"').parse().ok())
        .map(Duration::from_secs)
}

/// The `charset` parameter of a `Content-Type`, lower-cased (labels are case-insensitive).
#[must_use]
pub fn parse_charset(content_type: &str) -> Option<String> {
    content_type
        .split(';')
        .skip(1)
        .filter_map(|parameter| parameter.split_once('='))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("charset"))
        .map(|(_, value)| value.trim().trim_matches('"').trim().to_ascii_lowercase())
        .filter(|charset| !charset.is_empty())
}

/// The links of one `Link` header value: `<url>; rel="a b", <url>; rel=c`. A URL may hold
/// commas, so each link starts at its `<`; a link without `rel` or with a URL that does not
/// resolve is left out.
pub(super) fn parse_links(value: &str, base: &url::Url) -> Vec<WebLink> {
    let mut links = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>').map(|at| open + at) else {
            break;
        };
        let target = &rest[open + 1..close];
        let params_end = rest[close..].find('<').map_or(rest.len(), |at| close + at);
        let rel = rest[close + 1..params_end]
            .split(';')
            .filter_map(|param| param.split_once('='))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("rel"))
            .map(|(_, rel)| rel.trim().trim_end_matches(',').trim().trim_matches('"'));
        if let (Some(rel), Ok(url)) = (rel, base.join(target.trim())) {
            links.push(WebLink {
                url,
                rel: rel.to_owned(),
            });
        }
        rest = &rest[params_end..];
    }
    links
}

#[cfg(test)]
mod tests;
