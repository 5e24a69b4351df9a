//! `headers` of a generic channel: extra HTTP headers sent with every post, typically the credential a
//! receiving service expects (`Authorization = "Bearer ${ARCHIVE_TOKEN}"`). Values are therefore
//! treated like webhook URLs: `${VAR}` is expanded and no message here ever repeats a value.

use reqwest::header::{HeaderName, HeaderValue};
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
) -> Vec<(String, String)> {
    headers_except(raw, key, env, &[], report)
}

/// [`headers`], refusing also the names in `reserved`.
pub(super) fn headers_except(
    raw: &Spanned<HeadersRaw>,
    key: &str,
    env: &dyn Fn(&str) -> Option<String>,
    reserved: &[Reserved],
    report: &mut Report,
) -> Vec<(String, String)> {
    let mut written: Vec<_> = raw.get_ref().iter().collect();
    written.sort_by_key(|(name, _)| name.span().start);
    let mut seen: Vec<HeaderName> = Vec::new();
    let mut headers = Vec::new();
    for (name, value) in written {
        let at = key_path(key, name.get_ref());
        let checked = header_name(name.get_ref(), &seen, reserved).and_then(|parsed| {
            let value = header_value(name.get_ref(), value.get_ref(), env)?;
            Ok((parsed, value))
        });
        match checked {
            Ok((parsed, value)) => {
                seen.push(parsed);
                headers.push((name.get_ref().clone(), value));
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

fn header_name(
    name: &str,
    seen: &[HeaderName],
    reserved: &[Reserved],
) -> Result<HeaderName, Failure> {
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
    if seen.contains(&parsed) {
        let message = format!("header {name} is set twice (header names ignore case)");
        return Err((message, true));
    }
    Ok(parsed)
}

fn header_value(
    name: &str,
    value: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<String, Failure> {
    let expanded = expand(value, env).map_err(|reason| (reason, false))?;
    HeaderValue::from_str(&expanded).map_err(|_| {
        let message = format!(
            "the value of header {name} is not a valid HTTP header value \
             (visible ASCII characters, spaces and tabs only)"
        );
        (message, false)
    })?;
    Ok(expanded)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::raw::ChannelRaw;

    fn env(name: &str) -> Option<String> {
        match name {
            "TOKEN" => Some("s3cret".to_owned()),
            "MULTILINE" => Some("s3cret\nInjected: yes".to_owned()),
            _ => None,
        }
    }

    type Pairs = Vec<(String, String)>;

    /// The headers of `table` (the inside of an inline table) and the report's problems as
    /// `(key, message)`.
    fn read(table: &str) -> (Pairs, Pairs) {
        let text = format!("headers = {{ {table} }}");
        let raw: ChannelRaw = toml::from_str(&text).expect("a headers table");
        let mut report = Report::new(Path::new("f.toml"), &text);
        let raw = raw.headers.expect("headers");
        let found = headers(&raw, "channels.archive.headers", &env, &mut report);
        let problems = report.problems.into_iter().map(|p| (p.key, p.message));
        (found, problems.collect())
    }

    #[test]
    fn headers_keep_file_order_and_expand_variables() {
        let (found, problems) =
            read("X-Source = \"feedhook\", Authorization = \"Bearer ${TOKEN}\", Accept = \"*/*\"");
        assert!(problems.is_empty(), "{problems:?}");
        let expected = [
            ("X-Source", "feedhook"),
            ("Authorization", "Bearer s3cret"),
            ("Accept", "*/*"),
        ];
        let expected: Vec<_> = expected
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn an_unset_variable_is_named_under_the_header_key() {
        let (found, problems) = read("Authorization = \"Bearer ${ARCHIVE_TOKEN}\"");
        assert!(found.is_empty());
        assert_eq!(
            problems,
            [(
                "channels.archive.headers.Authorization".to_owned(),
                "environment variable ARCHIVE_TOKEN is not set".to_owned()
            )]
        );
    }

    #[test]
    fn reserved_invalid_and_repeated_names_are_refused() {
        let (found, problems) = read(
            "Host = \"a\", \"Content-Length\" = \"1\", transfer-encoding = \"chunked\", \
             \"X Bad\" = \"1\", X-Tag = \"1\", x-tag = \"2\"",
        );
        assert_eq!(found, [("X-Tag".to_owned(), "1".to_owned())]);
        let messages: Vec<_> = problems.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(messages.len(), 5, "{messages:?}");
        for name in ["Host", "Content-Length", "transfer-encoding"] {
            let refused = format!("header {name} cannot be set");
            assert!(messages.iter().any(|m| m.starts_with(&refused)), "{name}");
        }
        assert!(
            messages
                .iter()
                .any(|m| m.contains("\"X Bad\" is not a valid HTTP header name"))
        );
        assert!(messages.contains(&"header x-tag is set twice (header names ignore case)"));
        assert_eq!(problems[3].0, "channels.archive.headers.\"X Bad\"");
    }

    #[test]
    fn a_bad_value_is_refused_without_repeating_it() {
        let (found, problems) = read("Authorization = \"${MULTILINE}\", X-Key = \"s3cret\\u0007\"");
        assert!(found.is_empty());
        assert_eq!(problems.len(), 2, "{problems:?}");
        for (_, message) in &problems {
            assert!(
                message.contains("not a valid HTTP header value"),
                "{message}"
            );
            assert!(!message.contains("s3cret"), "{message}");
        }
    }
}
