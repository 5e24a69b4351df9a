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

use super::card::{ChannelCard, format_date};
use super::fit::{Fit, fit, shed_image_then_title};
use super::markup::Markup;
use super::markup::gchat_text::{GchatHtml, neutralise_message_text};
use super::richtext::RichText;
use super::truncate::{Measure, truncate, truncate_rich};

/// Chat's limit on a whole message.
pub const MAX_MESSAGE_BYTES: usize = 32_000;

/// A card is a preview: beyond this the reader is better served by the Open button.
const SUMMARY_MAX_CHARS: usize = 3_000;
const SUBTITLE_MAX_CHARS: usize = 300;
/// Names the card within its message; one card per message, so a constant.
const CARD_ID: &str = "feedhook-entry";
const OPEN_BUTTON: &str = "Open";

/// Renders `card` as a Google Chat message.
#[must_use]
pub fn render(card: &ChannelCard<'_>) -> Value {
    let subtitle: Vec<String> = [
        card.feed_label(),
        card.date().map(format_date).unwrap_or_default(),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect();
    let parts = Parts {
        title: card.display_title(),
        subtitle: truncate(&subtitle.join(" · "), SUBTITLE_MAX_CHARS, Measure::Chars).into_owned(),
        link: card.link().map(String::from),
        image: card.image().map(String::from),
    };
    fit(
        parts,
        &truncate_rich(card.summary(), SUMMARY_MAX_CHARS),
        |payload| payload.to_string().len() <= MAX_MESSAGE_BYTES,
    )
}

/// The parts of the message other than the summary, all plain text or URLs.
#[derive(Debug, Clone)]
struct Parts {
    title: String,
    subtitle: String,
    link: Option<String>,
    image: Option<String>,
}

impl Fit for Parts {
    type Output = Value;

    fn shed(&mut self) -> bool {
        shed_image_then_title(&mut self.image, &mut self.title)
    }

    fn render(&self, summary: &RichText) -> Value {
        let mut header = json!({ "title": self.title });
        if !self.subtitle.is_empty() {
            header["subtitle"] = json!(self.subtitle);
        }
        if let Some(image) = &self.image {
            header["imageUrl"] = json!(image);
        }
        let mut widgets = Vec::new();
        let summary = GchatHtml::write(summary);
        if !summary.is_empty() {
            widgets.push(json!({ "textParagraph": { "text": summary } }));
        }
        if let Some(url) = &self.link {
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
            "text": neutralise_message_text(&self.title),
            "cardsV2": [{ "cardId": CARD_ID, "card": card }],
        })
    }
}

#[cfg(test)]
#[path = "google_chat_tests.rs"]
mod tests;
