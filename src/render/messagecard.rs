//! Microsoft Teams through a legacy Office 365 connector webhook ("Incoming Webhook" connector):
//! a `MessageCard`, the format those connectors still require.
//! <https://learn.microsoft.com/en-us/outlook/actionable-messages/message-card-reference>
//!
//! ```json
//! {
//!   "@type": "MessageCard", "@context": "https://schema.org/extensions",
//!   "summary": "Release 2.0 is out",            // plain title: notifications and the activity feed
//!   "themeColor": "0076D7",
//!   "title": "Release 2.0 is out",              // Markdown, escaped; never a link (the reference says so)
//!   "sections": [{
//!     "activityTitle": "rust-blog",             // the feed
//!     "activitySubtitle": "Jane Doe · 27 Nov 2026 14:05 UTC",
//!     "activityImage": "https://…/img.png",     // the entry's image, https only, when it has one
//!     "text": "We shipped **bold** things…",    // the summary in the connector's Markdown
//!     "markdown": true
//!   }],
//!   "potentialAction": [{ "@type": "OpenUri", "name": "Read more",
//!                         "targets": [{ "os": "default", "uri": "https://…" }] }]  // only with a link
//! }
//! ```
//!
//! Every text field of a MessageCard is read as Markdown (and some HTML), so all feed text is
//! escaped; `summary` is the exception, kept plain because Teams shows it as is in notifications
//! and the activity feed. The connector's Markdown is a superset of what [`TeamsMd`] writes for
//! Adaptive Cards (`**`, `_`, `- `/`1. ` lists separated by `\r`, links, paragraphs split by a
//! blank line), so that language serves both.
//! <https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-format>
//!
//! Teams rejects connector messages over about 28 KB: the serialised payload stays within
//! [`MAX_PAYLOAD_BYTES`] by shortening the summary first; the title's start and the link are
//! never cut.

use serde_json::{Value, json};

use super::card::{ChannelCard, byline, format_date};
use super::fit::{Frame, Layout, fit};
use super::markup::Markup;
use super::markup::teams_md::TeamsMd;
use super::richtext::RichText;
use super::truncate::{Measure, truncate};

/// Teams' limit on a connector message body.
pub const MAX_PAYLOAD_BYTES: usize = 28_000;

const LINE_MAX_CHARS: usize = 300;

pub(super) const CONTEXT: &str = "https://schema.org/extensions";
/// Teams' own accent blue: the card reads as a neutral notification, not a status.
pub(super) const THEME_COLOR: &str = "0076D7";

/// Renders the MessageCard for `card`.
#[must_use]
pub fn render(card: &ChannelCard<'_>) -> Value {
    let parts = MessageCard {
        feed: truncate(&card.feed_label(), LINE_MAX_CHARS, Measure::Chars).into_owned(),
        subtitle: byline(
            [card.authors(), card.date().map(format_date)],
            LINE_MAX_CHARS,
        ),
    };
    fit(Frame::new(card, parts), &card.preview(), |payload| {
        payload.to_string().len() < MAX_PAYLOAD_BYTES
    })
}

/// The parts of the MessageCard besides its title, link, image and summary: plain text.
#[derive(Debug, Clone)]
struct MessageCard {
    feed: String,
    subtitle: String,
}

impl Layout for MessageCard {
    type Output = Value;

    fn render(frame: &Frame<Self>, summary: &RichText) -> Value {
        let mut section = json!({ "markdown": true });
        for (key, line) in [
            ("activityTitle", &frame.parts.feed),
            ("activitySubtitle", &frame.parts.subtitle),
        ] {
            if !line.is_empty() {
                section[key] = TeamsMd::escape(line, true).into();
            }
        }
        if let Some(image) = &frame.image {
            section["activityImage"] = image.as_str().into();
        }
        let text = TeamsMd::write(summary);
        if !text.is_empty() {
            section["text"] = text.into();
        }
        let mut card = json!({
            "@type": "MessageCard",
            "@context": CONTEXT,
            "summary": frame.title,
            "themeColor": THEME_COLOR,
            "title": TeamsMd::escape(&frame.title, true),
            "sections": [section],
        });
        if let Some(url) = &frame.link {
            card["potentialAction"] = json!([{
                "@type": "OpenUri",
                "name": "Read more",
                "targets": [{ "os": "default", "uri": url }],
            }]);
        }
        card
    }
}

#[cfg(test)]
mod tests;
