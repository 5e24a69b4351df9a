//! The normalised entry model that the store keeps and the renderers read.
//!
//! How feed-rs's model (and so Atom, RSS 0.9x/1.0/2.0 and JSON Feed) maps onto each field is
//! documented per field.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A feed's own metadata, as of the latest poll.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedInfo {
    /// The feed's title as plain text (entities decoded, markup removed).
    pub title: Option<String>,
    /// The feed's home page (Atom `link rel=alternate`, RSS `channel/link`, JSON Feed `home_page_url`).
    pub link: Option<String>,
}

/// A parsed feed document: its metadata and its entries in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedFeed {
    pub info: FeedInfo,
    pub entries: Vec<Entry>,
}

/// One entry of a feed, normalised.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The dedupe key: the id/guid as published; without one the link; without either
    /// `sha256:` and a hash of title and content. Never feed-rs's generated id.
    pub key: String,
    /// The id/guid exactly as the feed published it (Atom `id`, RSS `guid`, JSON Feed `id`).
    pub id: Option<String>,
    /// The title as plain text: entities decoded, markup removed, whitespace collapsed.
    pub title: Option<String>,
    /// The entry's web page, absolute (resolved against the feed URL), http or https only.
    pub link: Option<String>,
    /// Atom `published`, RSS `pubDate`, JSON Feed `date_published`.
    pub published: Option<DateTime<Utc>>,
    /// Atom `updated`, JSON Feed `date_modified`.
    pub updated: Option<DateTime<Utc>>,
    /// Author names (or e-mail addresses when no name is given).
    pub authors: Vec<String>,
    /// The summary as published, HTML or text: Atom `summary`, else `content`; RSS `description`,
    /// else `content:encoded`; JSON Feed `summary`, else `content_html`, else `content_text`.
    /// Renderers turn it into each platform's dialect.
    pub summary_html: Option<String>,
    /// Category labels (or terms when no label is given).
    pub categories: Vec<String>,
    /// An image for the card: media thumbnail, an image enclosure or media content, https only.
    pub image: Option<String>,
}
