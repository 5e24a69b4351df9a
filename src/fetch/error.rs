//! Turning reqwest's errors into [`FetchError`]s an operator can read in one line.
//!
//! reqwest's own messages are `error sending request for url (…)` wrapped around the real cause;
//! the useful part is the innermost error (`Connection refused`, `invalid peer certificate:
//! UnknownIssuer`), so that is what we keep.

use std::time::Duration;

use super::cause::{find_in_chain, root_message};
use super::clients::CONNECT_TIMEOUT;
use super::guard::Blocked;
use super::outcome::ServerHints;
use crate::config::Redactor;

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

    /// The error with the secrets `redactor` knows masked in its message: servers write them back
    /// (a redirect to an invalid URL that carries the token), and so may reqwest's causes.
    #[must_use]
    pub(super) fn redacted(self, redactor: &Redactor) -> Self {
        let clean = |message: String| match redactor.redact(&message) {
            std::borrow::Cow::Borrowed(_) => message,
            std::borrow::Cow::Owned(redacted) => redacted,
        };
        match self {
            Self::Connect(message) => Self::Connect(clean(message)),
            Self::Tls(message) => Self::Tls(clean(message)),
            Self::Blocked(message) => Self::Blocked(clean(message)),
            Self::Other(message) => Self::Other(clean(message)),
            other @ (Self::Timeout(_)
            | Self::TooManyRedirects
            | Self::Status { .. }
            | Self::TooLarge { .. }) => other,
        }
    }
}

/// Certificate failures fail closed; the message says how the operator can trust the server.
const UNTRUSTED: &str = "if the server uses a private CA, give it to this feed with ca_file; \
                         tls_insecure = true skips the check altogether (not recommended)";
/// A certificate that is expired or for another name is wrong whoever signed it.
const WRONG: &str = "the server's certificate itself is wrong, so ca_file cannot help; \
                     tls_insecure = true skips the check altogether (not recommended)";

/// Maps a transport error. `timeout` is the fetch's deadline, reported if reqwest timed out.
pub(super) fn from_reqwest(err: &reqwest::Error, timeout: Duration) -> FetchError {
    if let Some(tls) = find_in_chain::<rustls::Error>(err) {
        return FetchError::Tls(tls_message(tls));
    }
    if let Some(blocked) = find_in_chain::<Blocked>(err) {
        return FetchError::Blocked(blocked.0.clone());
    }
    if err.is_connect() {
        if err.is_timeout() {
            return FetchError::Connect(format!("no connection within {CONNECT_TIMEOUT:?}"));
        }
        return FetchError::Connect(root_message(err));
    }
    if err.is_timeout() {
        return FetchError::Timeout(timeout);
    }
    if err.is_decode() {
        return FetchError::Other(format!("cannot decode the body: {}", root_message(err)));
    }
    if err.is_body() {
        return FetchError::Other(format!("reading the body failed: {}", root_message(err)));
    }
    FetchError::Other(format!("request failed: {}", root_message(err)))
}

fn tls_message(err: &rustls::Error) -> String {
    use rustls::CertificateError as Cert;
    match err {
        rustls::Error::InvalidCertificate(
            Cert::Expired
            | Cert::ExpiredContext { .. }
            | Cert::NotValidYet
            | Cert::NotValidYetContext { .. }
            | Cert::NotValidForName
            | Cert::NotValidForNameContext { .. },
        ) => format!("{err}; {WRONG}"),
        rustls::Error::InvalidCertificate(_) => format!("{err}; {UNTRUSTED}"),
        _ => err.to_string(),
    }
}

#[cfg(test)]
mod tests;
