//! Microsoft Teams through a Workflows webhook ("Post to a channel when a webhook request is
//! received"): a `message` whose one attachment is an Adaptive Card.
//!
//! The card is version 1.4: Workflows shows "We're sorry, this card couldn't be displayed" for
//! 1.5 cards. Teams rejects messages over about 28 KB, so the serialised payload is kept under
//! [`MAX_PAYLOAD_BYTES`] by shortening the summary first; the title's start and the link are never
//! cut.
//! <https://learn.microsoft.com/en-us/connectors/teams/?tabs=text1#microsoft-teams-webhook>

use serde_json::{Value, json};

use super::card::{ChannelCard, format_date};
use super::fit::{Fit, fit, shed_image_then_title};
use super::markup::Markup;
use super::markup::teams_md::TeamsMd;
use super::richtext::RichText;
use super::truncate::{Measure, truncate, truncate_rich};

/// Teams' limit on a message body.
pub const MAX_PAYLOAD_BYTES: usize = 28_000;

/// A card is a preview: beyond this the reader is better served by the Open button.
const SUMMARY_MAX_CHARS: usize = 3_000;
const BYLINE_MAX_CHARS: usize = 300;

const CARD_SCHEMA: &str = "http://adaptivecards.io/schemas/adaptive-card.json";
const CARD_VERSION: &str = "1.4";

/// Renders the Workflows payload for `card`.
#[must_use]
pub fn render(card: &ChannelCard<'_>) -> Value {
    let title = card.display_title();
    let byline: Vec<String> = [
        card.feed_label(),
        card.authors().unwrap_or_default(),
        card.date().map(format_date).unwrap_or_default(),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect();
    let parts = Parts {
        title,
        byline: truncate(&byline.join(" · "), BYLINE_MAX_CHARS, Measure::Chars).into_owned(),
        link: card.link().map(String::from),
        image: card.image().map(String::from),
    };
    fit(
        parts,
        &truncate_rich(card.summary(), SUMMARY_MAX_CHARS),
        |payload| payload.to_string().len() < MAX_PAYLOAD_BYTES,
    )
}

/// The parts of the card other than the summary, all plain text or URLs.
#[derive(Debug, Clone)]
struct Parts {
    title: String,
    byline: String,
    link: Option<String>,
    image: Option<String>,
}

impl Fit for Parts {
    type Output = Value;

    fn shed(&mut self) -> bool {
        shed_image_then_title(&mut self.image, &mut self.title)
    }

    fn render(&self, summary: &RichText) -> Value {
        let title = TeamsMd::escape(&self.title, true);
        let title = match &self.link {
            Some(url) => TeamsMd::link(&title, url),
            None => title,
        };
        let mut body = vec![json!({
            "type": "TextBlock", "text": title, "size": "Medium", "weight": "Bolder", "wrap": true,
        })];
        if !self.byline.is_empty() {
            body.push(json!({
                "type": "TextBlock", "text": TeamsMd::escape(&self.byline, true), "size": "Small",
                "isSubtle": true, "wrap": true, "spacing": "None",
            }));
        }
        let summary = TeamsMd::write(summary);
        if !summary.is_empty() {
            body.push(json!({ "type": "TextBlock", "text": summary, "wrap": true }));
        }
        if let Some(image) = &self.image {
            body.push(json!({ "type": "Image", "url": image, "altText": self.title }));
        }
        let mut card = json!({
            "$schema": CARD_SCHEMA,
            "type": "AdaptiveCard",
            "version": CARD_VERSION,
            "msteams": { "width": "Full" },
            "body": body,
        });
        if let Some(url) = &self.link {
            card["actions"] =
                json!([{ "type": "Action.OpenUrl", "title": "Read more", "url": url }]);
        }
        json!({
            "type": "message",
            "attachments": [{
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": null,
                "content": card,
            }],
        })
    }
}

#[cfg(test)]
#[path = "teams_tests.rs"]
mod tests;
