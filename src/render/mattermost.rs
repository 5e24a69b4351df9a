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
//! summary (already a preview of at most 3,000 characters) is cut first to fit; then the image
//! and the title's end go, and the link only when nothing else is left.
//! <https://developers.mattermost.com/integrate/webhooks/incoming/>
//!
//! `username`, `icon_url` and `channel` are sent when configured (the server ignores them unless
//! the webhook may override them). How feed text is kept from formatting and mentioning is in
//! [`super::markup::commonmark`].

use serde_json::{Value, json};

use super::card::{ChannelCard, byline, format_date};
use super::fit::{Frame, Layout, fit};
use super::markup::Markup;
use super::markup::commonmark::{Commonmark, image};
use super::markup::links::honest_title;
use super::richtext::RichText;
use super::slack::add_poster_options;
use crate::config::ChannelOptions;

/// Mattermost's limit on a post's message, in characters (runes).
pub const MAX_TEXT_CHARS: usize = 16_383;

const BYLINE_MAX_CHARS: usize = 300;

/// Renders `card` as a Mattermost incoming-webhook body.
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
    let text = fit(Frame::new(card, Post { byline }), &card.preview(), |text| {
        text.chars().count() <= MAX_TEXT_CHARS
    });
    let mut payload = json!({ "text": text });
    add_poster_options(&mut payload, options);
    payload
}

/// The parts of the post besides its title, link, image and summary: plain text.
#[derive(Debug, Clone)]
struct Post {
    byline: String,
}

impl Layout for Post {
    type Output = String;
    // A post too long for Mattermost is rejected whole: a card without its link is better.
    const SHEDS_LINK: bool = true;

    fn render(frame: &Frame<Self>, summary: &RichText) -> String {
        let title = match &frame.link {
            Some(url) => Commonmark::link(
                &Commonmark::escape(&honest_title(&frame.title, url), false),
                url,
            ),
            None => Commonmark::escape(&frame.title, false),
        };
        // `_` at both ends of a trimmed line always reads as emphasis, whatever the text is.
        let head = if frame.parts.byline.is_empty() {
            format!("**{title}**")
        } else {
            format!(
                "**{title}**\n_{}_",
                Commonmark::escape(&frame.parts.byline, false)
            )
        };
        let mut sections = vec![head, Commonmark::write(summary)];
        if let Some(url) = &frame.image {
            sections.push(image(&Commonmark::escape(&frame.title, false), url));
        }
        sections.retain(|section| !section.is_empty());
        sections.join("\n\n")
    }
}

#[cfg(test)]
mod tests;
