//! The Markdown subset Teams renders in an Adaptive Card `TextBlock`: `**bold**`, `_italic_`,
//! `- ` and `1. ` lists, `[text](url)` links. Headings, quotes, code and tables are not rendered,
//! so headings become bold, quotes italic and code plain lines.
//! <https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-format>
//!
//! Every character of feed text that Markdown could read as markup is backslash-escaped, so a
//! title like `**Urgent** [login](https://evil.example)` shows as typed instead of formatting.
//! Teams separates list items with `\r` in its examples; paragraphs need a blank line.

use crate::render::richtext::{Block, BlockKind, Inline, ListMarker, RichText, Run, Style};

mod flanking;
mod inline;

/// Writes `text` as Teams Markdown.
#[must_use]
pub fn to_markdown(text: &RichText) -> String {
    // Content column of the last top-level item, where a nested item's marker must start.
    let mut item_column = 0;
    text.write_blocks("\r", "\n\n", |out, block| {
        write_block(out, block, &mut item_column);
    })
}

/// Escapes feed text for use inside a line (not at its start).
#[must_use]
pub fn escape(text: &str) -> String {
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
    out
}

/// Escapes feed text that starts a line, where `#`, `-`, `+` and `1.` would open a heading or a
/// list.
#[must_use]
pub fn escape_line_start(text: &str) -> String {
    let escaped = escape(text);
    if escaped.starts_with(['#', '-', '+', '=', '|']) {
        return format!("\\{escaped}");
    }
    let digits = escaped.bytes().take_while(u8::is_ascii_digit).count();
    match escaped[digits..].chars().next() {
        Some('.' | ')') if digits > 0 => format!("{}\\{}", &escaped[..digits], &escaped[digits..]),
        _ => escaped,
    }
}

/// `[label](url)` with `label` already Markdown. Parentheses in the URL are percent-encoded so
/// they cannot end the destination early; hosts never contain them, so only path and query change,
/// to an equivalent form.
#[must_use]
pub fn link(label: &str, url: &str) -> String {
    let destination = url
        .replace('(', "%28")
        .replace(')', "%29")
        .replace(' ', "%20");
    format!("[{label}]({destination})")
}

fn starts_entity(rest: &str) -> bool {
    let name = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'#')
        .count();
    name > 0 && rest.as_bytes().get(name) == Some(&b';')
}

fn write_block(out: &mut String, block: &Block, item_column: &mut usize) {
    let mut forced = Style::default();
    let mut prefix = String::new();
    let mut line_break = "\n\n";
    match block.kind {
        BlockKind::ListItem { marker, depth, .. } => {
            let marker = match marker {
                Some(ListMarker::Bullet) => "- ".to_owned(),
                Some(ListMarker::Number(n)) => format!("{n}. "),
                None => String::new(),
            };
            // Teams shows one level of nesting; deeper items join the nested level. Indenting by
            // the parent's content column keeps them inside the parent item.
            let indent = if depth == 0 { 0 } else { *item_column };
            if depth == 0 {
                *item_column = marker.len();
            }
            prefix = format!("{}{marker}", " ".repeat(indent));
            line_break = " ";
        }
        BlockKind::Heading => forced.bold = true,
        BlockKind::Quote => forced.italic = true,
        BlockKind::Paragraph | BlockKind::Preformatted => {}
    }
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
        .map(|runs| inline::write_line(runs, forced))
        .filter(|line| !line.is_empty())
        .collect();
    if written.is_empty() {
        return;
    }
    out.push_str(&prefix);
    out.push_str(&written.join(line_break));
}

#[cfg(test)]
#[path = "teams_tests.rs"]
mod tests;
