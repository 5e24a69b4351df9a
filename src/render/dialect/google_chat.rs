//! Google Chat's two text dialects.
//!
//! - A card's `textParagraph` reads a small HTML subset: `<b>`, `<i>`, `<u>`, `<s>`,
//!   `<font color>`, `<a href>` and `<br>`. Every `<`, `>` and `&` of feed text is escaped, and
//!   the only tags written are the ones made here from the rich-text model ([`to_html`]).
//!   <https://developers.google.com/workspace/chat/format-messages>
//! - A message's `text` reads Chat's own syntax: `*bold*`, `<url|label>` links and
//!   `<users/all>` mentions. It has no escape character, so [`neutralise_message_text`] turns
//!   each `<` that could open markup into a look-alike that cannot.
//!
//! Headings become bold and quotes italic; list items are lines with a `•` or number marker,
//! nested ones indented with no-break spaces, which HTML does not collapse.

use crate::render::dialect::link_label::{LinkLabel, judge};
use crate::render::richtext::{Block, BlockKind, Inline, ListMarker, RichText, Run, Style};

/// Nested lists deeper than this are shown at this depth.
const MAX_DEPTH: usize = 3;
/// Indentation per nesting level and under a list marker: four no-break spaces.
const INDENT: &str = "\u{a0}\u{a0}\u{a0}\u{a0}";
/// What a `<` that could open Chat markup in a message's `text` is shown as.
const ANGLE_LOOKALIKE: char = '‹';

/// Writes `text` as the HTML a `textParagraph` shows.
#[must_use]
pub fn to_html(text: &RichText) -> String {
    text.write_blocks("<br>", "<br><br>", write_block)
}

/// Escapes feed text for a `textParagraph`.
#[must_use]
pub fn escape(text: &str) -> String {
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

/// `<a href="url">label</a>`, `label` already HTML.
#[must_use]
pub fn link(label: &str, url: &str) -> String {
    format!(
        "<a href=\"{}\">{label}</a>",
        escape(url).replace('"', "&quot;")
    )
}

fn write_block(out: &mut String, block: &Block) {
    let (first, rest) = prefixes(block.kind);
    let forced = Style {
        bold: block.kind == BlockKind::Heading,
        italic: block.kind == BlockKind::Quote,
    };
    let pre = block.kind == BlockKind::Preformatted;
    let mut lines: Vec<Vec<&Run>> = vec![Vec::new()];
    for inline in &block.inlines {
        match inline {
            Inline::Text(run) => {
                if let Some(line) = lines.last_mut() {
                    line.push(run);
                }
            }
            Inline::Break => lines.push(Vec::new()),
        }
    }
    let written: Vec<String> = lines
        .iter()
        .map(|runs| write_line(runs, forced, pre))
        .filter(|line| !line.is_empty())
        .collect();
    if written.is_empty() {
        return;
    }
    out.push_str(&first);
    out.push_str(&written.join(&format!("<br>{rest}")));
}

/// The prefix of a block's first line and of its following lines.
fn prefixes(kind: BlockKind) -> (String, String) {
    match kind {
        BlockKind::ListItem { marker, depth, .. } => {
            let indent = INDENT.repeat(depth.min(MAX_DEPTH));
            let marker = match marker {
                Some(ListMarker::Bullet) => "• ".to_owned(),
                Some(ListMarker::Number(n)) => format!("{n}. "),
                None => String::new(),
            };
            (format!("{indent}{marker}"), format!("{indent}{INDENT}"))
        }
        BlockKind::Paragraph | BlockKind::Heading | BlockKind::Quote | BlockKind::Preformatted => {
            (String::new(), String::new())
        }
    }
}

/// One line of runs. Outside preformatted text, spaces at its ends are dropped (HTML would drop
/// them); inside it, leading spaces become no-break spaces so that indentation shows.
fn write_line(runs: &[&Run], forced: Style, pre: bool) -> String {
    let mut out = String::new();
    for group in runs.chunk_by(|a, b| a.link == b.link) {
        let body: String = group.iter().map(|run| styled(run, forced)).collect();
        let Some(url) = &group[0].link else {
            out.push_str(&body);
            continue;
        };
        // The spaces around a link's text stay outside it, where they separate words.
        let core = body.trim_matches(' ');
        let start = body.len() - body.trim_start_matches(' ').len();
        out.push_str(&body[..start]);
        out.push_str(&linked(group, core, url));
        out.push_str(&body[start + core.len()..]);
    }
    if pre {
        let indent = out.len() - out.trim_start_matches(' ').len();
        return format!("{}{}", "\u{a0}".repeat(indent), &out[indent..]);
    }
    out.trim_matches(' ').to_owned()
}

/// A group of runs linking to `url`, with its label judged.
fn linked(group: &[&Run], body: &str, url: &str) -> String {
    let label: String = group.iter().map(|run| run.text.as_str()).collect();
    match judge(&label, url) {
        LinkLabel::AsIs => link(body, url),
        LinkLabel::RealUrl => link(&escape(url), url),
        LinkLabel::WithHost(host) => format!("{} ({})", link(body, url), escape(&host)),
    }
}

/// One run, escaped and wrapped in its style's tags; the spaces around its text stay outside
/// them, as HTML would show them either way.
fn styled(run: &Run, forced: Style) -> String {
    let core = run.text.trim_matches(' ');
    if core.is_empty() {
        return run.text.clone();
    }
    let start = run.text.len() - run.text.trim_start_matches(' ').len();
    let mut text = escape(core);
    if run.style.italic || forced.italic {
        text = format!("<i>{text}</i>");
    }
    if run.style.bold || forced.bold {
        text = format!("<b>{text}</b>");
    }
    format!(
        "{}{text}{}",
        &run.text[..start],
        &run.text[start + core.len()..]
    )
}

#[cfg(test)]
#[path = "google_chat_tests.rs"]
mod tests;
