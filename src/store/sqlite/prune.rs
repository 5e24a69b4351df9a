//! Forgetting old state, so the file does not grow forever.
//!
//! A seen key must outlive the entry's presence in the feed: entries often drop out of a feed and
//! come back (a reordered or truncated document), and a forgotten key would be posted again. So
//! a poll that lists an entry refreshes its `last_seen_at` once that mark is [`SEEN_REFRESH`] old,
//! and an entry is forgotten only `retention` + `SEEN_REFRESH` after the mark — at least
//! `retention` after it was last listed — and never while a delivery still refers to it.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::{TransactionBehavior, params};

use super::columns::Millis;
use super::{Db, StoreError};

/// How old an entry's `last_seen_at` may grow while polls keep listing it. Rewriting the mark at
/// every poll cost a row write per listed entry per poll; once an hour costs almost nothing, and
/// pruning adds the hour to the retention so that nothing is forgotten early.
pub(super) const SEEN_REFRESH: TimeDelta = TimeDelta::hours(1);

impl Db {
    /// Deletes deliveries settled (delivered or dead-lettered) more than `retention` before `now`,
    /// then entries last marked seen more than `retention` + [`SEEN_REFRESH`] ago that no delivery
    /// refers to any more.
    /// Returns how many rows (deliveries and entries) were deleted.
    pub fn prune(&self, now: DateTime<Utc>, retention: Duration) -> Result<u64, StoreError> {
        let cutoffs = TimeDelta::from_std(retention)
            .ok()
            .and_then(|age| now.checked_sub_signed(age))
            .and_then(|cutoff| Some((cutoff, cutoff.checked_sub_signed(SEEN_REFRESH)?)));
        let Some((cutoff, entries_cutoff)) = cutoffs else {
            // A retention longer than the calendar keeps everything.
            return Ok(0);
        };
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let (cutoff, entries_cutoff) = (Millis(cutoff), Millis(entries_cutoff));
            // Two statements, so each uses its partial index.
            let delivered = tx.execute(
                "DELETE FROM deliveries WHERE status = 'delivered' AND delivered_at < ?1",
                params![cutoff],
            )?;
            let failed = tx.execute(
                "DELETE FROM deliveries WHERE status = 'failed' AND failed_at < ?1",
                params![cutoff],
            )?;
            let entries = tx.execute(
                "DELETE FROM entries
                 WHERE last_seen_at < ?1
                   AND NOT EXISTS (SELECT 1 FROM deliveries d
                                   WHERE d.feed = entries.feed AND d.entry_key = entries.key)",
                params![entries_cutoff],
            )?;
            tx.commit()?;
            Ok((delivered + failed + entries) as u64)
        })
    }
}

#[cfg(test)]
mod tests;
