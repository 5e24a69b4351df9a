//! How entries and feed info are kept in the state, whatever the backend: JSON text.

use crate::parse::{Entry, FeedInfo};

pub(super) fn encode_entry(entry: &Entry) -> Result<String, String> {
    serde_json::to_string(entry).map_err(|e| format!("cannot encode entry {}: {e}", entry.key))
}

pub(super) fn encode_info(info: &FeedInfo) -> Result<String, String> {
    serde_json::to_string(info).map_err(|e| format!("cannot encode the feed info: {e}"))
}

/// The info only decorates cards and status; an unreadable one must not stop a feed.
pub(super) fn decode_info(feed: &str, json: &str) -> FeedInfo {
    serde_json::from_str(json).unwrap_or_else(|err| {
        tracing::warn!(feed, %err, "the stored feed info is unreadable; using none");
        FeedInfo::default()
    })
}
