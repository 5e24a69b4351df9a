//! Fitting a card into a platform's byte budget: the summary gives way first, then the image, then
//! most of the title; the link never does.

use serde_json::Value;

use super::richtext::RichText;
use super::truncate::{rich_len, truncate_rich};

/// A card being fitted: it can be rendered with any summary, and can shed its image and title.
pub trait Shrinkable {
    /// The whole payload with this summary.
    fn payload(&self, summary: &RichText) -> Value;
    /// Drops the image; false when there was none.
    fn drop_image(&mut self) -> bool;
    /// Cuts the title to a short prefix.
    fn shorten_title(&mut self);
}

/// The payload with as much of `summary` as keeps it under `max_bytes` of compact JSON. If the card
/// does not fit even without a summary (a link of many kilobytes), the image and then most of the
/// title go; a card still too big is returned as is and the platform's rejection is logged by the
/// delivery.
pub fn fit(mut parts: impl Shrinkable, summary: &RichText, max_bytes: usize) -> Value {
    let fits = |value: &Value| value.to_string().len() < max_bytes;
    let whole = parts.payload(summary);
    if fits(&whole) {
        return whole;
    }
    let mut bare = parts.payload(&RichText::default());
    if !fits(&bare) && parts.drop_image() {
        bare = parts.payload(&RichText::default());
    }
    if !fits(&bare) {
        parts.shorten_title();
        return parts.payload(&RichText::default());
    }
    // Invariant: `fitting` characters of summary fit, `too_many` do not.
    let (mut fitting, mut too_many) = (0, rich_len(summary));
    let mut best = bare;
    while fitting + 1 < too_many {
        let middle = fitting + (too_many - fitting) / 2;
        let candidate = parts.payload(&truncate_rich(summary, middle));
        if fits(&candidate) {
            fitting = middle;
            best = candidate;
        } else {
            too_many = middle;
        }
    }
    best
}
