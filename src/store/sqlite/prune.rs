//! Forgetting old state, so the file does not grow forever.
//!
//! Why an entry is kept `retention` + [`SEEN_REFRESH`] after its mark: `store/retention.rs`.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{TransactionBehavior, params};

use super::columns::Millis;
use super::{Db, StoreError};
use crate::store::Pruned;
#[cfg(doc)]
use crate::store::retention::SEEN_REFRESH;
use crate::store::retention::{count_by_channel, prune_cutoffs};

impl Db {
    /// Deletes deliveries settled (delivered or dead-lettered) or parked more than `retention`
    /// before `now`, then entries last marked seen more than `retention` + [`SEEN_REFRESH`] ago
    /// that no delivery refers to any more.
    pub fn prune(&self, now: DateTime<Utc>, retention: Duration) -> Result<Pruned, StoreError> {
        let Some((cutoff, entries_cutoff)) = prune_cutoffs(now, retention) else {
            // A retention longer than the calendar keeps everything.
            return Ok(Pruned::default());
        };
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let (cutoff, entries_cutoff) = (Millis(cutoff), Millis(entries_cutoff));
            // One statement per status, so each uses its partial index.
            let delivered = tx.execute(
                "DELETE FROM deliveries WHERE status = 'delivered' AND delivered_at < ?1",
                params![cutoff],
            )?;
            let failed = tx.execute(
                "DELETE FROM deliveries WHERE status = 'failed' AND failed_at < ?1",
                params![cutoff],
            )?;
            let parked = tx
                .prepare(
                    "DELETE FROM deliveries WHERE status = 'parked' AND parked_at < ?1
                     RETURNING channel",
                )?
                .query_map(params![cutoff], |row| row.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            let entries = tx.execute(
                "DELETE FROM entries
                 WHERE last_seen_at < ?1
                   AND NOT EXISTS (SELECT 1 FROM deliveries d
                                   WHERE d.feed = entries.feed AND d.entry_key = entries.key)",
                params![entries_cutoff],
            )?;
            tx.commit()?;
            Ok(Pruned {
                settled: (delivered + failed) as u64,
                parked: count_by_channel(parked),
                entries: entries as u64,
            })
        })
    }
}

#[cfg(test)]
mod tests;
