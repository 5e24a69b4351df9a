//! Secrets of the configuration: webhook and proxy URLs (the path, query or user part of most of
//! them is the credential), passwords and tokens, and the files that may hold them. None of them
//! can be logged whole by accident: `Debug` and `Display` show only what is safe. Feed URLs are
//! shown by [`shown_url`], which leaves their login and query values out.

use std::borrow::Cow;
use std::fmt;
use std::fmt::Write;
use std::path::Path;

/// A URL whose secret is in its path, query or user part: a webhook, or a proxy with a password.
/// `Debug` and `Display` show only the scheme, the host and a redacted path;
/// [`SecretUrl::expose`] gives the real URL to the one place that needs it: the HTTP request, or
/// the client that logs in to the proxy.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SecretUrl(url::Url);

impl SecretUrl {
    #[must_use]
    pub fn new(url: url::Url) -> Self {
        Self(url)
    }

    /// The whole URL, secret included.
    #[must_use]
    pub fn expose(&self) -> &url::Url {
        &self.0
    }

    /// `https://host.example/…` — what logs, errors and `status` show.
    #[must_use]
    pub fn redacted(&self) -> String {
        let url = &self.0;
        let host = url.host_str().unwrap_or("");
        match url.port() {
            Some(port) => format!("{}://{host}:{port}/…", url.scheme()),
            None => format!("{}://{host}/…", url.scheme()),
        }
    }
}

impl fmt::Debug for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretUrl({})", self.redacted())
    }
}

impl fmt::Display for SecretUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// A password or token. Shown as `…`; [`Secret::expose`] gives it to the request that sends it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    #[must_use]
    pub fn new(value: String) -> Self {
        Self(value)
    }

    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// `https://host:8443/path?key=…&other=…` — a feed URL as logs, errors, `status`, `preview` and
/// cards show it: scheme, host, port and path, without the user and password, every query value
/// masked, the fragment left out. A URL with none of those is shown exactly as written.
#[must_use]
pub fn shown_url(url: &url::Url) -> String {
    let mut shown = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default());
    if let Some(port) = url.port() {
        // Writing to a String cannot fail.
        let _ = write!(shown, ":{port}");
    }
    shown.push_str(url.path());
    if let Some(query) = url.query() {
        let masked: Vec<Cow<'_, str>> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, value)) if !value.is_empty() => Cow::Owned(format!("{key}=…")),
                Some(_) => Cow::Borrowed(pair),
                None if pair.is_empty() => Cow::Borrowed(""),
                None => Cow::Borrowed("…"),
            })
            .collect();
        shown.push('?');
        shown.push_str(&masked.join("&"));
    }
    shown
}

/// A feed's identity (its `name`, else its URL, as the state keys it) as it is shown: a URL is
/// shown by [`shown_url`], a name as it is.
#[must_use]
pub fn shown_feed_name(name: &str) -> Cow<'_, str> {
    let is_url = ["http://", "https://"].iter().any(|scheme| {
        name.get(..scheme.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
    });
    match url::Url::parse(name) {
        Ok(url) if is_url => match shown_url(&url) {
            shown if shown == name => Cow::Borrowed(name),
            shown => Cow::Owned(shown),
        },
        _ => Cow::Borrowed(name),
    }
}

/// Reads the `what` (a password, a webhook URL…) that the file at `path` holds, as `trim` leaves
/// it; an empty file is refused. No message repeats what the file holds.
pub(super) fn read_secret(
    path: &Path,
    what: &str,
    trim: fn(&str) -> &str,
) -> Result<String, String> {
    let shown = path.display();
    let text =
        std::fs::read_to_string(path).map_err(|error| format!("cannot read {shown}: {error}"))?;
    let secret = trim(&text);
    if secret.is_empty() {
        return Err(format!("{shown} is empty; it should hold the {what}"));
    }
    Ok(secret.to_owned())
}

/// A file's final line break, which an editor adds, is not part of the secret it holds.
pub(super) fn without_final_line_break(text: &str) -> &str {
    text.trim_end_matches(['\n', '\r'])
}

#[cfg(test)]
mod tests;
