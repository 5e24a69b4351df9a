//! An ntfy notification, published as JSON (the delivery adds the `topic`): the entry's title as
//! the notification's `title`, the byline and summary as plain text in `message`, the entry's
//! link as `click` (tapping the notification opens it), its image as `attach`, and the channel's
//! `tags` and `priority`. <https://docs.ntfy.sh/publish/#publish-as-json>
//!
//! ntfy shows the message as plain text (Markdown only when asked, which feedhook does not), so
//! feed markup stays inert without escaping. A server keeps a message over its message size
//! limit (4 KiB by default) as an attachment instead of text; the message is kept within
//! [`MAX_MESSAGE_BYTES`], the summary cut first.
//! <https://docs.ntfy.sh/config/#message-limits>

use serde_json::{Value, json};

use super::card::{ChannelCard, byline, format_date};
use super::fit::{Frame, Layout, fit};
use super::markup::Markup;
use super::markup::plain::Plain;
use super::richtext::RichText;
use crate::config::ChannelOptions;

/// ntfy's default `message-size-limit`.
pub const MAX_MESSAGE_BYTES: usize = 4_096;

const BYLINE_MAX_CHARS: usize = 300;

/// Renders `card` as an ntfy JSON publish body, `topic` left to the delivery.
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
    let parts = Notification {
        byline,
        priority: options.priority,
        tags: options.tags.clone(),
    };
    fit(Frame::new(card, parts), &card.preview(), |body| {
        body["message"]
            .as_str()
            .is_some_and(|message| message.len() <= MAX_MESSAGE_BYTES)
    })
}

/// The parts of the notification besides its title, link, image and summary.
#[derive(Debug, Clone)]
struct Notification {
    byline: String,
    priority: Option<u8>,
    tags: Vec<String>,
}

impl Layout for Notification {
    type Output = Value;

    fn render(frame: &Frame<Self>, summary: &RichText) -> Value {
        let mut message = vec![frame.parts.byline.clone(), Plain::write(summary)];
        message.retain(|part| !part.is_empty());
        let mut body = json!({ "title": frame.title, "message": message.join("\n\n") });
        if let Some(link) = &frame.link {
            body["click"] = json!(link);
        }
        if let Some(image) = &frame.image {
            body["attach"] = json!(image);
        }
        if !frame.parts.tags.is_empty() {
            body["tags"] = json!(frame.parts.tags);
        }
        if let Some(priority) = frame.parts.priority {
            body["priority"] = json!(priority);
        }
        body
    }
}

#[cfg(test)]
mod tests;
