//! The delivery outbox: one row per entry × channel, sent in id order per channel (see
//! `sqlite/outbox.rs`: the same rules).

use chrono::{DateTime, Utc};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, GenericClient, Row, Transaction};

use super::columns::{count_u32, millis, stored_key, text};
use super::{DeliveryId, Failure, PendingDelivery, Pg, StoreError, sharing};
use crate::parse::Entry;
use crate::store::LeaseKind;
use crate::store::codec::decode_info;
use crate::store::queue;

/// Notes when a channel last received a post: it is healthy again.
pub(super) const NOTE_DELIVERED: &str =
    "INSERT INTO channels (name, last_delivery_at) VALUES ($1, $2)
    ON CONFLICT (name) DO UPDATE SET last_delivery_at = excluded.last_delivery_at,
        failing_since = NULL, probes = 0";

impl Pg {
    /// The oldest pending delivery of `channel`, whatever its `next_attempt_at`. A delivery whose
    /// stored entry can no longer be read is dead-lettered on the way.
    pub async fn next_pending(&self, channel: &str) -> Result<Option<PendingDelivery>, StoreError> {
        let client = self.client().await?;
        let fence = self.sharing.epochs(LeaseKind::Channel);
        next_pending_in(&client, channel, &fence)
            .await
            .map_err(|failure| self.store_error(failure))
    }

    /// The newest pending delivery of each of `channels` that has one.
    pub async fn newest_pending(
        &self,
        channels: &[String],
    ) -> Result<Vec<(String, DeliveryId)>, StoreError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT channel, MAX(id) FROM deliveries
                 WHERE channel = ANY($1) AND status = 'pending' GROUP BY channel",
                &[&channels],
            )
            .await
            .map_err(|error| self.store_error(error.into()))?;
        Ok(rows
            .iter()
            .map(|row| (row.get(0), DeliveryId(row.get(1))))
            .collect())
    }

    /// Marks a delivery sent, and notes when its channel last received one: the channel is healthy
    /// again.
    pub async fn mark_delivered(
        &self,
        id: DeliveryId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let fence = self.sharing.epochs(LeaseKind::Channel);
        let mut client = self.client().await?;
        let marked = async {
            let tx = client.transaction().await?;
            // A parked delivery's channel left the config (and its lease with it): the post that
            // was in flight when it did is recorded without a fence.
            let sql = format!(
                "UPDATE deliveries SET status = 'delivered', delivered_at = $2, parked_at = NULL
                 WHERE id = $1 AND (status = 'parked' OR (status = 'pending' AND {}))
                 RETURNING channel",
                sharing::fence(LeaseKind::Channel, "deliveries.channel", 3, 4)
            );
            let Some(row) = tx
                .query_opt(&sql, &[&id.0, &millis(at), &fence.0, &fence.1])
                .await?
            else {
                return Err(not_pending_or_fenced(&*tx, id).await);
            };
            let channel: &str = row.get(0);
            tx.execute(NOTE_DELIVERED, &[&channel, &millis(at)]).await?;
            tx.commit().await?;
            Ok(())
        };
        marked.await.map_err(|failure| self.store_error(failure))
    }

    /// Notes, before its post, that this instance has the delivery in flight; returns the
    /// instance that had it in flight before, unanswered, if another: its lease on the channel ended
    /// while it posted (it stopped, or lost the database), and this post repeats its one. Refused
    /// ([`StoreError::Fenced`]) when the channel was taken over. Nothing to note before joining.
    pub async fn mark_in_flight(&self, id: DeliveryId) -> Result<Option<String>, StoreError> {
        let (Some(me), epochs) = self.sharing.epochs(LeaseKind::Channel) else {
            return Ok(None);
        };
        let client = self.client().await?;
        let sql = format!(
            "WITH before AS (
                 SELECT d.id, d.posting_by, i.host, i.pid FROM deliveries d
                 LEFT JOIN instances i ON i.id = d.posting_by
                 WHERE d.id = $1 FOR UPDATE OF d
             )
             UPDATE deliveries SET posting_by = $2
             FROM before
             WHERE deliveries.id = before.id AND deliveries.status = 'pending' AND {}
             RETURNING before.posting_by, before.host, before.pid",
            sharing::fence(LeaseKind::Channel, "deliveries.channel", 2, 3)
        );
        let marked = async {
            let Some(row) = client.query_opt(&sql, &[&id.0, &me, &epochs]).await? else {
                return Err(not_pending_or_fenced(&**client, id).await);
            };
            let before: Option<String> = row.get(0);
            Ok(before.filter(|before| before != me).map(|before| {
                let host: Option<String> = row.get(1);
                let pid: Option<i64> = row.get(2);
                match (host, pid) {
                    (Some(host), Some(pid)) => format!("{before} on {host}, pid {pid}"),
                    _ => before,
                }
            }))
        };
        marked.await.map_err(|failure| self.store_error(failure))
    }

    /// Records a failed attempt to be retried at `next_attempt_at`; returns the attempts so far.
    pub async fn schedule_retry(
        &self,
        id: DeliveryId,
        next_attempt_at: DateTime<Utc>,
        error: &str,
    ) -> Result<u32, StoreError> {
        let set = "attempts = attempts + 1, next_attempt_at = $2, last_error = $3,
                   posting_by = NULL";
        self.update_pending(set, id, &[&id.0, &millis(next_attempt_at), &text(error)])
            .await
    }

    /// Records a post that timed out once sent, to be repeated at `next_attempt_at`; its failed
    /// attempts are unchanged. Returns how many of its posts went unanswered so far.
    pub async fn schedule_unanswered(
        &self,
        id: DeliveryId,
        next_attempt_at: DateTime<Utc>,
        error: &str,
    ) -> Result<u32, StoreError> {
        let set = "unanswered = unanswered + 1, next_attempt_at = $2, last_error = $3,
                   posting_by = NULL";
        let fence = self.sharing.epochs(LeaseKind::Channel);
        let client = self.client().await?;
        let params: [&(dyn ToSql + Sync); 3] = [&id.0, &millis(next_attempt_at), &text(error)];
        update_pending_returning(&**client, set, "unanswered", id, &params, &fence)
            .await
            .map_err(|failure| self.store_error(failure))
    }

    /// Dead-letters a delivery: it stays in the outbox as `failed` until requeued or pruned.
    pub async fn mark_failed(
        &self,
        id: DeliveryId,
        at: DateTime<Utc>,
        error: &str,
    ) -> Result<(), StoreError> {
        let fence = self.sharing.epochs(LeaseKind::Channel);
        let client = self.client().await?;
        settle_failed(&**client, id, at, error, &fence)
            .await
            .map_err(|failure| self.store_error(failure))
    }

    /// Puts dead-lettered deliveries (of one channel, or all) back in the queue with a fresh
    /// attempt count; returns how many. They keep their ids, so they go out before newer entries.
    pub async fn requeue_failed(
        &self,
        channel: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "UPDATE deliveries
                 SET status = 'pending', attempts = 0, unanswered = 0, next_attempt_at = $2,
                     failed_at = NULL
                 WHERE status = 'failed' AND ($1::text IS NULL OR channel = $1)",
                &[&channel, &millis(now)],
            )
            .await
            .map_err(|error| self.store_error(error.into()))
    }

    /// Applies `set` to a pending delivery and returns its attempts afterwards.
    async fn update_pending(
        &self,
        set: &str,
        id: DeliveryId,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u32, StoreError> {
        let fence = self.sharing.epochs(LeaseKind::Channel);
        let client = self.client().await?;
        update_pending_returning(&**client, set, "attempts", id, params, &fence)
            .await
            .map_err(|failure| self.store_error(failure))
    }
}

/// Queues one delivery per channel for each entry key, so that ids follow the order of `keys`
/// within every channel. Returns the deliveries queued.
pub(super) async fn enqueue(
    tx: &Transaction<'_>,
    feed: &str,
    keys: &[&str],
    channels: &[String],
    at: DateTime<Utc>,
) -> Result<usize, Failure> {
    let channels = queue::distinct_channels(channels);
    let mut entry_keys = Vec::with_capacity(keys.len() * channels.len());
    let mut targets = Vec::with_capacity(entry_keys.capacity());
    for key in keys {
        for channel in &channels {
            entry_keys.push(stored_key(key));
            targets.push(*channel);
        }
    }
    if entry_keys.is_empty() {
        return Ok(0);
    }
    let queued = tx
        .execute(
            "INSERT INTO deliveries (feed, entry_key, channel, queued_at, next_attempt_at)
             SELECT $1, u.key, u.channel, $4, $4
             FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS u(key, channel, n)
             ORDER BY u.n",
            &[&feed, &entry_keys, &targets, &millis(at)],
        )
        .await?;
    Ok(queued as usize)
}

/// The owner and epochs a write on deliveries proves (see `sharing::fence`).
type Fence<'a> = (Option<&'a str>, Vec<i64>);

/// Applies `set` to a pending delivery of a channel this instance holds, and returns its
/// `column` (a count) afterwards.
async fn update_pending_returning(
    client: &impl GenericClient,
    set: &str,
    column: &str,
    id: DeliveryId,
    params: &[&(dyn ToSql + Sync)],
    fence: &Fence<'_>,
) -> Result<u32, Failure> {
    let (owner, epochs) = (params.len() + 1, params.len() + 2);
    let sql = format!(
        "UPDATE deliveries SET {set} WHERE id = $1 AND status = 'pending' AND {}
         RETURNING {column}",
        sharing::fence(LeaseKind::Channel, "deliveries.channel", owner, epochs)
    );
    let mut all = params.to_vec();
    all.push(&fence.0);
    all.push(&fence.1);
    match client.query_opt(&sql, &all).await? {
        Some(row) => Ok(count_u32(row.get(0))),
        None => Err(not_pending_or_fenced(client, id).await),
    }
}

/// Why a write on a delivery applied to no row: it is not pending, or its channel is held by
/// another instance.
pub(super) async fn not_pending_or_fenced(client: &impl GenericClient, id: DeliveryId) -> Failure {
    let pending = client
        .query_opt(
            "SELECT channel FROM deliveries WHERE id = $1 AND status = 'pending'",
            &[&id.0],
        )
        .await;
    match pending {
        Ok(Some(row)) => Failure::Fenced(format!("channel {}", row.get::<_, &str>(0))),
        Ok(None) => Failure::NotPending(id),
        Err(error) => error.into(),
    }
}

pub(super) async fn settle_failed(
    client: &impl GenericClient,
    id: DeliveryId,
    at: DateTime<Utc>,
    error: &str,
    fence: &Fence<'_>,
) -> Result<(), Failure> {
    let set = "status = 'failed', failed_at = $2, last_error = $3";
    let params: [&(dyn ToSql + Sync); 3] = [&id.0, &millis(at), &text(error)];
    update_pending_returning(client, set, "attempts", id, &params, fence).await?;
    Ok(())
}

/// The oldest `$2` pending deliveries of channel `$1`, oldest first, with their entries and feeds.
pub(super) const OLDEST_PENDING: &str = "
    SELECT d.id, d.feed, d.channel, d.attempts, d.queued_at, d.next_attempt_at,
           e.entry, f.info, f.url, d.unanswered
    FROM deliveries d
    JOIN entries e ON e.feed = d.feed AND e.key = d.entry_key
    JOIN feeds f ON f.feed = d.feed
    WHERE d.channel = $1 AND d.status = 'pending'
    ORDER BY d.id
    LIMIT $2";

async fn next_pending_in(
    client: &Client,
    channel: &str,
    fence: &Fence<'_>,
) -> Result<Option<PendingDelivery>, Failure> {
    loop {
        let Some(row) = client
            .query_opt(OLDEST_PENDING, &[&channel, &1_i64])
            .await?
        else {
            return Ok(None);
        };
        match serde_json::from_str::<Entry>(row.get(6)) {
            Ok(entry) => return Ok(Some(pending(&row, entry))),
            Err(err) => {
                let id = DeliveryId(row.get(0));
                tracing::warn!(delivery = id.0, channel, %err, "unreadable stored entry");
                // No caller clock here; this time only dates the dead letter for pruning.
                let reason = format!("the stored entry is unreadable: {err}");
                settle_failed(client, id, Utc::now(), &reason, fence).await?;
            }
        }
    }
}

pub(super) fn pending(row: &Row, entry: Entry) -> PendingDelivery {
    let feed: String = row.get(1);
    PendingDelivery {
        id: DeliveryId(row.get(0)),
        feed_info: decode_info(&feed, row.get(7)),
        feed,
        channel: row.get(2),
        entry,
        feed_url: row.get(8),
        attempts: count_u32(row.get(3)),
        unanswered: count_u32(row.get(9)),
        queued_at: row.get(4),
        next_attempt_at: row.get(5),
    }
}
