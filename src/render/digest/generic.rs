//! The generic webhook's digest: one JSON object per part, its `entries` each exactly the object
//! a single post of that entry would send (see [`crate::render::generic`]):
//!
//! ```json
//! {
//!   "digest": { "part": 1, "parts": 2, "total": 57, "entries": 40 },
//!   "entries": [ { "feed": { … }, "entry": { … } }, … ]
//! }
//! ```
//!
//! Entries are grouped by feed as in every digest. A part is at most
//! [`crate::render::generic::MAX_TEMPLATE_BYTES`] (1 MiB) of JSON.

use serde_json::{Value, json};

use super::{DigestLine, DigestPart, Part, split};
use crate::render::card::ChannelCard;
use crate::render::generic::{MAX_TEMPLATE_BYTES, render as entry_object};

/// The bodies of a digest of `lines`, made from `cards`, one per part.
#[must_use]
pub fn render(lines: &[DigestLine], cards: &[ChannelCard<'_>]) -> Vec<Part<Value>> {
    let objects: Vec<Value> = cards.iter().map(entry_object).collect();
    split(
        lines,
        |part: &DigestPart<'_>| {
            let entries: Vec<&Value> = part.lines.iter().map(|l| &objects[l.source]).collect();
            json!({
                "digest": {
                    "part": part.number,
                    "parts": part.parts,
                    "total": part.total,
                    "entries": entries.len(),
                },
                "entries": entries,
            })
        },
        |body| body.to_string().len() <= MAX_TEMPLATE_BYTES,
    )
}
