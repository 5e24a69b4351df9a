//! Pure functions from one entry and its feed ([`Card`]) to each chat platform's payload. No I/O
//! here: the delivery worker posts what these return, and the tests snapshot it.
//!
//! # How a card is made
//!
//! ```text
//! Card ─► overrides::apply ─► ChannelCard ─► <target>::render ─► Payload
//!         (summary HTML parsed    (title, link,    (payload shape; markup::* writes
//!          once: html → richtext)  date… decided)   the text, fit:: fits the limits)
//! ```
//!
//! # Layout
//!
//! The targets, one file each: the payload shape and the platform's limits, nothing else.
//!
//! | kind | file | payload | markup |
//! | --- | --- | --- | --- |
//! | `teams` | [`teams`] | Workflows message with an Adaptive Card 1.4 | [`markup::teams_md`] |
//! | `teams-messagecard` | [`messagecard`] | legacy connector MessageCard | [`markup::teams_md`] |
//! | `slack` | [`slack`] | Block Kit incoming webhook | [`markup::slack_mrkdwn`] |
//! | `discord` | [`discord`] | execute-webhook with one embed | [`markup::discord_md`] |
//! | `mattermost` | [`mattermost`] | Slack-compatible webhook, one Markdown text | [`markup::commonmark`] |
//! | `google-chat` | [`google_chat`] | space webhook with a `cardsV2` card | [`markup::gchat_text`] |
//! | `generic` | [`generic`] | feedhook's documented JSON object, or a template | [`markup::plain`] |
//! | `console` | [`console`] | a few lines of text | [`markup::plain`] |
//!
//! What they share:
//!
//! - [`card`]: a [`ChannelCard`], what every target reads: the summary as rich text, safe link
//!   and image, display title, date, authors, byline;
//! - [`overrides`]: a channel's card overrides (title prefix, summary hidden or cut), applied to
//!   the card once, before the target's renderer runs;
//! - [`html`] → [`richtext`]: the entry summary parsed into a neutral rich-text model (and
//!   written back as HTML where a target passes a cut summary on);
//! - [`markup`]: one file per markup language the targets write ([`markup::Markup`]), with the
//!   block and line writers they share and the judgement of misleading link labels;
//! - [`fit`]: the longest summary that fits a platform's limit, and the parts a card gives up
//!   when even none fits;
//! - [`clean`]: invisible and control characters removed from any feed text shown;
//! - [`truncate`]: shortening on grapheme and word boundaries, in chars, bytes or UTF-16 units.
//!
//! A new platform adds `render/<target>.rs` (with `render/<target>/tests.rs` and its snapshots),
//! a `ChannelKind` and one arm in [`render`]. If it reads a markup language none of these write,
//! that language is one more `markup/<language>.rs` implementing [`markup::Markup`], named after
//! the language, not the platform.

use crate::config::{ChannelKind, ChannelOptions};
use crate::parse::{Entry, FeedInfo};

pub mod card;
pub mod clean;
pub mod console;
pub mod discord;
pub mod fit;
pub mod generic;
pub mod google_chat;
pub mod html;
pub mod markup;
pub mod mattermost;
pub mod messagecard;
pub mod overrides;
pub mod richtext;
pub mod slack;
pub mod teams;
pub mod truncate;

pub use card::ChannelCard;

#[cfg(test)]
mod testing;

/// The neutral card: what every renderer may show, taken from an entry and its feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Card<'a> {
    /// The feed's identity from the config (its `name`, else its URL).
    pub feed_name: &'a str,
    /// The URL the feed is polled from.
    pub feed_url: &'a str,
    pub feed: &'a FeedInfo,
    pub entry: &'a Entry,
}

/// What a renderer produced for one channel.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// A JSON body to POST to the webhook.
    Json(serde_json::Value),
    /// Text for the console.
    Text(String),
    /// A body rendered from a channel's template, posted as it is.
    Body(String),
}

impl Payload {
    /// The bytes to send: compact JSON, exactly what the size budgets of the renderers measured,
    /// or the text as UTF-8.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            // Serialising a `Value` cannot fail: its keys are strings and it holds no non-finite
            // floats.
            Self::Json(value) => value.to_string().into_bytes(),
            Self::Text(text) | Self::Body(text) => text.clone().into_bytes(),
        }
    }
}

/// Renders `card` for a channel of `kind` with that channel's presentation `options`, its card
/// overrides applied first ([`overrides`]).
#[must_use]
pub fn render(kind: ChannelKind, options: &ChannelOptions, card: &Card<'_>) -> Payload {
    let card = &overrides::apply(&options.card, card);
    match kind {
        ChannelKind::Teams => Payload::Json(teams::render(card)),
        ChannelKind::TeamsMessageCard => Payload::Json(messagecard::render(card)),
        ChannelKind::Slack => Payload::Json(slack::render(card, options)),
        ChannelKind::Discord => Payload::Json(discord::render(card, options)),
        ChannelKind::Mattermost => Payload::Json(mattermost::render(card, options)),
        ChannelKind::GoogleChat => Payload::Json(google_chat::render(card)),
        ChannelKind::Generic => match &options.template {
            Some(template) => generic::render_template(card, template),
            None => Payload::Json(generic::render(card)),
        },
        ChannelKind::Console => Payload::Text(console::render(card)),
    }
}

#[cfg(test)]
mod tests;
