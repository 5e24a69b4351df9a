//! Forgetting old state, so the database does not grow forever (see `sqlite/prune.rs` for why an
//! entry is kept `retention` after it was last listed).

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use super::columns::millis;
use super::{Failure, Pg, StoreError};

impl Pg {
    /// Deletes deliveries settled more than `retention` before `now`, then entries last seen more
    /// than `retention` ago that no delivery refers to any more. Returns how many rows went.
    pub async fn prune(&self, now: DateTime<Utc>, retention: Duration) -> Result<u64, StoreError> {
        let Some(cutoff) = TimeDelta::from_std(retention)
            .ok()
            .and_then(|age| now.checked_sub_signed(age))
        else {
            // A retention longer than the calendar keeps everything.
            return Ok(0);
        };
        let cutoff = millis(cutoff);
        let mut client = self.client().await?;
        let pruned = async {
            let tx = client.transaction().await?;
            let mut deleted = 0;
            for sql in [
                "DELETE FROM deliveries WHERE status = 'delivered' AND delivered_at < $1",
                "DELETE FROM deliveries WHERE status = 'failed' AND failed_at < $1",
                "DELETE FROM entries
                 WHERE last_seen_at < $1
                   AND NOT EXISTS (SELECT 1 FROM deliveries d
                                   WHERE d.feed = entries.feed AND d.entry_key = entries.key)",
            ] {
                deleted += tx.execute(sql, &[&cutoff]).await?;
            }
            tx.commit().await?;
            Ok::<_, Failure>(deleted)
        };
        pruned.await.map_err(|failure| self.store_error(failure))
    }
}
