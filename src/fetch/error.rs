//! Turning reqwest's errors into [`FetchError`]s an operator can read in one line.
//!
//! reqwest's own messages are `error sending request for url (…)` wrapped around the real cause;
//! the useful part is the innermost error (`Connection refused`, `invalid peer certificate:
//! UnknownIssuer`), so that is what we keep.

use std::error::Error as StdError;
use std::time::Duration;

use super::FetchError;
use super::client::CONNECT_TIMEOUT;
use super::guard::Blocked;

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

/// The error of type `E` somewhere in the chain. TLS failures travel inside `io::Error`s
/// (sometimes nested), whose `source()` skips the error they wrap, so each one is opened
/// explicitly.
fn find_in_chain<'e, E: StdError + 'static>(err: &'e (dyn StdError + 'static)) -> Option<&'e E> {
    let mut current = Some(err);
    while let Some(err) = current {
        if let Some(found) = err.downcast_ref::<E>() {
            return Some(found);
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
pub(super) fn root_message(err: &(dyn StdError + 'static)) -> String {
    let mut current = err;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}

#[cfg(test)]
mod tests;
