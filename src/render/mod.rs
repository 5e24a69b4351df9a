//! Pure functions from one neutral [`Card`] to each chat platform's payload. No I/O here: the
//! delivery worker posts what these return, and the tests snapshot it.

use chrono::{DateTime, Utc};

use crate::config::ChannelKind;
use crate::parse::{Entry, FeedInfo};

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
}

/// Renders `card` for a channel of `kind`.
#[must_use]
pub fn render(kind: ChannelKind, card: &Card<'_>) -> Payload {
    let _ = (kind, card, DateTime::<Utc>::UNIX_EPOCH);
    todo!("render helper")
}
