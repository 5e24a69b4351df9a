//! Forgetting old state, so the database does not grow forever (see `store/retention.rs` for why
//! an entry is kept `retention` + [`SEEN_REFRESH`] after its mark).

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::columns::millis;
use super::{Failure, Pg, StoreError};
use crate::store::Pruned;
#[cfg(doc)]
use crate::store::retention::SEEN_REFRESH;
use crate::store::retention::{count_by_channel, prune_cutoffs};

impl Pg {
    /// Deletes deliveries settled or parked more than `retention` before `now`, then entries last
    /// marked seen more than `retention` + [`SEEN_REFRESH`] ago that no delivery refers to any
    /// more.
    pub async fn prune(
        &self,
        now: DateTime<Utc>,
        retention: Duration,
    ) -> Result<Pruned, StoreError> {
        let Some((cutoff, entries_cutoff)) = prune_cutoffs(now, retention) else {
            // A retention longer than the calendar keeps everything.
            return Ok(Pruned::default());
        };
        let (cutoff, entries_cutoff) = (millis(cutoff), millis(entries_cutoff));
        let mut client = self.client().await?;
        let pruned = async {
            let tx = client.transaction().await?;
            let mut settled = 0;
            // One statement per status, so each uses its partial index.
            for sql in [
                "DELETE FROM deliveries WHERE status = 'delivered' AND delivered_at < $1",
                "DELETE FROM deliveries WHERE status = 'failed' AND failed_at < $1",
            ] {
                settled += tx.execute(sql, &[&cutoff]).await?;
            }
            let parked = tx
                .query(
                    "DELETE FROM deliveries WHERE status = 'parked' AND parked_at < $1
                     RETURNING channel",
                    &[&cutoff],
                )
                .await?;
            let entries = tx
                .execute(
                    "DELETE FROM entries
                     WHERE last_seen_at < $1
                       AND NOT EXISTS (SELECT 1 FROM deliveries d
                                       WHERE d.feed = entries.feed AND d.entry_key = entries.key)",
                    &[&entries_cutoff],
                )
                .await?;
            tx.commit().await?;
            Ok::<_, Failure>(Pruned {
                settled,
                parked: count_by_channel(parked.iter().map(|row| row.get(0))),
                entries,
            })
        };
        pruned.await.map_err(|failure| self.store_error(failure))
    }
}
