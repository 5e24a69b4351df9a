//! A Telegram Bot API `sendMessage` body, without its `chat_id` (the delivery adds where it goes):
//! the title in bold linked to the entry, a byline in italics, the summary, in
//! `parse_mode = "HTML"` ([`TelegramHtml`] escapes feed text and defuses `@` mentions). The link
//! preview shows the entry's page. <https://core.telegram.org/bots/api#sendmessage>
//!
//! Telegram refuses a message whose text has more than 4,096 characters after its entities are
//! parsed. The HTML written here is never shorter than the text it parses to, so keeping the
//! HTML within [`MAX_TEXT_UTF16`] UTF-16 units (the unit Telegram counts in) keeps the message
//! within the limit; the summary is cut first, then the title's end.

use serde_json::{Value, json};

use super::card::{ChannelCard, byline, format_date};
use super::fit::{Frame, Layout, fit};
use super::markup::Markup;
use super::markup::chat_html::TelegramHtml;
use super::markup::links::honest_title;
use super::richtext::RichText;
use super::truncate::Measure;

/// Telegram's limit on a message's text.
pub const MAX_TEXT_UTF16: usize = 4_096;

const BYLINE_MAX_CHARS: usize = 300;

/// Renders `card` as a `sendMessage` body, `chat_id` left to the delivery.
#[must_use]
pub fn render(card: &ChannelCard<'_>) -> Value {
    let byline = byline(
        [
            Some(card.feed_label()),
            card.authors(),
            card.date().map(format_date),
        ],
        BYLINE_MAX_CHARS,
    );
    fit(
        Frame::new(card, Message { byline }),
        &card.preview(),
        |body| {
            body["text"]
                .as_str()
                .is_some_and(|text| Measure::Utf16.len(text) <= MAX_TEXT_UTF16)
        },
    )
}

/// The parts of the message besides its title, link and summary: plain text.
#[derive(Debug, Clone)]
struct Message {
    byline: String,
}

impl Layout for Message {
    type Output = Value;

    fn render(frame: &Frame<Self>, summary: &RichText) -> Value {
        let title = match &frame.link {
            Some(url) => TelegramHtml::link(
                &TelegramHtml::escape(&honest_title(&frame.title, url), false),
                url,
            ),
            None => TelegramHtml::escape(&frame.title, false),
        };
        let head = if frame.parts.byline.is_empty() {
            format!("<b>{title}</b>")
        } else {
            let byline = TelegramHtml::escape(&frame.parts.byline, false);
            format!("<b>{title}</b>\n<i>{byline}</i>")
        };
        let mut sections = vec![head, TelegramHtml::write(summary)];
        sections.retain(|section| !section.is_empty());
        let preview = match &frame.link {
            Some(url) => json!({ "url": url }),
            None => json!({ "is_disabled": true }),
        };
        json!({
            "text": sections.join("\n\n"),
            "parse_mode": "HTML",
            "link_preview_options": preview,
        })
    }
}

#[cfg(test)]
mod tests;
