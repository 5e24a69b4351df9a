//! Google Chat space webhook: `text` and a `cardsV2` card.
//!
//! The card's header holds the title and, below it, the feed's name and the date; its one
//! section the summary as a `textParagraph` and an "Open" button to the entry. The message's
//! `text` is the title alone: Chat shows it above the card and in notifications, where cards are
//! not shown. <https://developers.google.com/workspace/chat/api/reference/rest/v1/cards>
//!
//! Header title and subtitle are plain text in Chat (only widget text reads HTML), so they are
//! cleaned, not escaped. Chat rejects messages over 32,000 bytes; the serialised payload is kept
//! within [`MAX_MESSAGE_BYTES`] by shortening the summary first, and the title's start and the
//! link are never cut.
//! <https://developers.google.com/workspace/chat/create-messages>

use serde_json::{Value, json};

use super::card::{ChannelCard, byline, format_date};
use super::fit::{Frame, Layout, fit};
use super::markup::Markup;
use super::markup::gchat_text::{GchatHtml, neutralise_message_text};
use super::richtext::RichText;

/// Chat's limit on a whole message.
pub const MAX_MESSAGE_BYTES: usize = 32_000;

const SUBTITLE_MAX_CHARS: usize = 300;
/// Names the card within its message; one card per message, so a constant.
const CARD_ID: &str = "feedhook-entry";
const OPEN_BUTTON: &str = "Open";

/// Renders `card` as a Google Chat message.
#[must_use]
pub fn render(card: &ChannelCard<'_>) -> Value {
    let subtitle = byline(
        [Some(card.feed_label()), card.date().map(format_date)],
        SUBTITLE_MAX_CHARS,
    );
    fit(
        Frame::new(card, ChatCard { subtitle }),
        &card.preview(),
        |payload| payload.to_string().len() <= MAX_MESSAGE_BYTES,
    )
}

/// The parts of the message besides its title, link, image and summary: plain text.
#[derive(Debug, Clone)]
struct ChatCard {
    subtitle: String,
}

impl Layout for ChatCard {
    type Output = Value;

    fn render(frame: &Frame<Self>, summary: &RichText) -> Value {
        let mut header = json!({ "title": frame.title });
        if !frame.parts.subtitle.is_empty() {
            header["subtitle"] = json!(frame.parts.subtitle);
        }
        if let Some(image) = &frame.image {
            header["imageUrl"] = json!(image);
        }
        let mut widgets = Vec::new();
        let summary = GchatHtml::write(summary);
        if !summary.is_empty() {
            widgets.push(json!({ "textParagraph": { "text": summary } }));
        }
        if let Some(url) = &frame.link {
            widgets.push(json!({ "buttonList": { "buttons": [{
                "text": OPEN_BUTTON,
                "onClick": { "openLink": { "url": url } },
            }] } }));
        }
        let mut card = json!({ "header": header });
        // A section needs a widget; an entry with neither summary nor link has a header only.
        if !widgets.is_empty() {
            card["sections"] = json!([{ "widgets": widgets }]);
        }
        json!({
            "text": neutralise_message_text(&frame.title),
            "cardsV2": [{ "cardId": CARD_ID, "card": card }],
        })
    }
}

#[cfg(test)]
mod tests;
