//! The signature of a hub's content distribution (WebSub §7 and §8): `X-Hub-Signature:
//! METHOD=HEX`, an HMAC of the body keyed with the subscription's `hub.secret`. Checked before
//! anything reads the body; the comparison is the MAC crate's own, in constant time.

use std::fmt::Write;

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};

/// The header a hub signs its pushes in.
pub const HEADER: &str = "x-hub-signature";

/// Why a push's signature does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// No `X-Hub-Signature` header: every subscription of ours has a secret, so every push of
    /// its hub is signed.
    #[error("the push is not signed")]
    Missing,
    /// A method other than sha1, sha256, sha384, sha512, or a value that is not hexadecimal.
    #[error("the push's signature is not in a form WebSub defines")]
    Malformed,
    /// Well formed, and not the HMAC of the body with the subscription's secret.
    #[error("the push's signature does not match")]
    Mismatch,
}

/// Whether `header` (the value of `X-Hub-Signature`, if any) signs `body` with `secret`.
pub fn check(header: Option<&[u8]>, secret: &str, body: &[u8]) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let header = std::str::from_utf8(header).map_err(|_| SignatureError::Malformed)?;
    let (method, hex) = header
        .trim()
        .split_once('=')
        .ok_or(SignatureError::Malformed)?;
    let signature = decode_hex(hex).ok_or(SignatureError::Malformed)?;
    let key = secret.as_bytes();
    let verified = match method.to_ascii_lowercase().as_str() {
        "sha1" => verify::<Hmac<sha1::Sha1>>(key, body, &signature),
        "sha256" => verify::<Hmac<sha2::Sha256>>(key, body, &signature),
        "sha384" => verify::<Hmac<sha2::Sha384>>(key, body, &signature),
        "sha512" => verify::<Hmac<sha2::Sha512>>(key, body, &signature),
        _ => return Err(SignatureError::Malformed),
    };
    if verified {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// The `X-Hub-Signature` value a hub sends for `body` with `secret`, by `method` (for tests and
/// the load harness's hub, which sign as a hub does).
#[must_use]
pub fn sign(method: &str, secret: &str, body: &[u8]) -> Option<String> {
    let key = secret.as_bytes();
    let hex = match method {
        "sha1" => hex_mac::<Hmac<sha1::Sha1>>(key, body),
        "sha256" => hex_mac::<Hmac<sha2::Sha256>>(key, body),
        "sha384" => hex_mac::<Hmac<sha2::Sha384>>(key, body),
        "sha512" => hex_mac::<Hmac<sha2::Sha512>>(key, body),
        _ => return None,
    };
    Some(format!("{method}={hex}"))
}

fn verify<M: Mac + KeyInit>(key: &[u8], body: &[u8], signature: &[u8]) -> bool {
    // HMAC takes a key of any length; `new_from_slice` fails for none.
    let Ok(mut mac) = <M as KeyInit>::new_from_slice(key) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(signature).is_ok()
}

fn hex_mac<M: Mac + KeyInit>(key: &[u8], body: &[u8]) -> String {
    let Ok(mut mac) = <M as KeyInit>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(body);
    let mac = mac.finalize().into_bytes();
    mac.iter().fold(String::new(), |mut hex, byte| {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{byte:02x}");
        hex
    })
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if hex.is_empty() || !hex.len().is_multiple_of(2) {
        return None;
    }
    hex.as_bytes()
        .chunks(2)
        .map(|pair| {
            let pair = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(pair, 16).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests;
