//! What a response's headers tell us: the validators to send next time, when the server wants us
//! back (`Cache-Control: max-age`, `Retry-After`), the charset and the declared body length.
//!
//! Every function here is pure so the header quirks can be tested without a server.

use std::time::{Duration, SystemTime};

use reqwest::header::{
    CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, ETAG, HeaderMap, HeaderName,
    LAST_MODIFIED, LOCATION, RETRY_AFTER,
};

use super::{ServerHints, Validators};
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
pub(super) fn parse_charset(content_type: &str) -> Option<String> {
    content_type
        .split(';')
        .skip(1)
        .filter_map(|parameter| parameter.split_once('='))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("charset"))
        .map(|(_, value)| value.trim().trim_matches('"').trim().to_ascii_lowercase())
        .filter(|charset| !charset.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn max_age_is_found_among_other_directives_and_lines() {
        let max_age = parse_max_age(["public", "no-transform, MAX-AGE=\"600\""].into_iter());
        assert_eq!(max_age, Some(Duration::from_secs(600)));
    }

    #[test]
    fn s_maxage_and_garbage_are_not_max_age() {
        assert_eq!(
            parse_max_age(["s-maxage=60, max-age=abc"].into_iter()),
            None
        );
        assert_eq!(parse_max_age(std::iter::empty()), None);
    }

    #[test]
    fn charset_is_unquoted_and_lower_cased() {
        let charset = parse_charset("application/rss+xml; Charset=\"ISO-8859-1\"");
        assert_eq!(charset.as_deref(), Some("iso-8859-1"));
        assert_eq!(parse_charset("text/xml"), None);
        assert_eq!(parse_charset("text/xml; charset="), None);
    }

    #[test]
    fn headers_give_validators_hints_and_charset() {
        let map = headers(&[
            ("etag", "W/\"v1\""),
            ("last-modified", "Sun, 06 Nov 1994 08:49:37 GMT"),
            ("cache-control", "max-age=300"),
            ("retry-after", "30"),
            ("content-type", "application/atom+xml;charset=utf-8"),
        ]);
        let head = ResponseHeaders::new(&map);
        assert_eq!(head.validators().etag.as_deref(), Some("W/\"v1\""));
        let last_modified = head.validators().last_modified;
        assert_eq!(
            last_modified.as_deref(),
            Some("Sun, 06 Nov 1994 08:49:37 GMT")
        );
        let hints = head.hints(SystemTime::now());
        assert_eq!(hints.max_age, Some(Duration::from_secs(300)));
        assert_eq!(hints.retry_after, Some(Duration::from_secs(30)));
        assert_eq!(head.charset().as_deref(), Some("utf-8"));
    }

    #[test]
    fn content_length_counts_only_for_unencoded_bodies() {
        let plain = headers(&[("content-length", "2048")]);
        assert_eq!(ResponseHeaders::new(&plain).identity_length(), Some(2048));
        let identity = headers(&[("content-length", "10"), ("content-encoding", "identity")]);
        assert_eq!(ResponseHeaders::new(&identity).identity_length(), Some(10));
        let zstd = headers(&[("content-length", "10"), ("content-encoding", "zstd")]);
        assert_eq!(ResponseHeaders::new(&zstd).identity_length(), None);
    }
}
