//! Secrets of the configuration: webhook and proxy URLs (the path, query or user part of most of
//! them is the credential), passwords and tokens, and the files that may hold them. None of them
//! can be logged whole by accident: `Debug` and `Display` show only what is safe.

use std::fmt;
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
