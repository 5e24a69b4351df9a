//! The entries `feedhook check` renders every template for, so that a template that fails on a
//! real entry fails there first: one with every field set, and one with only what every entry
//! has (a key), from a feed with neither title nor home page.

use chrono::{TimeZone, Utc};

use crate::parse::{Entry, FeedInfo};
use crate::render::Card;

/// A feed and one of its entries, owning what a [`Card`] borrows.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Which entry this is, as `check` names it: "an entry with every field set", ….
    pub description: &'static str,
    feed: FeedInfo,
    entry: Entry,
}

impl Sample {
    /// The card a delivery would render for this entry.
    #[must_use]
    pub fn card(&self) -> Card<'_> {
        Card {
            feed_name: "example-feed",
            feed_url: "https://blog.example.com/feed.xml",
            feed: &self.feed,
            entry: &self.entry,
        }
    }
}

/// The two sample entries, the complete one first.
#[must_use]
pub fn samples() -> [Sample; 2] {
    [complete(), bare()]
}

fn complete() -> Sample {
    Sample {
        description: "an entry with every field set",
        feed: FeedInfo {
            title: Some("Example Blog".into()),
            link: Some("https://blog.example.com/".into()),
        },
        entry: Entry {
            key: "tag:blog.example.com,2026:release-2".into(),
            id: Some("tag:blog.example.com,2026:release-2".into()),
            title: Some("Release 2.0 is out".into()),
            link: Some("https://blog.example.com/posts/release-2".into()),
            published: Utc.with_ymd_and_hms(2026, 11, 27, 14, 5, 0).single(),
            updated: Utc.with_ymd_and_hms(2026, 11, 28, 9, 30, 0).single(),
            authors: vec!["Jane Doe".into(), "Ann Smith".into()],
            summary_html: Some(
                "<p>We shipped <b>bold</b> things. Read the \
                 <a href=\"https://blog.example.com/docs\">upgrade guide</a>.</p>"
                    .into(),
            ),
            categories: vec!["release".into(), "rust".into()],
            image: Some("https://blog.example.com/img/release-2.png".into()),
        },
    }
}

fn bare() -> Sample {
    Sample {
        description: "an entry without title, link, dates, authors, summary, categories or image",
        feed: FeedInfo::default(),
        entry: Entry {
            key: "sha256:3f2c5e0b6d1a".into(),
            ..Entry::default()
        },
    }
}

#[cfg(test)]
mod tests;
