//! What a digest channel's worker asks of the outbox: every pending delivery at once (up to a
//! bound), marking a posted part's deliveries together, and when the last digest went out.

use chrono::{DateTime, Utc};
use rusqlite::{TransactionBehavior, params};

use super::columns::Millis;
use super::outbox::{NOTE_DELIVERED, oldest_pending_rows, settle_failed};
use super::{Db, DeliveryId, PendingDelivery, StoreError};
use crate::parse::Entry;

impl Db {
    /// The oldest `limit` pending deliveries of `channel`, oldest first, whatever their
    /// `next_attempt_at`. A delivery whose stored entry can no longer be read is dead-lettered on
    /// the way, as [`Db::next_pending`] does.
    pub fn pending_deliveries(
        &self,
        channel: &str,
        limit: usize,
    ) -> Result<Vec<PendingDelivery>, StoreError> {
        self.with_conn(|conn| {
            let raws = oldest_pending_rows(conn, channel, limit)?;
            let mut pending = Vec::with_capacity(raws.len());
            for raw in raws {
                match serde_json::from_str::<Entry>(&raw.entry_json) {
                    Ok(entry) => pending.push(raw.into_pending(entry)),
                    Err(err) => {
                        tracing::warn!(delivery = raw.id, channel, %err, "unreadable stored entry");
                        let reason = format!("the stored entry is unreadable: {err}");
                        settle_failed(conn, DeliveryId(raw.id), Utc::now(), &reason)?;
                    }
                }
            }
            Ok(pending)
        })
    }

    /// Marks the deliveries `ids` of `channel` sent together (those still pending or parked), and notes
    /// when the channel last received one: it is healthy again. Returns how many were marked.
    pub fn mark_all_delivered(
        &self,
        channel: &str,
        ids: &[DeliveryId],
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut marked = 0;
            {
                let mut update = tx.prepare_cached(
                    "UPDATE deliveries SET status = 'delivered', delivered_at = ?3, parked_at = NULL
                     WHERE id = ?1 AND channel = ?2 AND status IN ('pending', 'parked')",
                )?;
                for id in ids {
                    marked += update.execute(params![id.0, channel, Millis(at)])? as u64;
                }
            }
            tx.prepare_cached(NOTE_DELIVERED)?
                .execute(params![channel, Millis(at)])?;
            tx.commit()?;
            Ok(marked)
        })
    }

    /// Notes that a digest of `channel` was posted at `at`: its next one is due at the digest
    /// time after both this and its oldest pending delivery.
    pub fn record_digest(&self, channel: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.with_conn(|conn| {
            conn.prepare_cached(
                "INSERT INTO channels (name, last_digest_at) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET last_digest_at = excluded.last_digest_at",
            )?
            .execute(params![channel, Millis(at)])?;
            Ok(())
        })
    }
}
