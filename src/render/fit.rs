//! Limits that platforms count on the written text, escapes and markup included: the longest
//! start of a summary whose rendering still fits.

use crate::render::richtext::RichText;
use crate::render::truncate::{rich_len, truncate_rich};

/// The longest start of `text` (as [`truncate_rich`] cuts it, ellipsis included) for which
/// `fits` holds, found by binary search; `None` when not even an empty text fits. Assumes that
/// a shorter start never renders longer, which holds for every writer here.
#[must_use]
pub fn longest_fitting(text: &RichText, fits: impl Fn(&RichText) -> bool) -> Option<RichText> {
    if fits(text) {
        return Some(text.clone());
    }
    let empty = RichText::default();
    if !fits(&empty) {
        return None;
    }
    // Invariant: `fitting` characters fit (as `best`), `too_many` do not.
    let (mut fitting, mut too_many) = (0, rich_len(text));
    let mut best = empty;
    while fitting + 1 < too_many {
        let middle = fitting + (too_many - fitting) / 2;
        let candidate = truncate_rich(text, middle);
        if fits(&candidate) {
            fitting = middle;
            best = candidate;
        } else {
            too_many = middle;
        }
    }
    Some(best)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::html::to_rich_text;
    use crate::render::markup::plain::to_plain;

    #[test]
    fn the_longest_start_within_the_budget_is_kept() {
        let text = to_rich_text(&"<p>word word word word</p>".repeat(20), None);
        let fitted = longest_fitting(&text, |t| to_plain(t).chars().count() <= 100)
            .expect("an empty text fits");
        let written = to_plain(&fitted);
        assert!(written.chars().count() <= 100, "{written}");
        assert!(written.chars().count() > 90, "{written}");
        assert!(written.ends_with('…'));
    }

    #[test]
    fn text_that_fits_is_kept_whole_and_an_impossible_budget_is_none() {
        let text = to_rich_text("<p>short</p>", None);
        assert_eq!(longest_fitting(&text, |_| true), Some(text.clone()));
        assert_eq!(longest_fitting(&text, |_| false), None);
    }
}
