//! The input feed-rs gets: UTF-8 text, repaired where publishers commonly go wrong.

use super::{decode, json, repair};

/// Decodes `body` (see [`decode`]) and repairs it as XML (see [`repair`]) or JSON Feed (see
/// [`json`]). feed-rs tells the two apart by whichever of `<` and `{` comes first; so do we.
pub(super) fn prepare(body: &[u8], charset: Option<&str>) -> String {
    let text = decode::to_utf8(body, charset);
    match text.find(['<', '{']).map(|at| text.as_bytes()[at]) {
        Some(b'{') => json::normalise(&text).unwrap_or(text),
        Some(_) => repair::repair(&text),
        None => text,
    }
}

#[cfg(test)]
mod tests;
