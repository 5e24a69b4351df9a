//! Slack mrkdwn: `*bold*`, `_italic_`, `<url|label>` links, `&gt; ` quotes and ```` ``` ````
//! code blocks. It has no list syntax, so list items are written with `•`/`◦` and numbers.
//! <https://api.slack.com/reference/surfaces/formatting>
//!
//! # Feed text
//!
//! Slack reads `&`, `<` and `>` as control characters and asks for them as `&amp;`, `&lt;` and
//! `&gt;`. Escaping them is what keeps feed text from writing `<!channel>`, `<@U…>`, `<#C…>`,
//! `<!subteam^…>` or a fake `<url|label>` link: every `<` left in the output is one feedhook
//! wrote.
//!
//! Slack has no escape for its formatting characters `*`, `_`, `~` and `` ` ``, and reads a
//! `&gt;` at a line start as a quote. Its parser only formats with a marker at a word's edge
//! (`snake_case` and `a*b*c` stay literal), so those characters are kept inside words and
//! replaced at word edges by their full-width forms `＊ ＿ ～ ｀ ＞`: visible, close in look,
//! and equal to the ASCII ones under NFKC, so search and copy still find them. Backticks are
//! replaced everywhere, since code spans do not need word edges. The alternatives were worse:
//! invisible separators (U+200B) hide text and are stripped from feed text on purpose, and
//! Slack's undocumented `<!date^…|*>` fallback trick writes control syntax around every
//! character.
//!
//! Bare `@here` and `@channel` are plain text in Block Kit and in webhook text unless the
//! payload asks for `link_names`, which feedhook never sets; only the `<!…>` forms notify.

use super::{Marker, Markup, raw_lines, under_parent};
use crate::render::clean::is_space;
use crate::render::richtext::{ListMarker, Run};

/// The full-width form of a printable ASCII character (U+FF01..U+FF5E mirror U+0021..U+007E).
fn full_width(c: char) -> char {
    match c {
        '!'..='~' => char::from_u32(u32::from(c) + 0xFEE0).unwrap_or(c),
        c => c,
    }
}

/// Slack mrkdwn as a [`Markup`].
pub struct SlackMrkdwn;

impl Markup for SlackMrkdwn {
    const QUOTE: &'static str = "&gt; ";
    const BOLD: (&'static str, &'static str) = ("*", "*");
    const ITALIC: (&'static str, &'static str) = ("_", "_");
    // Slack does not promise formatting inside `<url|label>`; labels stay plain.
    const STYLED_LABELS: bool = false;

    fn list_prefixes(
        marker: Option<ListMarker>,
        depth: usize,
        columns: &mut Vec<usize>,
    ) -> (String, String) {
        let marker = marker.map(|marker| match marker {
            ListMarker::Bullet if depth == 0 => "• ".to_owned(),
            ListMarker::Bullet => "◦ ".to_owned(),
            ListMarker::Number(n) => format!("{n}. "),
        });
        under_parent(marker.as_deref(), depth, Self::MAX_LIST_DEPTH, columns)
    }

    /// Inside ```` ``` ```` nothing formats, but entities are still decoded and a backtick
    /// could close the block.
    fn preformatted(lines: &[Vec<&Run>]) -> String {
        let body: Vec<String> = raw_lines(lines)
            .iter()
            .map(|line| {
                line.trim_end_matches(is_space)
                    .chars()
                    .map(|c| match c {
                        '&' => "&amp;".to_owned(),
                        '<' => "&lt;".to_owned(),
                        '>' => "&gt;".to_owned(),
                        '`' => full_width(c).to_string(),
                        c => c.to_string(),
                    })
                    .collect()
            })
            .collect();
        format!("```\n{}\n```", body.join("\n"))
    }

    /// `&`, `<` and `>` as entities; formatting characters at word edges (backticks anywhere)
    /// as their full-width forms; at a line start also a `>`, which would open a quote.
    fn escape(text: &str, line_start: bool) -> String {
        if line_start && let Some(rest) = text.strip_prefix('>') {
            return format!("{}{}", full_width('>'), Self::escape(rest, false));
        }
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        for (i, &c) in chars.iter().enumerate() {
            let inside_word = || {
                let alnum = |n: Option<&char>| n.is_some_and(|n| n.is_alphanumeric());
                alnum(i.checked_sub(1).and_then(|p| chars.get(p))) && alnum(chars.get(i + 1))
            };
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '`' => out.push(full_width(c)),
                '*' | '_' | '~' if !inside_word() => out.push(full_width(c)),
                c => out.push(c),
            }
        }
        out
    }

    /// `<url|label>`. `|` would end the URL early; `&` is escaped as everywhere else (Slack
    /// decodes it back); `<`, `>` and spaces never occur in a parsed URL.
    fn link(label: &str, url: &str) -> String {
        let url = url.replace('&', "&amp;").replace('|', "%7C");
        format!("<{url}|{label}>")
    }

    /// Slack formats only with a marker at a word's edge.
    fn opens(_: Marker, before: char, _: char) -> bool {
        !before.is_alphanumeric()
    }

    fn closes(_: Marker, _: char, after: char) -> bool {
        !after.is_alphanumeric()
    }
}

#[cfg(test)]
mod tests;
