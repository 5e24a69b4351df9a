//! The normalised entry model that the store keeps and the renderers read.
//!
//! How feed-rs's model (and so Atom 0.3/1.0, RSS 0.9x/1.0/2.0 and JSON Feed) maps onto each
//! field is documented per field; `docs/parsing.md` sums it up per format and lists where
//! feedhook reads a feed differently from other readers, and why.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A feed's own metadata, as of the latest poll.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedInfo {
    /// The feed's title as plain text, read as [`Entry::title`] is (RSS `title`, else
    /// `dc:title`; Atom `title`; JSON Feed `title`).
    pub title: Option<String>,
    /// The feed's home page (Atom `link rel=alternate`, RSS `channel/link`, JSON Feed `home_page_url`).
    pub link: Option<String>,
}

/// A parsed feed document: its metadata and its entries in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedFeed {
    pub info: FeedInfo,
    pub entries: Vec<Entry>,
    /// How many entries the document holds (RSS `item` and Atom `entry` elements, JSON Feed
    /// `items`) that are not among `entries` because the parser could not read them: an entry is
    /// never dropped without a trace, so a caller reports a count above zero.
    pub unread_entries: usize,
    /// The WebSub hubs and topic the document advertises at feed level.
    pub hubs: super::HubLinks,
}

/// One entry of a feed, normalised.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The dedupe key: the id/guid as published; without one the link; without either
    /// `sha256:` and a hash of title and content. Never feed-rs's generated id.
    pub key: String,
    /// The id/guid as the feed published it, surrounding whitespace trimmed (Atom `id`, RSS
    /// `guid`, JSON Feed `id`, a number there as its decimal text). RSS 1.0 has none.
    pub id: Option<String>,
    /// The title as plain text: entities decoded, markup removed (with the contents of scripts,
    /// styles and templates), whitespace collapsed, control characters dropped. Atom
    /// `type="html"`/`"xhtml"` titles are read as HTML, Atom `type="text"` and JSON Feed titles
    /// as text whose entity references are decoded once. RSS does not say: its titles are HTML
    /// when they read as HTML (an end tag of an HTML element, a block or void element, an
    /// attribute value, a comment), else text, so that `Vec&lt;T&gt;` stays `Vec<T>`. Raw child
    /// elements are part of the text; base64 (Atom 0.3 `mode="base64"`) is decoded. Without a
    /// title: RSS `dc:title`, else a Media RSS or `itunes:title`.
    pub title: Option<String>,
    /// The entry's web page, absolute (resolved against `xml:base` and the feed URL), http or
    /// https only: the first link without a `rel` or with `rel="alternate"` and an HTML or no
    /// type (Atom `link`, RSS `link`, JSON Feed `url`, else `external_url`). An RSS item without
    /// a `link` has its `guid` here when that is a permalink (`isPermaLink` absent or true) and
    /// an absolute http(s) URL.
    pub link: Option<String>,
    /// Atom `published` (0.3 `issued`), RSS `pubDate` (or `dc:date`), JSON Feed
    /// `date_published`.
    pub published: Option<DateTime<Utc>>,
    /// Atom `updated` (0.3 `modified`), JSON Feed `date_modified`; in RSS only an `atom:updated`
    /// that differs from `pubDate`.
    pub updated: Option<DateTime<Utc>>,
    /// Author names (or e-mail addresses when no name is given), without repeats: Atom
    /// `author`, RSS `author` (`address (Name)` gives `Name`) and `dc:creator`, else the item's
    /// `itunes:author`, JSON Feed `authors`. An entry without one inherits the feed's (Atom
    /// `author`, JSON Feed `authors`, RSS `itunes:author` or RSS 1.0 `dc:creator`).
    pub authors: Vec<String>,
    /// The summary as HTML: Atom `summary`, else `content` (`type="xhtml"` included, base64
    /// decoded when it is text); RSS `description`, else `content:encoded` (or an `xhtml:body`),
    /// else `dc:description`; then a Media RSS `description` or `itunes:summary`; JSON Feed
    /// `summary`, else `content_html`, else `content_text`. HTML is kept as published (the
    /// renderers read it as a browser does and leave script and style contents out of every
    /// card); text (Atom `type="text"`, JSON Feed `summary` and `content_text`, an RSS
    /// description that does not read as HTML) is HTML-escaped, so it reads back as the same
    /// text. Renderers turn it into each platform's dialect.
    pub summary_html: Option<String>,
    /// Category labels (or terms when no label is given), without repeats: Atom `category`,
    /// RSS `category` and `dc:subject`, JSON Feed `tags`.
    pub categories: Vec<String>,
    /// An image for the card, https only: a media thumbnail (Media RSS, `itunes:image`), else an
    /// image enclosure or attachment (Atom `rel="enclosure"`, JSON Feed `image`, `banner_image`
    /// and attachments), else an RSS enclosure or Media RSS content of an image type (or
    /// `medium="image"`).
    pub image: Option<String>,
}

#[cfg(test)]
mod tests;
