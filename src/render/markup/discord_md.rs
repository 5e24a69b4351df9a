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

use super::{Marker, Markup, guard_block_start, raw_lines};
use crate::render::richtext::{Run, Style};

/// Discord Markdown as a [`Markup`].
pub struct DiscordMd;

impl Markup for DiscordMd {
    const BOLD: (&'static str, &'static str) = ("**", "**");
    // `*`, not `_`: Discord reads `*` emphasis inside words too, so any run can be styled.
    const ITALIC: (&'static str, &'static str) = ("*", "*");
    const MAX_LIST_DEPTH: usize = 3;

    /// A code block, where nothing is markup and nothing needs escaping. Text holding a fence of
    /// its own cannot be fenced, and is written as escaped lines instead.
    fn preformatted(lines: &[Vec<&Run>]) -> String {
        let code = raw_lines(lines).join("\n");
        if code.contains("```") {
            let lines: Vec<String> = code.lines().map(|line| Self::escape(line, true)).collect();
            lines.join("\n")
        } else {
            format!("```\n{code}\n```")
        }
    }

    /// Every character that could be markup, a mention, an emoji or a timestamp gets a
    /// backslash; at a line start also `#` (a heading), `-#` (small text), `-`, `+` and `1.`.
    fn escape(text: &str, line_start: bool) -> String {
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
        if line_start {
            Self::guard_line_start(out)
        } else {
            out
        }
    }

    /// Outside links, the http(s) URLs in feed text become `<url>` links. Block syntax at a line
    /// start is guarded on the written line instead ([`Self::guard_line_start`]), where a marker
    /// or a link before the text already keeps it from opening a block.
    fn escape_run(text: &str, _line_start: bool, in_link: bool) -> String {
        if in_link {
            Self::escape(text, false)
        } else {
            escape_with_links(text)
        }
    }

    /// A masked link `[label](url)`. Parentheses and spaces in the URL are percent-encoded so
    /// that they cannot end the destination early.
    fn link(label: &str, url: &str) -> String {
        format!("[{label}]({})", destination(url))
    }

    fn url_link(url: &str) -> String {
        autolink(url)
    }

    /// Discord reads `***` as ambiguous: a bold run touching an italic one (`**a***b*`) would
    /// come out wrong. Where a marker would close and another open with no space between them,
    /// the later run keeps only the emphasis already open, and loses the rest.
    fn touching(open: &[Marker], want: Style) -> Style {
        let Some(first_unwanted) = open.iter().position(|m| !m.of(want)) else {
            return want;
        };
        let kept = &open[..first_unwanted];
        let opens = [Marker::Bold, Marker::Italic]
            .into_iter()
            .any(|marker| marker.of(want) && !kept.contains(&marker));
        if !opens {
            return want;
        }
        Style {
            bold: kept.contains(&Marker::Bold),
            italic: kept.contains(&Marker::Italic),
        }
    }

    fn guard_line_start(written: String) -> String {
        guard_block_start(written, &['#', '-', '+'])
    }
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
    let unlinked = |text: &str| DiscordMd::escape(text, false).replace("://", "\\://");
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
    format!(
        "{}{middle}{}",
        DiscordMd::escape(before, false),
        DiscordMd::escape(after, false)
    )
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

#[cfg(test)]
mod tests;
