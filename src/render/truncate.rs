//! Shortening text to a platform's limit without splitting what a reader sees as one character
//! (an emoji with skin tone or ZWJ family members, a letter with combining accents), preferring
//! to cut between words, and saying so with an ellipsis.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;

use super::richtext::{Block, Inline, RichText, Run};

/// Appended to shortened text; counts against the limit.
pub const ELLIPSIS: &str = "…";

/// How a platform counts the length of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Unicode scalar values (Slack's and Mattermost's documented limits).
    Chars,
    /// UTF-8 bytes (payload size budgets).
    Bytes,
    /// UTF-16 code units, JavaScript's `string.length` (Discord's limits).
    Utf16,
}

impl Measure {
    #[must_use]
    pub fn len(self, text: &str) -> usize {
        match self {
            Self::Chars => text.chars().count(),
            Self::Bytes => text.len(),
            Self::Utf16 => text.encode_utf16().count(),
        }
    }
}

/// Shortens `text` to at most `max` units as counted by `measure`, the ellipsis included.
///
/// Text that fits is returned as is; a limit too small for the ellipsis yields an empty string.
/// Where the cut falls is [`cut`]'s choice.
#[must_use]
pub fn truncate(text: &str, max: usize, measure: Measure) -> Cow<'_, str> {
    if measure.len(text) <= max {
        return Cow::Borrowed(text);
    }
    let Some(budget) = max.checked_sub(measure.len(ELLIPSIS)) else {
        return Cow::Owned(String::new());
    };
    let mut out = cut(text, budget, measure).to_owned();
    out.push_str(ELLIPSIS);
    Cow::Owned(out)
}

/// The longest start of `text` within `max` units, ending on a grapheme cluster boundary and
/// without trailing whitespace. When a space lies within the last fifth of that (at most 40 units
/// back), the cut moves there so no word is chopped.
#[must_use]
pub fn cut(text: &str, max: usize, measure: Measure) -> &str {
    let mut used = 0;
    let mut end = 0;
    for (start, grapheme) in text.grapheme_indices(true) {
        let width = measure.len(grapheme);
        if used + width > max {
            break;
        }
        used += width;
        end = start + grapheme.len();
    }
    if end == text.len() {
        return text.trim_end();
    }
    text[..word_boundary(text, end, measure, (max / 5).min(40))].trim_end()
}

/// Moves the cut at byte `end` back to the last whitespace if that loses at most `window` units.
fn word_boundary(text: &str, end: usize, measure: Measure, window: usize) -> usize {
    let next_is_space = text[end..].chars().next().is_some_and(char::is_whitespace);
    if next_is_space {
        return end;
    }
    match text[..end].rfind(char::is_whitespace) {
        Some(space) if measure.len(&text[space..end]) <= window => space,
        _ => end,
    }
}

/// The length of `text` in characters, each block boundary and line break counted as one.
#[must_use]
pub fn rich_len(text: &RichText) -> usize {
    let blocks: usize = text.blocks.iter().map(Block::char_len).sum();
    blocks + text.blocks.len().saturating_sub(1)
}

/// Shortens rich text to at most `max` characters (as [`rich_len`] counts), keeping whole blocks
/// while they fit and cutting the first that does not, so emphasis and links stay well formed.
#[must_use]
pub fn truncate_rich(text: &RichText, max: usize) -> RichText {
    if rich_len(text) <= max {
        return text.clone();
    }
    // Room for the ellipsis and the block boundary before it is kept back from the start.
    let reserve = max.min(2);
    let mut remaining = max - reserve;
    let mut blocks: Vec<Block> = Vec::new();
    for block in &text.blocks {
        let boundary = usize::from(!blocks.is_empty());
        let len = block.char_len() + boundary;
        if len <= remaining {
            remaining -= len;
            blocks.push(block.clone());
            continue;
        }
        let inlines = cut_inlines(
            &block.inlines,
            (remaining + reserve).saturating_sub(boundary),
        );
        if inlines.is_empty() {
            match blocks.last_mut() {
                Some(last) => last.inlines.push(Inline::Text(Run::plain(ELLIPSIS))),
                None if max > 0 => blocks.push(Block::paragraph(ELLIPSIS)),
                None => {}
            }
        } else {
            blocks.push(Block {
                kind: block.kind,
                inlines,
            });
        }
        break;
    }
    RichText { blocks }
}

/// The inlines of one block cut to `max` characters, ending with the ellipsis. Empty when not a
/// single character of text fits beside the ellipsis.
fn cut_inlines(inlines: &[Inline], max: usize) -> Vec<Inline> {
    let mut remaining = max.saturating_sub(1);
    let mut out = Vec::new();
    for inline in inlines {
        let Inline::Text(run) = inline else {
            if remaining == 0 {
                break;
            }
            remaining -= 1;
            out.push(Inline::Break);
            continue;
        };
        let len = run.text.chars().count();
        if len <= remaining {
            remaining -= len;
            out.push(inline.clone());
            continue;
        }
        let kept = cut(&run.text, remaining, Measure::Chars);
        if !kept.is_empty() {
            out.push(Inline::Text(Run {
                text: kept.to_owned(),
                ..run.clone()
            }));
        }
        break;
    }
    while matches!(out.last(), Some(Inline::Break)) {
        out.pop();
    }
    if out.is_empty() {
        return out;
    }
    out.push(Inline::Text(Run::plain(ELLIPSIS)));
    out
}

#[cfg(test)]
mod tests;
