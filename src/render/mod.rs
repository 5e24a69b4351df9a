//! Pure functions from one entry and its feed ([`Card`]) to each chat platform's payload. No I/O
//! here: the delivery worker posts what these return, and the tests snapshot it. [`render`] is
//! the one entry point; the worker calls it through [`render_off_worker`], on tokio's blocking
//! threads. Only a channel's template can fail ([`RenderError`]): that delivery fails, with the
//! reason.
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
//! | `matrix` | [`matrix`] | `m.room.message` content, `body` and `formatted_body` | [`markup::chat_html`] |
//! | `telegram` | [`telegram`] | Bot API `sendMessage`, HTML parse mode | [`markup::chat_html`] |
//! | `email` | [`email`] | a message's subject, plain-text and HTML parts | [`markup::plain`], [`html`] |
//! | `ntfy` | [`ntfy`] | JSON publish: title, message, click, tags, priority | [`markup::plain`] |
//! | `rocketchat` | [`rocketchat`] | incoming webhook with one attachment | [`markup::commonmark`] |
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
//! - [`mention`]: a channel's configured mentions, added where each platform pings from;
//! - [`clean`]: invisible and control characters removed from any feed text shown;
//! - [`truncate`]: shortening on grapheme and word boundaries, in chars, bytes or UTF-16 units.
//!
//! A new platform adds `render/<target>.rs` (with `render/<target>/tests.rs` and its snapshots),
//! a `ChannelKind` and one arm in [`render`]. If it reads a markup language none of these write,
//! that language is one more `markup/<language>.rs` implementing [`markup::Markup`], named after
//! the language, not the platform.

use crate::config::{ChannelKind, ChannelOptions, Template};
use crate::parse::{Entry, FeedInfo};

pub mod card;
pub mod clean;
pub mod console;
pub mod digest;
pub mod discord;
pub mod email;
pub mod fit;
pub mod generic;
pub mod google_chat;
pub mod html;
pub mod markup;
pub mod matrix;
pub mod mattermost;
pub mod mention;
pub mod messagecard;
pub mod ntfy;
pub mod overrides;
pub mod richtext;
pub mod rocketchat;
pub mod slack;
pub mod teams;
pub mod telegram;
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
    /// The parts of an email; delivery makes the message.
    Email(email::EmailParts),
}

impl Payload {
    /// The bytes to send: compact JSON, exactly what the size budgets of the renderers measured,
    /// or the text as UTF-8; of an email, its plain-text part (the message is made in delivery).
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            // Serialising a `Value` cannot fail: its keys are strings and it holds no non-finite
            // floats.
            Self::Json(value) => value.to_string().into_bytes(),
            Self::Text(text) | Self::Body(text) => text.clone().into_bytes(),
            Self::Email(parts) => parts.text.clone().into_bytes(),
        }
    }
}

/// Renders `card` for a channel of `kind` with that channel's presentation `options`, its card
/// overrides applied first ([`overrides`]).
///
/// # Errors
///
/// Only a channel's templates can fail ([`generic::render_template`], a Discord forum's
/// [`discord::render_post`]); every other target renders every card.
pub fn render(
    kind: ChannelKind,
    options: &ChannelOptions,
    card: &Card<'_>,
) -> Result<Payload, RenderError> {
    let card = &overrides::apply(&options.card, card);
    let payload = by_kind(kind, options, card)?;
    Ok(match payload {
        Payload::Json(value) => Payload::Json(mention::add(kind, &options.mention, value)),
        other => other,
    })
}

/// The payload of `kind`, before the channel's mentions.
fn by_kind(
    kind: ChannelKind,
    options: &ChannelOptions,
    card: &ChannelCard<'_>,
) -> Result<Payload, RenderError> {
    Ok(match kind {
        ChannelKind::Teams => Payload::Json(teams::render(card, &options.mention)),
        ChannelKind::TeamsMessageCard => Payload::Json(messagecard::render(card)),
        ChannelKind::Slack => Payload::Json(slack::render(card, options)),
        ChannelKind::Discord => Payload::Json(discord::render_post(card, options)?),
        ChannelKind::Mattermost => Payload::Json(mattermost::render(card, options)),
        ChannelKind::GoogleChat => Payload::Json(google_chat::render(card)),
        ChannelKind::Matrix => Payload::Json(matrix::render(card)),
        ChannelKind::Telegram => Payload::Json(telegram::render(card)),
        ChannelKind::Email => Payload::Email(email::render(card)),
        ChannelKind::Ntfy => Payload::Json(ntfy::render(card, options)),
        ChannelKind::Rocketchat => Payload::Json(rocketchat::render(card, options)),
        ChannelKind::Generic => match &options.template {
            Some(template) => return generic::render_template(card, template),
            None => Payload::Json(generic::render(card)),
        },
        ChannelKind::Console => Payload::Text(console::render(card)),
    })
}

/// Renders like [`render`], but on tokio's blocking threads: what the delivery worker calls. A
/// render is bounded (a template by its fuel, depth and output cap, every target by its limits),
/// but it is CPU work that can take milliseconds, and the async workers must stay free to post
/// for the other channels, answer `/healthz` and hear SIGTERM meanwhile.
///
/// # Errors
///
/// As [`render`]; and a renderer that panics costs this card only ([`RenderError::Bug`]).
pub async fn render_off_worker(
    kind: ChannelKind,
    options: &ChannelOptions,
    card: &Card<'_>,
) -> Result<Payload, RenderError> {
    let (options, source) = (options.clone(), OwnedCard::from(card));
    off_worker(move || render(kind, &options, &source.card())).await?
}

/// Renders the digest of `cards` like [`digest::render_digest`], on tokio's blocking threads (see
/// [`render_off_worker`]).
///
/// # Errors
///
/// A renderer that panics costs this digest ([`RenderError::Bug`]).
pub async fn render_digest_off_worker(
    kind: ChannelKind,
    options: &ChannelOptions,
    cards: &[Card<'_>],
    zone: chrono_tz::Tz,
) -> Result<Vec<digest::Part<Payload>>, RenderError> {
    let options = options.clone();
    let sources: Vec<OwnedCard> = cards.iter().map(OwnedCard::from).collect();
    off_worker(move || {
        let cards: Vec<Card<'_>> = sources.iter().map(OwnedCard::card).collect();
        digest::render_digest(kind, &options, &cards, zone)
    })
    .await
}

/// Runs `work` on tokio's blocking threads and waits for it without holding an async worker.
async fn off_worker<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, RenderError> {
    tokio::task::spawn_blocking(work).await.map_err(|error| {
        if error.is_panic() {
            RenderError::Bug
        } else {
            RenderError::Interrupted
        }
    })
}

/// What a [`Card`] borrows, owned, to be moved to another thread.
struct OwnedCard {
    feed_name: String,
    feed_url: String,
    feed: FeedInfo,
    entry: Entry,
}

impl OwnedCard {
    fn from(card: &Card<'_>) -> Self {
        Self {
            feed_name: card.feed_name.to_owned(),
            feed_url: card.feed_url.to_owned(),
            feed: card.feed.clone(),
            entry: card.entry.clone(),
        }
    }

    fn card(&self) -> Card<'_> {
        Card {
            feed_name: &self.feed_name,
            feed_url: &self.feed_url,
            feed: &self.feed,
            entry: &self.entry,
        }
    }
}

/// Why a card could not be rendered for a channel. It fails that delivery, never the channel:
/// the reason is stored with the delivery, logged, and shown by `preview`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// The channel's template failed: an undefined value or attribute, an unknown filter, a value
    /// of the wrong type, nesting deeper than [`Template::RECURSION_LIMIT`], …
    #[error("the template failed{}: {reason}", located(*.line, .expression.as_deref()))]
    Template {
        /// The line in the template.
        line: Option<usize>,
        /// The part of the template that failed, as written (whitespace collapsed, shortened).
        expression: Option<String>,
        /// What went wrong, in minijinja's words.
        reason: String,
    },
    /// The template ran [`Template::FUEL`] steps without finishing.
    #[error(
        "the template was stopped{} after {} steps (a loop over too many items, or one inside another?)",
        located(*.line, None),
        Template::FUEL
    )]
    OutOfFuel { line: Option<usize> },
    /// The template wrote more than `limit` bytes ([`generic::MAX_TEMPLATE_BYTES`]).
    #[error("the template was stopped after writing {limit} bytes, the most it may write")]
    TooLarge { limit: usize },
    /// A Discord channel's `thread_name` template failed as above.
    #[error("thread_name: {0}")]
    ThreadName(Box<RenderError>),
    /// A renderer panicked: a feedhook bug.
    #[error("the card could not be rendered (a feedhook bug: please report it with the feed)")]
    Bug,
    /// The render was dropped before it ran: feedhook is stopping.
    #[error("the card was not rendered: feedhook is stopping")]
    Interrupted,
}

/// ` at line 3, in `entry.titel``, or what of it is known.
fn located(line: Option<usize>, expression: Option<&str>) -> String {
    let line = line.map_or_else(String::new, |line| format!(" at line {line}"));
    match expression {
        Some(expression) => format!("{line}, in `{expression}`"),
        None => line,
    }
}

#[cfg(test)]
mod tests;
