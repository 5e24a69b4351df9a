//! The note posted instead of a flood: when one poll finds more new entries than the feed's
//! `max_new_per_poll` (a publisher that rewrote every id, a feed that moved platform), the newest are
//! posted and the others are listed in one card.

use std::fmt::Write;

use chrono::{DateTime, Utc};

use crate::parse::{Entry, FeedInfo};

/// How many held-back entries the note lists by title.
const LISTED: usize = 10;

/// The note entry for `held_back` (oldest first) of `feed`, polled at `at`.
#[must_use]
pub fn overflow_note(
    feed: &str,
    info: &FeedInfo,
    held_back: &[&Entry],
    at: DateTime<Utc>,
) -> Entry {
    let count = held_back.len();
    let mut summary = format!(
        "<p>{count} more new entries arrived in one poll, more than this feed's max_new_per_poll. \
         They were recorded as seen and not posted one by one:</p><ul>"
    );
    for entry in held_back.iter().rev().take(LISTED) {
        let title = escape(entry.title.as_deref().unwrap_or("(untitled)"));
        match &entry.link {
            Some(link) => {
                let _ = write!(summary, "<li><a href=\"{}\">{title}</a></li>", escape(link));
            }
            None => {
                let _ = write!(summary, "<li>{title}</li>");
            }
        }
    }
    summary.push_str("</ul>");
    if count > LISTED {
        let _ = write!(summary, "<p>…and {} more.</p>", count - LISTED);
    }
    Entry {
        key: format!("feedhook:held-back:{}", at.timestamp_millis()),
        title: Some(format!(
            "…and {count} more from {}",
            info.title.as_deref().unwrap_or(feed)
        )),
        link: info.link.clone(),
        published: Some(at),
        summary_html: Some(summary),
        ..Entry::default()
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests;
