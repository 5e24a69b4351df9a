//! Turning reqwest's errors into [`FetchError`]s an operator can read in one line.
//!
//! reqwest's own messages are `error sending request for url (…)` wrapped around the real cause;
//! the useful part is the innermost error (`Connection refused`, `invalid peer certificate:
//! UnknownIssuer`), so that is what we keep.

use std::error::Error as StdError;
use std::time::Duration;

use super::FetchError;
use super::client::CONNECT_TIMEOUT;

/// Maps a transport error. `timeout` is the fetch's deadline, reported if reqwest timed out.
pub(super) fn from_reqwest(err: &reqwest::Error, timeout: Duration) -> FetchError {
    if let Some(tls) = find_tls_error(err) {
        return FetchError::Tls(tls.to_string());
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

/// The rustls error somewhere in the chain. TLS failures travel inside `io::Error`s (sometimes
/// nested), whose `source()` skips the error they wrap, so each one is opened explicitly.
fn find_tls_error<'e>(err: &'e (dyn StdError + 'static)) -> Option<&'e rustls::Error> {
    let mut current = Some(err);
    while let Some(err) = current {
        if let Some(tls) = err.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        current = match err
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            Some(wrapped) => Some(wrapped as &(dyn StdError + 'static)),
            None => err.source(),
        };
    }
    None
}

/// The message of the innermost error: the cause, without the layers that only say where.
fn root_message(err: &(dyn StdError + 'static)) -> String {
    let mut current = err;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer layer")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn the_innermost_message_is_kept() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused");
        assert_eq!(root_message(&Outer(io)), "Connection refused");
    }

    #[test]
    fn rustls_errors_are_found_inside_io_errors() {
        let tls = rustls::Error::General("bad handshake".into());
        let io = std::io::Error::new(std::io::ErrorKind::InvalidData, tls);
        let io = std::io::Error::other(io);
        let found = find_tls_error(&Outer(io)).map(ToString::to_string);
        assert_eq!(found.as_deref(), Some("unexpected error: bad handshake"));
        let plain = std::io::Error::other("nothing to do with TLS");
        assert!(find_tls_error(&Outer(plain)).is_none());
    }
}
