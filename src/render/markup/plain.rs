//! Plain text: what the console prints and the generic webhook sends as `summary_text`.
//!
//! Paragraphs are separated by a blank line, list items by a newline with `- ` or `1. ` markers,
//! quotes prefixed by `> `. Link targets are not shown: the text reads as the page did.

use super::{Markup, raw_lines};
use crate::render::richtext::{RichText, Run};

/// Writes `text` as plain text, without a trailing newline.
#[must_use]
pub fn to_plain(text: &RichText) -> String {
    Plain::write(text)
}

/// Plain text as a [`Markup`]: no emphasis, no escaping, links shown by their labels.
pub struct Plain;

impl Markup for Plain {
    const BOLD: (&'static str, &'static str) = ("", "");
    const ITALIC: (&'static str, &'static str) = ("", "");
    const LINKS: bool = false;

    /// The lines as the feed wrote them, spaces at their ends dropped.
    fn preformatted(lines: &[Vec<&Run>]) -> String {
        let lines: Vec<String> = raw_lines(lines)
            .iter()
            .map(|line| line.trim_end_matches(' ').to_owned())
            .collect();
        lines.join("\n")
    }

    fn escape(text: &str, _line_start: bool) -> String {
        text.to_owned()
    }

    fn link(label: &str, _url: &str) -> String {
        label.to_owned()
    }
}

#[cfg(test)]
mod tests;
