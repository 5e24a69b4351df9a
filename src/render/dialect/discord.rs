//! Discord's Markdown, as an embed description shows it: `**bold**`, `*italic*`, `- ` and `1. `
//! lists, `> ` quotes, code blocks, `[text](url)` masked links and `<url>` links. Headings become
//! bold: a card is not a document.
//! <https://support.discord.com/hc/en-us/articles/210298617-Markdown-Text-101-Chat-Formatting-Bold-Italic-Underline>
//!
//! Discord's parser is not CommonMark: single newlines are kept, `*` emphasis works inside words,
//! and a backslash before any punctuation shows that character as typed. So every character of
//! feed text that could be markup, a mention (`@everyone`, `<@id>`, `<@&id>`, `<#id>`), a custom
//! emoji or a timestamp (`<:a:1>`, `<t:1>`) is backslash-escaped, and shows literally. That is
//! a second layer: the webhook body also sends `allowed_mentions` with nothing allowed.
//!
//! Bare URLs in feed text are written as `<url>`: escaping the `_` inside one would put a
//! backslash in the address Discord links to.

use url::Url;

use crate::render::richtext::{Block, BlockKind, Inline, ListMarker, RichText, Run, Style};

mod inline;

/// Nested lists deeper than this are shown at this depth.
const MAX_DEPTH: usize = 3;

/// Writes `text` as Discord Markdown.
#[must_use]
pub fn to_markdown(text: &RichText) -> String {
    text.write_blocks("\n", "\n\n", write_block)
}

/// Escapes feed text for use inside a line (not at its start).
#[must_use]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '<' | '@' | '[' | ']' | '(' | ')'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes feed text that starts a line, where `#` opens a heading, `-#` small text, and `-`,
/// `+` or `1.` a list.
#[must_use]
pub fn escape_line_start(text: &str) -> String {
    guard_line_start(escape(text))
}

/// Escapes feed text, writing the http(s) URLs in it as `<url>` links.
#[must_use]
pub fn escape_with_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut rest = text;
    while let Some((word_start, word)) = next_word(rest) {
        out.push_str(&rest[..word_start]);
        out.push_str(&write_word(word));
        rest = &rest[word_start + word.len()..];
    }
    out.push_str(rest);
    out
}

/// A masked link `[label](url)`, `label` already Markdown. Parentheses and spaces in the URL are
/// percent-encoded so that they cannot end the destination early.
#[must_use]
pub fn link(label: &str, url: &str) -> String {
    format!("[{label}]({})", destination(url))
}

/// A URL shown as itself and linked: `<url>`. Serialised URLs hold no `<`, `>` or spaces.
#[must_use]
pub fn autolink(url: &str) -> String {
    format!("<{}>", destination(url))
}

fn destination(url: &str) -> String {
    url.replace('(', "%28")
        .replace(')', "%29")
        .replace(' ', "%20")
        .replace('<', "%3C")
        .replace('>', "%3E")
}

/// Backslash-escapes the start of `line`, already escaped, where it would open a block.
fn guard_line_start(line: String) -> String {
    if line.starts_with(['#', '-', '+']) {
        return format!("\\{line}");
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    match line[digits..].chars().next() {
        Some('.' | ')') if digits > 0 => format!("{}\\{}", &line[..digits], &line[digits..]),
        _ => line,
    }
}

/// The next whitespace-separated word of `text`: its byte offset and the word.
fn next_word(text: &str) -> Option<(usize, &str)> {
    let start = text.find(|c: char| !c.is_whitespace())?;
    let len = text[start..]
        .find(char::is_whitespace)
        .unwrap_or(text.len() - start);
    Some((start, &text[start..start + len]))
}

/// One word, its URL (if it holds one) as `<url>`, the rest escaped. Elsewhere `://` gets its
/// `:` escaped too, so that Discord does not link an address it finds inside the word with the
/// escapes' backslashes in it.
fn write_word(word: &str) -> String {
    let unlinked = |text: &str| escape(text).replace("://", "\\://");
    let Some((before, address, after)) = split_url(word) else {
        return unlinked(word);
    };
    let linked = Url::parse(address)
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https"));
    let middle = match linked {
        Some(url) => autolink(url.as_str()),
        None => unlinked(address),
    };
    format!("{}{middle}{}", escape(before), escape(after))
}

/// Splits a word like `("https://x.example/a_(b)").` into the punctuation before the URL, the
/// URL, and the punctuation after it. Closing parentheses stay in the URL while they balance one
/// inside it, as in Wikipedia addresses.
fn split_url(word: &str) -> Option<(&str, &str, &str)> {
    let start = word.find(|c: char| !matches!(c, '(' | '[' | '<' | '"' | '\'' | '«' | '“'))?;
    let rest = &word[start..];
    let scheme = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
    if !(scheme.starts_with("http://") || scheme.starts_with("https://")) {
        return None;
    }
    let mut end = rest.len();
    while let Some(last) = rest[..end].chars().next_back() {
        let trailing = matches!(
            last,
            '.' | ',' | ':' | ';' | '!' | '?' | '"' | '\'' | ']' | '>' | '»' | '”'
        ) || (last == ')'
            && rest[..end].matches('(').count() < rest[..end].matches(')').count());
        if !trailing {
            break;
        }
        end -= last.len_utf8();
    }
    Some((&word[..start], &rest[..end], &rest[end..]))
}

fn write_block(out: &mut String, block: &Block) {
    if block.kind == BlockKind::Preformatted {
        write_code(out, block);
        return;
    }
    let (first, rest) = prefixes(block.kind);
    let forced = Style {
        bold: block.kind == BlockKind::Heading,
        italic: false,
    };
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
    out.push_str(&first);
    out.push_str(&written.join(&format!("\n{rest}")));
}

/// The prefix of a block's first line and of its following lines.
fn prefixes(kind: BlockKind) -> (String, String) {
    match kind {
        BlockKind::ListItem { marker, depth, .. } => {
            let indent = "  ".repeat(depth.min(MAX_DEPTH));
            let marker = match marker {
                Some(ListMarker::Bullet) => "- ".to_owned(),
                Some(ListMarker::Number(n)) => format!("{n}. "),
                None => "  ".to_owned(),
            };
            let hanging = " ".repeat(marker.len());
            (format!("{indent}{marker}"), format!("{indent}{hanging}"))
        }
        BlockKind::Quote => ("> ".to_owned(), "> ".to_owned()),
        BlockKind::Paragraph | BlockKind::Heading | BlockKind::Preformatted => {
            (String::new(), String::new())
        }
    }
}

/// Preformatted text as a code block, where nothing is markup and nothing needs escaping. Text
/// holding a fence of its own cannot be fenced, and is written as escaped lines instead.
fn write_code(out: &mut String, block: &Block) {
    let mut code = String::new();
    for inline in &block.inlines {
        match inline {
            Inline::Text(run) => code.push_str(&run.text),
            Inline::Break => code.push('\n'),
        }
    }
    if code.contains("```") {
        let lines: Vec<String> = code.lines().map(escape_line_start).collect();
        out.push_str(&lines.join("\n"));
    } else {
        out.push_str("```\n");
        out.push_str(&code);
        out.push_str("\n```");
    }
}

#[cfg(test)]
#[path = "discord_tests.rs"]
mod tests;
