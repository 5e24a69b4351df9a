//! The email channel: an entry as the parts of one message — its subject, a plain-text body and a
//! clean HTML body — which delivery puts in a `multipart/alternative` message with the headers
//! that need the channel and the send time (`From`, `To`, `Date`, `Message-ID`, `List-Id`).
//!
//! The HTML is written here from the card's rich text, never copied from the feed: only headings,
//! paragraphs, lists, quotes, preformatted text, emphasis and http(s) links survive, every text is
//! escaped, and no style sheet, script, form or tracking pixel can come through.

use std::fmt::Write as _;

use super::card::{ChannelCard, byline, format_date};
use super::html::{escape, from_rich_text};
use super::markup::plain::to_plain;
use super::truncate::{Measure, truncate};

/// Mail clients show about this much of a subject; the rest of the title is in the body.
const SUBJECT_MAX_CHARS: usize = 200;
/// A byline is one line under the title.
const BYLINE_MAX_CHARS: usize = 300;

/// One entry as an email's parts; delivery adds the headers (`deliver::email`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailParts {
    /// `<feed name>: <title>`, one line.
    pub subject: String,
    /// The `text/plain` alternative.
    pub text: String,
    /// The `text/html` alternative, a whole document.
    pub html: String,
    /// The feed's name, one clean line: what `List-Id` names.
    pub feed: String,
    /// The feed and the entry's dedupe key: with the channel's name, what `Message-ID` is made
    /// from, so that a repeated send of the same entry to the same channel is recognisable.
    pub identity: String,
}

/// Renders `card` as the parts of one email.
#[must_use]
pub fn render(card: &ChannelCard<'_>) -> EmailParts {
    let feed = card.feed_label();
    let title = card.display_title();
    let subject = truncate(
        &format!("{feed}: {title}"),
        SUBJECT_MAX_CHARS,
        Measure::Chars,
    )
    .into_owned();
    let source = card.source();
    EmailParts {
        text: text(card, &title),
        html: html(card, &title, &subject),
        subject,
        identity: format!("{}\n{}", source.feed_name, source.entry.key),
        feed,
    }
}

/// The byline: the feed, the authors and the date.
fn meta(card: &ChannelCard<'_>) -> String {
    byline(
        [
            Some(card.feed_label()),
            card.authors(),
            card.date().map(format_date),
        ],
        BYLINE_MAX_CHARS,
    )
}

fn text(card: &ChannelCard<'_>, title: &str) -> String {
    let mut out = format!("{title}\n");
    if let Some(link) = card.link() {
        let _ = writeln!(out, "{link}");
    }
    let _ = writeln!(out, "{}", meta(card));
    let summary = to_plain(&card.preview());
    if !summary.is_empty() {
        let _ = write!(out, "\n{summary}\n");
    }
    if let Some(image) = card.image() {
        let _ = write!(out, "\nImage: {image}\n");
    }
    let _ = write!(out, "\n-- \n{}\n", footer(card));
    out
}

fn html(card: &ChannelCard<'_>, title: &str, subject: &str) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n",
        escape(subject)
    );
    let title = escape(title);
    let _ = match card.link() {
        Some(link) => writeln!(
            out,
            "<h2><a href=\"{}\">{title}</a></h2>",
            escape(link.as_str())
        ),
        None => writeln!(out, "<h2>{title}</h2>"),
    };
    let _ = writeln!(
        out,
        "<p style=\"color:#666666\">{}</p>",
        escape(&meta(card))
    );
    if let Some(image) = card.image() {
        let _ = writeln!(
            out,
            "<p><img src=\"{}\" alt=\"\" style=\"max-width:100%\"></p>",
            escape(image.as_str())
        );
    }
    let summary = from_rich_text(&card.preview());
    if !summary.is_empty() {
        let _ = writeln!(out, "<div>{summary}</div>");
    }
    let _ = write!(
        out,
        "<hr>\n<p style=\"color:#666666;font-size:small\">{}</p>\n</body></html>\n",
        escape(&footer(card))
    );
    out
}

/// Where the message comes from, for a reader wondering why it came.
fn footer(card: &ChannelCard<'_>) -> String {
    let source = card.source();
    format!(
        "Sent by feedhook from the feed {} ({})",
        card.feed_label(),
        super::clean::clean_line(source.feed_url)
    )
}

#[cfg(test)]
mod tests;
