//! Forgetting old state, so the database does not grow forever (see `store/retention.rs` for why
//! an entry is kept `retention` + [`SEEN_REFRESH`] after its mark).

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::columns::millis;
use super::{Failure, Pg, StoreError};
#[cfg(doc)]
use crate::store::retention::SEEN_REFRESH;
use crate::store::retention::prune_cutoffs;

impl Pg {
    /// Deletes deliveries settled more than `retention` before `now`, then entries last marked seen
    /// more than `retention` + [`SEEN_REFRESH`] ago that no delivery refers to any more. Returns how many rows went.
    pub async fn prune(&self, now: DateTime<Utc>, retention: Duration) -> Result<u64, StoreError> {
        let Some((cutoff, entries_cutoff)) = prune_cutoffs(now, retention) else {
            // A retention longer than the calendar keeps everything.
            return Ok(0);
        };
        let (cutoff, entries_cutoff) = (millis(cutoff), millis(entries_cutoff));
        let mut client = self.client().await?;
        let pruned = async {
            let tx = client.transaction().await?;
            let mut deleted = 0;
            for (sql, before) in [
                (
                    "DELETE FROM deliveries WHERE status = 'delivered' AND delivered_at < $1",
                    cutoff,
                ),
                (
                    "DELETE FROM deliveries WHERE status = 'failed' AND failed_at < $1",
                    cutoff,
                ),
                (
                    "DELETE FROM entries
                 WHERE last_seen_at < $1
                   AND NOT EXISTS (SELECT 1 FROM deliveries d
                                   WHERE d.feed = entries.feed AND d.entry_key = entries.key)",
                    entries_cutoff,
                ),
            ] {
                deleted += tx.execute(sql, &[&before]).await?;
            }
            tx.commit().await?;
            Ok::<_, Failure>(deleted)
        };
        pruned.await.map_err(|failure| self.store_error(failure))
    }
}
