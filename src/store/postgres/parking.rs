//! Deliveries parked while their channel is out of the config (see `sqlite/parking.rs`: the same
//! rules).

use chrono::{DateTime, Utc};

use super::columns::millis;
use super::{Failure, Pg, StoreError};
use crate::store::ChannelParking;
use crate::store::retention::count_by_channel;

impl Pg {
    /// Parks the pending deliveries of every channel not in `keep` at `at`, and puts the parked
    /// deliveries of the channels in `keep` back in the queue, due at once; in one transaction.
    /// Ids do not change, so restored deliveries go out before anything queued since.
    pub async fn park_channels_not_in(
        &self,
        keep: &[String],
        at: DateTime<Utc>,
    ) -> Result<ChannelParking, StoreError> {
        let mut client = self.client().await?;
        let parking = async {
            let tx = client.transaction().await?;
            let parked = tx
                .query(
                    "UPDATE deliveries SET status = 'parked', parked_at = $2
                     WHERE status = 'pending' AND NOT (channel = ANY($1))
                     RETURNING channel",
                    &[&keep, &millis(at)],
                )
                .await?;
            let restored = tx
                .query(
                    "UPDATE deliveries
                     SET status = 'pending', parked_at = NULL, next_attempt_at = $2
                     WHERE status = 'parked' AND channel = ANY($1)
                     RETURNING channel",
                    &[&keep, &millis(at)],
                )
                .await?;
            tx.commit().await?;
            Ok::<_, Failure>(ChannelParking {
                parked: count_by_channel(parked.iter().map(|row| row.get(0))),
                restored: count_by_channel(restored.iter().map(|row| row.get(0))),
            })
        };
        parking.await.map_err(|failure| self.store_error(failure))
    }

    /// The channels that have parked deliveries, by name.
    pub async fn parked_channels(&self) -> Result<Vec<String>, StoreError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT DISTINCT channel FROM deliveries WHERE status = 'parked' ORDER BY channel",
                &[],
            )
            .await
            .map_err(|error| self.store_error(error.into()))?;
        Ok(rows.iter().map(|row| row.get(0)).collect())
    }
}
