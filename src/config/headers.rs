//! `headers` tables — of a generic channel, sent with every post, or of a feed, sent with every
//! fetch — typically carry a credential (`Authorization = "Bearer ${ARCHIVE_TOKEN}"`). Values are
//! therefore treated like webhook URLs: `${VAR}` is expanded, no message here ever repeats a value,
//! and each is handed out parsed and marked sensitive, so that the HTTP client keeps it out of
//! header compression tables and `Debug` shows none.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use toml::Spanned;

use super::env::expand;
use super::raw::HeadersRaw;
use super::report::{Report, key_path};

/// A header name (lower case) that a table may not set, and why.
pub(super) type Reserved = (&'static str, &'static str);

const CLIENT_WRITES: &str = "the HTTP client writes it itself";

/// Headers the HTTP client writes from the request itself; a second, different copy would corrupt the
/// request or be refused by the server.
const RESERVED: &[Reserved] = &[
    ("content-length", CLIENT_WRITES),
    ("host", CLIENT_WRITES),
    ("transfer-encoding", CLIENT_WRITES),
];

/// The headers of the table at `key`, in the order they are written. Each bad one is reported and
/// left out.
pub(super) fn headers(
    raw: &Spanned<HeadersRaw>,
    key: &str,
    env: &dyn Fn(&str) -> Option<String>,
    report: &mut Report,
) -> HeaderMap {
    headers_except(raw, key, env, &[], report)
}

/// [`headers`], refusing also the names in `reserved`.
pub(super) fn headers_except(
    raw: &Spanned<HeadersRaw>,
    key: &str,
    env: &dyn Fn(&str) -> Option<String>,
    reserved: &[Reserved],
    report: &mut Report,
) -> HeaderMap {
    let mut written: Vec<_> = raw.get_ref().iter().collect();
    written.sort_by_key(|(name, _)| name.span().start);
    let mut headers = HeaderMap::new();
    for (name, value) in written {
        let at = key_path(key, name.get_ref());
        let checked = header_name(name.get_ref(), &headers, reserved).and_then(|parsed| {
            let value = header_value(name.get_ref(), value.get_ref(), env)?;
            Ok((parsed, value))
        });
        match checked {
            Ok((parsed, value)) => {
                headers.insert(parsed, value);
            }
            Err((message, on_name)) => {
                let span = if on_name { name.span() } else { value.span() };
                report.error(span, &at, message);
            }
        }
    }
    headers
}

/// A problem, and whether it lies in the name (else in the value).
type Failure = (String, bool);

fn header_name(name: &str, seen: &HeaderMap, reserved: &[Reserved]) -> Result<HeaderName, Failure> {
    let parsed = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
        let message = format!(
            "{name:?} is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~)"
        );
        (message, true)
    })?;
    let refused = RESERVED.iter().chain(reserved);
    if let Some((_, reason)) = refused.into_iter().find(|(r, _)| *r == parsed.as_str()) {
        let message = format!("header {name} cannot be set: {reason}");
        return Err((message, true));
    }
    if seen.contains_key(&parsed) {
        let message = format!("header {name} is set twice (header names ignore case)");
        return Err((message, true));
    }
    Ok(parsed)
}

fn header_value(
    name: &str,
    value: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<HeaderValue, Failure> {
    let expanded = expand(value, env).map_err(|reason| (reason, false))?;
    let mut value = HeaderValue::from_str(&expanded).map_err(|_| {
        let message = format!(
            "the value of header {name} is not a valid HTTP header value \
             (visible ASCII characters, spaces and tabs only)"
        );
        (message, false)
    })?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests;
