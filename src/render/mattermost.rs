//! Mattermost incoming webhook (Slack-compatible): one Markdown `text`.
//!
//! ```text
//! **[Release 2.0 is out](https://…)**
//! _rust-blog · Jane Doe · 27 Nov 2026 14:05 UTC_
//!
//! We shipped **bold** things …
//!
//! ![Release 2.0 is out](https://…/release-2.png)
//! ```
//!
//! The image is a Markdown image at the end of the text rather than an `attachments[].image_url`:
//! the web, desktop and mobile apps all show it under the text, the whole card stays in the one
//! field the length limit counts, and there is no attachment frame around a card that has nothing
//! else to attach. Mattermost rejects a message over [`MAX_TEXT_CHARS`] characters, so the
//! summary (already a preview of at most 3,000 characters) is cut first to fit; the title's start
//! and the link are kept.
//! <https://developers.mattermost.com/integrate/webhooks/incoming/>
//!
//! `username`, `icon_url` and `channel` are sent when configured (the server ignores them unless
//! the webhook may override them). How feed text is kept from formatting and mentioning is in
//! [`super::markup::commonmark`].

use serde_json::{Value, json};

use super::card::{ChannelCard, format_date};
use super::fit::{Fit, fit, shed_image_then_title};
use super::markup::Markup;
use super::markup::commonmark::{Commonmark, image};
use super::markup::links::honest_title;
use super::richtext::RichText;
use super::slack::add_poster_options;
use super::truncate::{Measure, truncate, truncate_rich};
use crate::config::ChannelOptions;

/// Mattermost's limit on a post's message, in characters (runes).
pub const MAX_TEXT_CHARS: usize = 16_383;

/// A card is a preview: beyond this the reader is better served by the link.
const SUMMARY_MAX_CHARS: usize = 3_000;
const BYLINE_MAX_CHARS: usize = 300;

/// Renders `card` as a Mattermost incoming-webhook body.
#[must_use]
pub fn render(card: &ChannelCard<'_>, options: &ChannelOptions) -> Value {
    let byline: Vec<String> = [
        card.feed_label(),
        card.authors().unwrap_or_default(),
        card.date().map(format_date).unwrap_or_default(),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect();
    let parts = Parts {
        title: card.display_title(),
        byline: truncate(&byline.join(" · "), BYLINE_MAX_CHARS, Measure::Chars).into_owned(),
        link: card.link().map(String::from),
        image: card.image().map(String::from),
    };
    let text = fit(
        parts,
        &truncate_rich(card.summary(), SUMMARY_MAX_CHARS),
        |text| text.chars().count() <= MAX_TEXT_CHARS,
    );
    let mut payload = json!({ "text": text });
    add_poster_options(&mut payload, options);
    payload
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
    type Output = String;

    fn render(&self, summary: &RichText) -> String {
        let title = match &self.link {
            Some(url) => Commonmark::link(
                &Commonmark::escape(&honest_title(&self.title, url), false),
                url,
            ),
            None => Commonmark::escape(&self.title, false),
        };
        // `_` at both ends of a trimmed line always reads as emphasis, whatever the text is.
        let head = if self.byline.is_empty() {
            format!("**{title}**")
        } else {
            format!("**{title}**\n_{}_", Commonmark::escape(&self.byline, false))
        };
        let mut sections = vec![head, Commonmark::write(summary)];
        if let Some(url) = &self.image {
            sections.push(image(&Commonmark::escape(&self.title, false), url));
        }
        sections.retain(|section| !section.is_empty());
        sections.join("\n\n")
    }

    /// Gives up the next part that can go, in order: the image, the title's end, the link.
    fn shed(&mut self) -> bool {
        shed_image_then_title(&mut self.image, &mut self.title) || self.link.take().is_some()
    }
}

#[cfg(test)]
#[path = "mattermost_tests.rs"]
mod tests;
