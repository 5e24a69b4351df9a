//! How API values are laid out in PostgreSQL columns.
//!
//! Times are `TIMESTAMPTZ`, written at millisecond precision: what the SQLite backend keeps, so that
//! both give back the same values.

use chrono::{DateTime, Utc};

/// `at` cut to whole milliseconds, as it is stored.
pub(super) fn millis(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(at.timestamp_millis()).unwrap_or(at)
}

/// Counts and attempts that SQL arithmetic keeps non-negative; a value outside the API's range
/// saturates rather than failing a read.
pub(super) fn count_u32(value: i32) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

pub(super) fn count_u64(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// Free text (an error, a reason) as a `TEXT` column takes it: PostgreSQL refuses U+0000, which a
/// server's answer may hold; it becomes U+FFFD.
pub(super) fn text(value: &str) -> std::borrow::Cow<'_, str> {
    if value.contains('\0') {
        std::borrow::Cow::Owned(value.replace('\0', "\u{FFFD}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// An entry key as the `key` and `entry_key` columns hold it. Keys come from feeds and may hold
/// U+0000, which `TEXT` refuses: such a key is kept as its JSON string literal (quotes included),
/// which no key read from a feed starts with. The entry's JSON keeps the real key.
pub(super) fn stored_key(key: &str) -> std::borrow::Cow<'_, str> {
    if key.contains('\0') {
        std::borrow::Cow::Owned(serde_json::Value::from(key).to_string())
    } else {
        std::borrow::Cow::Borrowed(key)
    }
}

/// The key a `key` or `entry_key` column holds, as the feed gave it: the inverse of
/// [`stored_key`].
pub(super) fn real_key(stored: String) -> String {
    if stored.starts_with('"') {
        serde_json::from_str(&stored).unwrap_or(stored)
    } else {
        stored
    }
}
