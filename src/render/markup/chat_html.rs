//! The HTML subsets of two chat APIs, as [`Markup`]s. Both escape every `<`, `>` and `&` of feed
//! text, so that the only tags are the ones written here from the rich-text model; they differ in
//! how lines break and which tags exist.
//!
//! - [`MatrixHtml`]: a Matrix event's `formatted_body` (`org.matrix.custom.html`), where lines
//!   break with `<br>` as in any HTML, and code keeps its layout in `<pre><code>`.
//!   <https://spec.matrix.org/v1.11/client-server-api/#mroommessage-msgtypes>
//! - [`TelegramHtml`]: the Bot API's `parse_mode = "HTML"`, which takes only `<b>`, `<i>`,
//!   `<u>`, `<s>`, `<a href>`, `<code>`, `<pre>` and `<blockquote>` (a `<br>` is an error), and
//!   keeps the text's own line breaks. An `@` that starts a word becomes a look-alike, since
//!   `@username` in a group's message notifies that user.
//!   <https://core.telegram.org/bots/api#html-style>
//!
//! Lists are lines with a `•` or number marker and quotes are italic in both, as in the Google
//! Chat subset whose escaping and list layout they share ([`GchatHtml`]).

use super::commonmark::{FULL_WIDTH_AT, may_start_mention};
use super::gchat_text::GchatHtml;
use super::{Markup, raw_lines};
use crate::render::richtext::{BlockKind, ListMarker, Run, Style};

/// A Matrix `formatted_body`.
pub struct MatrixHtml;

impl Markup for MatrixHtml {
    const ITEM_BREAK: &'static str = "<br>";
    const BLOCK_BREAK: &'static str = "<br><br>";
    const QUOTE: &'static str = "";
    const QUOTE_STYLE: Style = Style::ITALIC;
    const BOLD: (&'static str, &'static str) = ("<b>", "</b>");
    const ITALIC: (&'static str, &'static str) = ("<i>", "</i>");
    const SPANS_RUNS: bool = false;
    const MAX_LIST_DEPTH: usize = GchatHtml::MAX_LIST_DEPTH;

    fn line_break(_kind: BlockKind) -> &'static str {
        "<br>"
    }

    fn list_prefixes(
        marker: Option<ListMarker>,
        depth: usize,
        columns: &mut Vec<usize>,
    ) -> (String, String) {
        GchatHtml::list_prefixes(marker, depth, columns)
    }

    /// The lines as the feed wrote them, in a code block that keeps their spaces.
    fn preformatted(lines: &[Vec<&Run>]) -> String {
        let text = raw_lines(lines).join("\n");
        format!("<pre><code>{}</code></pre>", Self::escape(&text, false))
    }

    fn escape(text: &str, line_start: bool) -> String {
        GchatHtml::escape(text, line_start)
    }

    fn link(label: &str, url: &str) -> String {
        GchatHtml::link(label, url)
    }
}

/// A Telegram message's `text` with `parse_mode = "HTML"`.
pub struct TelegramHtml;

impl Markup for TelegramHtml {
    const QUOTE: &'static str = "";
    const QUOTE_STYLE: Style = Style::ITALIC;
    const BOLD: (&'static str, &'static str) = ("<b>", "</b>");
    const ITALIC: (&'static str, &'static str) = ("<i>", "</i>");
    const SPANS_RUNS: bool = false;
    const MAX_LIST_DEPTH: usize = GchatHtml::MAX_LIST_DEPTH;

    /// Telegram keeps spaces: the items are indented with them, under a `•` or number marker.
    fn list_prefixes(
        marker: Option<ListMarker>,
        depth: usize,
        _columns: &mut Vec<usize>,
    ) -> (String, String) {
        let indent = "  ".repeat(depth.min(Self::MAX_LIST_DEPTH));
        let marker = match marker {
            Some(ListMarker::Bullet) => "• ".to_owned(),
            Some(ListMarker::Number(n)) => format!("{n}. "),
            None => String::new(),
        };
        (format!("{indent}{marker}"), format!("{indent}  "))
    }

    /// The lines as the feed wrote them, in a `<pre>` block.
    fn preformatted(lines: &[Vec<&Run>]) -> String {
        let text = raw_lines(lines).join("\n");
        format!("<pre>{}</pre>", GchatHtml::escape(&text, false))
    }

    fn escape(text: &str, line_start: bool) -> String {
        defuse_mentions(&GchatHtml::escape(text, line_start))
    }

    fn link(label: &str, url: &str) -> String {
        GchatHtml::link(label, url)
    }
}

/// `text` with each `@` that could start a mention (not the `@` of an address) shown as the
/// full-width `＠`, as Markdown feed text is ([`super::commonmark`]).
fn defuse_mentions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous: Option<char> = None;
    for c in text.chars() {
        out.push(if c == '@' && may_start_mention(previous) {
            FULL_WIDTH_AT
        } else {
            c
        });
        previous = Some(c);
    }
    out
}

#[cfg(test)]
mod tests;
