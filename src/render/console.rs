//! The console channel: an entry as a few readable lines on standard output.
//!
//! ```text
//! [rust-blog] Release 2.0 is out
//! https://blog.example.com/posts/release-2
//! 27 Nov 2026 14:05 UTC · Jane Doe
//!   We shipped bold things and italic ones.
//!
//! ```
//!
//! All feed text has its control characters removed first, so a feed cannot send escape
//! sequences to the operator's terminal.

use super::card::{ChannelCard, format_date};
use super::markup::plain::to_plain;
use super::truncate::truncate_rich;

/// Enough summary to know what the entry is about; the link has the rest.
const SUMMARY_MAX_CHARS: usize = 600;
const WIDTH: usize = 80;
const INDENT: &str = "  ";

/// Renders `card` as text ending with a blank line.
#[must_use]
pub fn render(card: &ChannelCard<'_>) -> String {
    let mut out = format!("[{}] {}\n", card.feed_label(), card.display_title());
    if let Some(link) = card.link() {
        out.push_str(link.as_str());
        out.push('\n');
    }
    let meta: Vec<String> = [card.date().map(format_date), card.authors()]
        .into_iter()
        .flatten()
        .collect();
    if !meta.is_empty() {
        out.push_str(&meta.join(" · "));
        out.push('\n');
    }
    let text = to_plain(&truncate_rich(card.summary(), SUMMARY_MAX_CHARS));
    for line in text.lines() {
        for wrapped in wrap(line, WIDTH - INDENT.len()) {
            if !wrapped.is_empty() {
                out.push_str(INDENT);
            }
            out.push_str(&wrapped);
            out.push('\n');
        }
    }
    out.push('\n');
    out
}

/// Wraps one line at spaces to `width` characters. Continuation lines are indented under the
/// text of a list item or keep a quote's `> `; a word longer than the width stays whole.
fn wrap(line: &str, width: usize) -> Vec<String> {
    let (first, rest, body) = hanging(line);
    let mut lines = Vec::new();
    let mut current = first.to_owned();
    let mut current_len = current.chars().count();
    let mut empty = true;
    for word in body.split(' ').filter(|w| !w.is_empty()) {
        let len = word.chars().count();
        if !empty && current_len + 1 + len > width {
            lines.push(std::mem::replace(&mut current, rest.clone()));
            current_len = rest.chars().count();
            empty = true;
        }
        if !empty {
            current.push(' ');
            current_len += 1;
        }
        current.push_str(word);
        current_len += len;
        empty = false;
    }
    lines.push(current);
    lines
}

/// Splits a plain-text line into its prefix (indent and list marker, or `> `), the prefix for its
/// continuation lines, and its text.
fn hanging(line: &str) -> (&str, String, &str) {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let after = &line[indent..];
    let marker = if after.starts_with("- ") || after.starts_with("> ") {
        2
    } else {
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with(". ") {
            digits + 2
        } else {
            0
        }
    };
    let prefix = &line[..indent + marker];
    let rest = if after.starts_with("> ") {
        format!("{}> ", &line[..indent])
    } else {
        " ".repeat(indent + marker)
    };
    (prefix, rest, &line[indent + marker..])
}

#[cfg(test)]
mod tests;
