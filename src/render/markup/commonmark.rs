//! Mattermost's Markdown (CommonMark with GitHub's tables and strikethrough): `**bold**`,
//! `_italic_`, `[text](url)` links, `- ` and `1. ` lists nested by indentation, `> ` quotes and
//! fenced code. Headings are written bold: a card has no room for heading sizes.
//! <https://docs.mattermost.com/collaborate/format-messages.html>
//!
//! # Feed text
//!
//! Every character of feed text that Markdown could read as markup is backslash-escaped (the
//! web, desktop and mobile renderers all honour CommonMark escapes), so feed text cannot write
//! emphasis, links, images, tables (`|`), headings, lists, quotes, code or inline LaTeX (`$`).
//!
//! Mentions are a different matter: the server finds them in the raw message text, before any
//! Markdown, by splitting it into words at every character other than a letter, a digit or one of
//! `. - _ : @`, and notifying for a word that is (or, split at `.`, `-`, `:`, holds) `@channel`,
//! `@all`, `@here` or `@username` (`app/mention_parser_standard.go`). A backslash is a word
//! separator there, so `\@channel` still notifies. An `@` after an ASCII letter or digit never
//! starts a word (`jane@example.com` stays), and every other `@` of feed text is replaced by the
//! full-width `＠` (U+FF20): it looks the same, is no word character, so no mention is read,
//! and it survives copy and search (NFKC maps it back to `@`). Code spans would also hide a
//! mention, but they change how the text looks and the server finds code with its own
//! regular expressions, which a feed could try to confuse.

use super::{
    Marker, Markup, dash_or_number, guard_block_start, raw_lines, starts_entity, under_parent,
};
use crate::render::clean::is_space;
use crate::render::richtext::{ListMarker, Run};

/// Shown for an `@` of feed text that could start a mention.
pub(super) const FULL_WIDTH_AT: char = '＠';

/// `![alt](url)` with `alt` already escaped.
#[must_use]
pub fn image(alt: &str, url: &str) -> String {
    format!("![{alt}]({})", destination(url))
}

/// A URL as a link destination: parentheses and spaces percent-encoded so they cannot end it
/// early, and every `@` after the host encoded as `%40` (an equivalent form), because the server
/// reads mentions in the raw text, URLs included: `https://social.example/@here` would notify
/// the channel. User names and passwords are dropped: `https://.@here/` reads as `@here` too,
/// and credentials in a chat link are a phishing device, not something a reader needs.
#[must_use]
pub fn destination(url: &str) -> String {
    let mut parsed = url::Url::parse(url).ok();
    if let Some(parsed) = parsed.as_mut() {
        // Only fails for URLs without a host, which carry no credentials to drop.
        let _ = parsed.set_username("");
        let _ = parsed.set_password(None);
    }
    let url = parsed.map_or_else(|| url.to_owned(), String::from);
    let authority_end = url
        .find("://")
        .and_then(|scheme_end| {
            let rest = scheme_end + 3;
            url[rest..].find(['/', '?', '#']).map(|at| rest + at)
        })
        .unwrap_or(url.len());
    let (authority, rest) = url.split_at(authority_end);
    let rest = rest
        .replace('@', "%40")
        .replace('(', "%28")
        .replace(')', "%29")
        .replace(' ', "%20");
    format!("{authority}{rest}")
}

/// Punctuation as the CommonMark spec means it (Unicode P and S categories), approximated as
/// neither letter, digit nor space. Escapes are ASCII punctuation, and so is their backslash.
fn is_punctuation(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace()
}

/// CommonMark's flanking rules
/// (<https://spec.commonmark.org/0.31.2/#left-flanking-delimiter-run>): `_` opens only after
/// punctuation (never inside a word); `**` not between a letter and punctuation.
pub(super) fn opens(marker: Marker, before: char, after: char) -> bool {
    match marker {
        Marker::Italic => is_punctuation(before),
        Marker::Bold => !is_punctuation(after) || is_punctuation(before),
    }
}

/// The closing half of [`opens`]: `_` closes only before punctuation; `**` not between
/// punctuation and a letter.
pub(super) fn closes(marker: Marker, before: char, after: char) -> bool {
    match marker {
        Marker::Italic => is_punctuation(after),
        Marker::Bold => !is_punctuation(before) || is_punctuation(after),
    }
}

/// Mattermost's CommonMark as a [`Markup`].
pub struct Commonmark;

impl Markup for Commonmark {
    const BOLD: (&'static str, &'static str) = ("**", "**");
    const ITALIC: (&'static str, &'static str) = ("_", "_");

    fn list_prefixes(
        marker: Option<ListMarker>,
        depth: usize,
        columns: &mut Vec<usize>,
    ) -> (String, String) {
        let marker = marker.map(dash_or_number);
        under_parent(marker.as_deref(), depth, Self::MAX_LIST_DEPTH, columns)
    }

    /// A fence longer than any run of backticks inside, so the text cannot close it; mentions
    /// are defused in code too, since the server's idea of where code ends may differ.
    fn preformatted(lines: &[Vec<&Run>]) -> String {
        let lines = raw_lines(lines);
        let longest_run = lines
            .iter()
            .flat_map(|line| line.split(|c| c != '`'))
            .map(str::len)
            .max()
            .unwrap_or(0);
        let fence = "`".repeat((longest_run + 1).max(3));
        let body: Vec<String> = lines
            .iter()
            .map(|line| defuse_mentions(line.trim_end_matches(is_space)))
            .collect();
        format!("{fence}\n{}\n{fence}", body.join("\n"))
    }

    /// Every character Markdown could read as markup gets a backslash, and mentions are
    /// defused; at a line start also `#`, `-`, `+`, `=` and `1.`, which would open a heading, a
    /// list or a setext underline.
    fn escape(text: &str, line_start: bool) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        let mut previous: Option<char> = None;
        for (i, c) in text.char_indices() {
            match c {
                '@' if may_start_mention(previous) => out.push(FULL_WIDTH_AT),
                '\\' | '*' | '_' | '`' | '[' | ']' | '~' | '<' | '>' | '|' | '$' => {
                    out.push('\\');
                    out.push(c);
                }
                // `&amp;` in the text would be decoded by the Markdown renderer, not shown.
                '&' if starts_entity(&text[i + 1..]) => out.push_str("\\&"),
                c => out.push(c),
            }
            previous = Some(c);
        }
        if line_start {
            guard_block_start(out, &['#', '-', '+', '='])
        } else {
            out
        }
    }

    /// `[label](url)`, the URL made safe by [`destination`].
    fn link(label: &str, url: &str) -> String {
        format!("[{label}]({})", destination(url))
    }

    fn opens(marker: Marker, before: char, after: char) -> bool {
        opens(marker, before, after)
    }

    fn closes(marker: Marker, before: char, after: char) -> bool {
        closes(marker, before, after)
    }
}

/// `text` with every `@` that could start a mention replaced by `＠` (see the module docs).
#[must_use]
pub fn defuse_mentions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous: Option<char> = None;
    for c in text.chars() {
        if c == '@' && may_start_mention(previous) {
            out.push(FULL_WIDTH_AT);
        } else {
            out.push(c);
        }
        previous = Some(c);
    }
    out
}

/// Whether an `@` after `previous` can begin a word of the server's mention parser.
pub(super) fn may_start_mention(previous: Option<char>) -> bool {
    !previous.is_some_and(|p| p.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests;
