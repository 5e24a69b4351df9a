//! What a digest channel's worker asks of the outbox (see `sqlite/digest.rs`: the same rules).

use chrono::{DateTime, Utc};

use super::columns::millis;
use super::outbox::{NOTE_DELIVERED, OLDEST_PENDING, pending, settle_failed};
use super::{DeliveryId, Failure, PendingDelivery, Pg, StoreError, sharing};
use crate::parse::Entry;
use crate::store::LeaseKind;

impl Pg {
    /// The oldest `limit` pending deliveries of `channel`, oldest first; unreadable stored
    /// entries are dead-lettered on the way.
    pub async fn pending_deliveries(
        &self,
        channel: &str,
        limit: usize,
    ) -> Result<Vec<PendingDelivery>, StoreError> {
        let fence = self.sharing.epochs(LeaseKind::Channel);
        let client = self.client().await?;
        let read = async {
            let rows = client
                .query(OLDEST_PENDING, &[&channel, &(limit as i64)])
                .await?;
            let mut deliveries = Vec::with_capacity(rows.len());
            for row in rows {
                match serde_json::from_str::<Entry>(row.get(6)) {
                    Ok(entry) => deliveries.push(pending(&row, entry)),
                    Err(err) => {
                        let id = DeliveryId(row.get(0));
                        tracing::warn!(delivery = id.0, channel, %err, "unreadable stored entry");
                        let reason = format!("the stored entry is unreadable: {err}");
                        settle_failed(&**client, id, Utc::now(), &reason, &fence).await?;
                    }
                }
            }
            Ok::<_, Failure>(deliveries)
        };
        read.await.map_err(|failure| self.store_error(failure))
    }

    /// Marks the deliveries `ids` of `channel` sent together (those still pending or parked), and notes
    /// when the channel last received one. Returns how many were marked. On a shared database the
    /// pending ones are marked only while this instance holds the channel's lease
    /// ([`StoreError::Fenced`] otherwise: the new holder posts them again); parked ones, whose
    /// channel left the config with its lease, are marked regardless.
    pub async fn mark_all_delivered(
        &self,
        channel: &str,
        ids: &[DeliveryId],
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let (owner, epochs) = self.sharing.epochs(LeaseKind::Channel);
        let held_sql = format!(
            "SELECT {}",
            sharing::fence(LeaseKind::Channel, "$1::text", 2, 3)
        );
        let mut client = self.client().await?;
        let marked = async {
            let tx = client.transaction().await?;
            let held: bool = tx
                .query_one(&held_sql, &[&channel, &owner, &epochs])
                .await?
                .get(0);
            let marked = tx
                .execute(
                    "UPDATE deliveries SET status = 'delivered', delivered_at = $3, parked_at = NULL
                     WHERE id = ANY($1) AND channel = $2
                       AND (status = 'parked' OR (status = 'pending' AND $4))",
                    &[&ids, &channel, &millis(at), &held],
                )
                .await?;
            if !held {
                let fenced: bool = tx
                    .query_one(
                        "SELECT EXISTS (SELECT 1 FROM deliveries
                                        WHERE id = ANY($1) AND status = 'pending')",
                        &[&ids],
                    )
                    .await?
                    .get(0);
                if fenced {
                    return Err(Failure::Fenced(format!("channel {channel}")));
                }
            }
            tx.execute(NOTE_DELIVERED, &[&channel, &millis(at)]).await?;
            tx.commit().await?;
            Ok::<_, Failure>(marked)
        };
        marked.await.map_err(|failure| self.store_error(failure))
    }

    /// Notes that a digest of `channel` was posted at `at`.
    pub async fn record_digest(&self, channel: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO channels (name, last_digest_at) VALUES ($1, $2)
                 ON CONFLICT (name) DO UPDATE SET last_digest_at = excluded.last_digest_at",
                &[&channel, &millis(at)],
            )
            .await
            .map(drop)
            .map_err(|error| self.store_error(error.into()))
    }
}
