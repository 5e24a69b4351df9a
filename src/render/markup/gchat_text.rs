//! Google Chat's two text formats.
//!
//! - A card's `textParagraph` reads a small HTML subset: `<b>`, `<i>`, `<u>`, `<s>`,
//!   `<font color>`, `<a href>` and `<br>`. Every `<`, `>` and `&` of feed text is escaped, and
//!   the only tags written are the ones made here from the rich-text model ([`GchatHtml`]).
//!   <https://developers.google.com/workspace/chat/format-messages>
//! - A message's `text` reads Chat's own syntax: `*bold*`, `<url|label>` links and
//!   `<users/all>` mentions. It has no escape character, so [`neutralise_message_text`] turns
//!   each `<` that could open markup into a look-alike that cannot.
//!
//! Headings become bold and quotes italic; list items are lines with a `•` or number marker,
//! nested ones indented with no-break spaces, which HTML does not collapse.

use super::{Markup, write_line};
use crate::render::richtext::{BlockKind, ListMarker, Run, Style};

/// Indentation per nesting level and under a list marker: four no-break spaces.
const INDENT: &str = "\u{a0}\u{a0}\u{a0}\u{a0}";
/// What a `<` that could open Chat markup in a message's `text` is shown as.
const ANGLE_LOOKALIKE: char = '‹';

/// The HTML subset of a card's `textParagraph`, as a [`Markup`].
pub struct GchatHtml;

impl Markup for GchatHtml {
    const ITEM_BREAK: &'static str = "<br>";
    const BLOCK_BREAK: &'static str = "<br><br>";
    const QUOTE: &'static str = "";
    const QUOTE_STYLE: Style = Style::ITALIC;
    const BOLD: (&'static str, &'static str) = ("<b>", "</b>");
    const ITALIC: (&'static str, &'static str) = ("<i>", "</i>");
    const SPANS_RUNS: bool = false;
    const MAX_LIST_DEPTH: usize = 3;

    fn line_break(_kind: BlockKind) -> &'static str {
        "<br>"
    }

    /// List items are lines with a `•` or number marker; nested ones, and the lines after an
    /// item's first, are indented with no-break spaces, which HTML does not collapse.
    fn list_prefixes(
        marker: Option<ListMarker>,
        depth: usize,
        _columns: &mut Vec<usize>,
    ) -> (String, String) {
        let indent = INDENT.repeat(depth.min(Self::MAX_LIST_DEPTH));
        let marker = match marker {
            Some(ListMarker::Bullet) => "• ".to_owned(),
            Some(ListMarker::Number(n)) => format!("{n}. "),
            None => String::new(),
        };
        (format!("{indent}{marker}"), format!("{indent}{INDENT}"))
    }

    /// Lines, their indentation kept as no-break spaces (HTML collapses spaces) and their
    /// trailing spaces as they are.
    fn preformatted(lines: &[Vec<&Run>]) -> String {
        let lines: Vec<String> = lines
            .iter()
            .map(|runs| {
                let (runs, trailing) = indented(runs);
                let runs: Vec<&Run> = runs.iter().collect();
                let line = write_line::<Self>(&runs, Style::default());
                if line.is_empty() {
                    return line;
                }
                format!("{line}{}", " ".repeat(trailing))
            })
            .filter(|line| !line.is_empty())
            .collect();
        lines.join("<br>")
    }

    /// `&`, `<` and `>` as entities, so that the only tags are the ones written here.
    fn escape(text: &str, _line_start: bool) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                c => out.push(c),
            }
        }
        out
    }

    /// `<a href="url">label</a>`.
    fn link(label: &str, url: &str) -> String {
        let href = Self::escape(url, false).replace('"', "&quot;");
        format!("<a href=\"{href}\">{label}</a>")
    }
}

/// The runs of a preformatted line with its leading spaces as one run of no-break spaces before
/// them, and the number of spaces it ends with.
fn indented(runs: &[&Run]) -> (Vec<Run>, usize) {
    let text: String = runs.iter().map(|run| run.text.as_str()).collect();
    let leading = text.len() - text.trim_start_matches(' ').len();
    let trailing = text.trim_start_matches(' ').len() - text.trim_matches(' ').len();
    let mut out = Vec::with_capacity(runs.len() + 1);
    if leading > 0 {
        out.push(Run::plain("\u{a0}".repeat(leading)));
    }
    let mut skip = leading;
    for run in runs {
        let cut = skip.min(run.text.len());
        skip -= cut;
        if cut < run.text.len() {
            out.push(Run {
                text: run.text[cut..].to_owned(),
                ..(*run).clone()
            });
        }
    }
    (out, trailing)
}

/// Feed text made safe for a message's `text`: a `<` followed by anything but a space (the
/// start of `<users/all>`, `<https://…|label>`) becomes `‹`. Text like `5 < 6` is unchanged.
#[must_use]
pub fn neutralise_message_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let opens = c == '<' && chars.peek().is_some_and(|next| !next.is_whitespace());
        out.push(if opens { ANGLE_LOOKALIKE } else { c });
    }
    out
}

#[cfg(test)]
mod tests;
