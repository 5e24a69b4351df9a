//! The Markdown subset Teams renders in an Adaptive Card `TextBlock`: `**bold**`, `_italic_`,
//! `- ` and `1. ` lists, `[text](url)` links. Headings, quotes, code and tables are not rendered,
//! so headings become bold, quotes italic and code plain lines. MessageCards read a superset of
//! it, so the same writer serves both.
//! <https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-format>
//!
//! Every character of feed text that Markdown could read as markup is backslash-escaped, so a
//! title like `**Urgent** [login](https://evil.example)` shows as typed instead of formatting.
//! Emphasis follows CommonMark's flanking rules, as [`commonmark`] reads them. Teams separates
//! list items with `\r` in its examples; paragraphs, and lines within them, need a blank line.

use super::{
    Marker, Markup, commonmark, dash_or_number, guard_block_start, starts_entity, write_lines,
};
use crate::render::richtext::{BlockKind, ListMarker, Run, Style};

/// Teams Markdown as a [`Markup`].
pub struct TeamsMd;

impl Markup for TeamsMd {
    const ITEM_BREAK: &'static str = "\r";
    const BLOCK_BREAK: &'static str = "\n\n";
    const QUOTE: &'static str = "";
    const QUOTE_STYLE: Style = Style::ITALIC;
    const BOLD: (&'static str, &'static str) = ("**", "**");
    const ITALIC: (&'static str, &'static str) = ("_", "_");

    /// A list item's lines are joined by a space: a break there would end the item.
    fn line_break(kind: BlockKind) -> &'static str {
        match kind {
            BlockKind::ListItem { .. } => " ",
            _ => "\n\n",
        }
    }

    /// Teams shows one level of nesting; deeper items join the nested level. Indenting by the
    /// content column of the latest top-level item keeps them inside it.
    fn list_prefixes(
        marker: Option<ListMarker>,
        depth: usize,
        columns: &mut Vec<usize>,
    ) -> (String, String) {
        let marker = marker.map(dash_or_number).unwrap_or_default();
        let indent = if depth == 0 {
            *columns = vec![marker.len()];
            0
        } else {
            columns.first().copied().unwrap_or(0)
        };
        (format!("{}{marker}", " ".repeat(indent)), String::new())
    }

    /// No code blocks: the lines are written as a paragraph's.
    fn preformatted(lines: &[Vec<&Run>]) -> String {
        write_lines::<Self>(lines, Style::default()).join("\n\n")
    }

    /// Every character Markdown could read as markup gets a backslash; at a line start also
    /// `#`, `-`, `+`, `=`, `|` and `1.`, which would open a heading, a list or a table.
    fn escape(text: &str, line_start: bool) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        for (i, c) in text.char_indices() {
            let markup = match c {
                '\\' | '*' | '_' | '`' | '[' | ']' | '~' | '<' | '>' => true,
                // `&amp;` in the text would be decoded by the Markdown renderer, not shown.
                '&' => starts_entity(&text[i + 1..]),
                _ => false,
            };
            if markup {
                out.push('\\');
            }
            out.push(c);
        }
        if line_start {
            guard_block_start(out, &['#', '-', '+', '=', '|'])
        } else {
            out
        }
    }

    /// `[label](url)`. Parentheses in the URL are percent-encoded so they cannot end the
    /// destination early; hosts never contain them, so only path and query change, to an
    /// equivalent form.
    fn link(label: &str, url: &str) -> String {
        let destination = url
            .replace('(', "%28")
            .replace(')', "%29")
            .replace(' ', "%20");
        format!("[{label}]({destination})")
    }

    fn opens(marker: Marker, before: char, after: char) -> bool {
        commonmark::opens(marker, before, after)
    }

    fn closes(marker: Marker, before: char, after: char) -> bool {
        commonmark::closes(marker, before, after)
    }
}

#[cfg(test)]
mod tests;
