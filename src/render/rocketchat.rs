//! A Rocket.Chat incoming webhook: a short `text` (the byline, what notifications show) and one
//! attachment with the entry's title linked to it, the summary in Markdown and the image.
//! <https://docs.rocket.chat/docs/integrations#incoming-webhook-script>
//!
//! Rocket.Chat reads mentions (`@all`, `@here`, `@username`) in a message's `text`, and
//! Markdown in it and in the attachment's `text`: both are written by [`Commonmark`], which
//! escapes feed markup and turns an `@` that could start a mention into a look-alike. The
//! attachment's title is plain text. A workspace refuses messages over its
//! `Message_MaxAllowedSize` (5,000 characters by default); the written text is kept within
//! [`MAX_TEXT_CHARS`], the summary cut first.
//!
//! `username`, `icon_url` and `channel` are sent as `alias`, `avatar` and `channel` when
//! configured.

use serde_json::{Value, json};

use super::card::{ChannelCard, byline, format_date};
use super::fit::{Frame, Layout, fit};
use super::markup::Markup;
use super::markup::commonmark::Commonmark;
use super::richtext::RichText;
use crate::config::ChannelOptions;

/// Rocket.Chat's default `Message_MaxAllowedSize`, in characters.
pub const MAX_TEXT_CHARS: usize = 5_000;

const BYLINE_MAX_CHARS: usize = 300;
/// The attachment's side bar: the orange of the feed icon.
const COLOR: &str = "#EE802F";

/// Renders `card` as a Rocket.Chat incoming-webhook body.
#[must_use]
pub fn render(card: &ChannelCard<'_>, options: &ChannelOptions) -> Value {
    let byline = byline(
        [
            Some(card.feed_label()),
            card.authors(),
            card.date().map(format_date),
        ],
        BYLINE_MAX_CHARS,
    );
    let mut payload = fit(
        Frame::new(card, Message { byline }),
        &card.preview(),
        |body| text_chars(body) <= MAX_TEXT_CHARS,
    );
    add_overrides(&mut payload, options);
    payload
}

/// Adds the configured `username` (as the alias), `icon_url` (the avatar) and `channel`.
pub fn add_overrides(payload: &mut Value, options: &ChannelOptions) {
    let overrides = [
        ("alias", &options.username),
        ("avatar", &options.icon_url),
        ("channel", &options.channel),
    ];
    for (key, value) in overrides {
        if let Some(value) = value {
            payload[key] = json!(value);
        }
    }
}

/// The characters of the message's text, the attachment's title and text together.
fn text_chars(body: &Value) -> usize {
    let chars = |value: &Value| value.as_str().map_or(0, |text| text.chars().count());
    let attachment = &body["attachments"][0];
    chars(&body["text"]) + chars(&attachment["title"]) + chars(&attachment["text"])
}

/// The parts of the message besides its title, link, image and summary: plain text.
#[derive(Debug, Clone)]
struct Message {
    byline: String,
}

impl Layout for Message {
    type Output = Value;

    fn render(frame: &Frame<Self>, summary: &RichText) -> Value {
        let mut attachment = json!({ "title": frame.title, "color": COLOR });
        if let Some(link) = &frame.link {
            attachment["title_link"] = json!(link);
        }
        let summary = Commonmark::write(summary);
        if !summary.is_empty() {
            attachment["text"] = json!(summary);
        }
        if let Some(image) = &frame.image {
            attachment["image_url"] = json!(image);
        }
        let text = if frame.parts.byline.is_empty() {
            String::new()
        } else {
            format!("_{}_", Commonmark::escape(&frame.parts.byline, false))
        };
        json!({ "text": text, "attachments": [attachment] })
    }
}

#[cfg(test)]
mod tests;
