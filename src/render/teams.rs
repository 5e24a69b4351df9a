//! Microsoft Teams through a Workflows webhook ("Post to a channel when a webhook request is
//! received"): a `message` whose one attachment is an Adaptive Card.
//!
//! The card is version 1.4: Workflows shows "We're sorry, this card couldn't be displayed" for
//! 1.5 cards. Teams rejects messages over about 28 KB, so the serialised payload is kept under
//! [`MAX_PAYLOAD_BYTES`] by shortening the summary first; the title's start and the link are never
//! cut.
//! <https://learn.microsoft.com/en-us/connectors/teams/?tabs=text1#microsoft-teams-webhook>

use serde_json::{Value, json};

use crate::config::ChannelKind;

use super::card::{ChannelCard, byline, format_date};
use super::fit::{Frame, Layout, fit};
use super::markup::Markup;
use super::markup::teams_md::TeamsMd;
use super::mention::bytes_with;
use super::richtext::RichText;

/// Teams' limit on a message body.
pub const MAX_PAYLOAD_BYTES: usize = 28_000;

const BYLINE_MAX_CHARS: usize = 300;

pub(super) const CARD_SCHEMA: &str = "http://adaptivecards.io/schemas/adaptive-card.json";
pub(super) const CARD_VERSION: &str = "1.4";

/// Renders the Workflows payload for `card`, kept under the byte limit with room for `mentions`
/// (which [`super::mention::add`] then adds).
#[must_use]
pub fn render(card: &ChannelCard<'_>, mentions: &[String]) -> Value {
    let byline = byline(
        [
            Some(card.feed_label()),
            card.authors(),
            card.date().map(format_date),
        ],
        BYLINE_MAX_CHARS,
    );
    let frame = Frame::new(card, AdaptiveCard { byline });
    fit(frame, &card.preview(), |payload| {
        bytes_with(ChannelKind::Teams, mentions, payload) < MAX_PAYLOAD_BYTES
    })
}

/// The parts of the Adaptive Card besides its title, link, image and summary: plain text.
#[derive(Debug, Clone)]
struct AdaptiveCard {
    byline: String,
}

impl Layout for AdaptiveCard {
    type Output = Value;

    fn render(frame: &Frame<Self>, summary: &RichText) -> Value {
        let title = TeamsMd::escape(&frame.title, true);
        let title = match &frame.link {
            Some(url) => TeamsMd::link(&title, url),
            None => title,
        };
        let mut body = vec![json!({
            "type": "TextBlock", "text": title, "size": "Medium", "weight": "Bolder", "wrap": true,
        })];
        if !frame.parts.byline.is_empty() {
            body.push(json!({
                "type": "TextBlock", "text": TeamsMd::escape(&frame.parts.byline, true), "size": "Small",
                "isSubtle": true, "wrap": true, "spacing": "None",
            }));
        }
        let summary = TeamsMd::write(summary);
        if !summary.is_empty() {
            body.push(json!({ "type": "TextBlock", "text": summary, "wrap": true }));
        }
        if let Some(image) = &frame.image {
            body.push(json!({ "type": "Image", "url": image, "altText": alt_text(&frame.title) }));
        }
        let mut card = json!({
            "$schema": CARD_SCHEMA,
            "type": "AdaptiveCard",
            "version": CARD_VERSION,
            "msteams": { "width": "Full" },
            "body": body,
        });
        if let Some(url) = &frame.link {
            card["actions"] =
                json!([{ "type": "Action.OpenUrl", "title": "Read more", "url": url }]);
        }
        message(&card)
    }
}

/// `title` as an image's plain-text description. Not Markdown, so not escaped; but Teams reads
/// `<at>…</at>` as a mention wherever a card has it, so the `<` of a tag-like `<at` or `</at` is
/// shown as `‹` and no feed title can match a mention entity.
fn alt_text(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for (i, c) in title.char_indices() {
        let rest = title[i + c.len_utf8()..].trim_start_matches('/');
        let tag_like = rest
            .get(..2)
            .is_some_and(|at| at.eq_ignore_ascii_case("at"));
        out.push(if c == '<' && tag_like { '‹' } else { c });
    }
    out
}

/// The Workflows message carrying `card`, an Adaptive Card.
pub(super) fn message(card: &Value) -> Value {
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": card,
        }],
    })
}

#[cfg(test)]
mod tests;
