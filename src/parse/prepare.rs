//! The input feed-rs gets: UTF-8 text, repaired where publishers commonly go wrong.

use super::{decode, json, repair};

/// A feed body ready for feed-rs.
pub(super) struct Prepared {
    pub(super) text: String,
    /// How many entries the document holds, as far as it could be read.
    pub(super) entries: usize,
}

/// Decodes `body` (see [`decode`]) and repairs it as XML (see [`repair`]) or JSON Feed (see
/// [`json`]). feed-rs tells the two apart by whichever of `<` and `{` comes first; so do we.
pub(super) fn prepare(body: &[u8], charset: Option<&str>) -> Prepared {
    let text = decode::to_utf8(body, charset);
    match text.find(['<', '{']).map(|at| text.as_bytes()[at]) {
        Some(b'{') => match json::normalise(&text) {
            Some((text, entries)) => Prepared { text, entries },
            None => Prepared { text, entries: 0 },
        },
        Some(_) => {
            let repaired = repair::repair(&text);
            Prepared {
                text: repaired.text,
                entries: repaired.entries,
            }
        }
        None => Prepared { text, entries: 0 },
    }
}

#[cfg(test)]
mod tests;
