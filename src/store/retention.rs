//! How long the state keeps what it has seen, whatever the backend.
//!
//! A seen key must outlive the entry's presence in the feed: entries often drop out of a feed and
//! come back (a reordered or truncated document), and a forgotten key would be posted again. So a
//! poll that lists an entry refreshes its `last_seen_at` once that mark is [`SEEN_REFRESH`] old,
//! and an entry is forgotten only `retention` + `SEEN_REFRESH` after the mark — at least
//! `retention` after it was last listed — and never while a delivery still refers to it.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

/// How old an entry's `last_seen_at` may grow while polls keep listing it. Rewriting the mark at
/// every poll cost a row write per listed entry per poll; once an hour costs almost nothing, and
/// pruning adds the hour to the retention so that nothing is forgotten early.
pub(super) const SEEN_REFRESH: TimeDelta = TimeDelta::hours(1);

/// What pruning at `now` with `retention` deletes before: settled deliveries before the first
/// time, entries marked seen before the second. `None` for a retention longer than the calendar,
/// which keeps everything.
pub(super) fn prune_cutoffs(
    now: DateTime<Utc>,
    retention: Duration,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let cutoff = TimeDelta::from_std(retention)
        .ok()
        .and_then(|age| now.checked_sub_signed(age))?;
    Some((cutoff, cutoff.checked_sub_signed(SEEN_REFRESH)?))
}

/// A mark older than this, at a poll at `polled_at`, is rewritten by that poll.
pub(super) fn refresh_before(polled_at: DateTime<Utc>) -> DateTime<Utc> {
    polled_at
        .checked_sub_signed(SEEN_REFRESH)
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// How many of `channels` (one name per row deleted) name each channel, by name.
pub(super) fn count_by_channel(channels: impl IntoIterator<Item = String>) -> Vec<(String, u64)> {
    let mut counts = std::collections::BTreeMap::<String, u64>::new();
    for channel in channels {
        *counts.entry(channel).or_default() += 1;
    }
    counts.into_iter().collect()
}

/// Until when pruning with `retention` keeps a delivery parked at `parked_at`.
#[must_use]
pub fn kept_until(parked_at: DateTime<Utc>, retention: Duration) -> DateTime<Utc> {
    TimeDelta::from_std(retention)
        .ok()
        .and_then(|age| parked_at.checked_add_signed(age))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}
