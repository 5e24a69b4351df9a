//! The delivery outbox: one row per entry × channel, sent in id order per channel.
//!
//! A delivery is `pending` until it is `delivered` or dead-lettered as `failed`; it is `parked`
//! while its channel is out of the config (`parking.rs`). Retries keep it
//! pending with a later `next_attempt_at`; the worker waits for that time
//! rather than skipping ahead, so a channel's cards keep the feed's order.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, TransactionBehavior, params};

use super::columns::{Millis, count_u32};
use super::failure::Failure;
use super::{ChannelState, Db, DeliveryId, PendingDelivery, StoreError, channels};
use crate::parse::Entry;
use crate::store::codec::decode_info;
use crate::store::queue;

/// Notes when a channel last received a post: it is healthy again.
pub(super) const NOTE_DELIVERED: &str =
    "INSERT INTO channels (name, last_delivery_at) VALUES (?1, ?2)
    ON CONFLICT (name) DO UPDATE SET last_delivery_at = excluded.last_delivery_at,
        failing_since = NULL, probes = 0";

impl Db {
    /// The oldest pending delivery of `channel`, whatever its `next_attempt_at`.
    ///
    /// A delivery whose stored entry can no longer be read is dead-lettered on the way, so that
    /// one bad row cannot block the channel.
    pub fn next_pending(&self, channel: &str) -> Result<Option<PendingDelivery>, StoreError> {
        self.with_conn(|conn| next_pending_in(conn, channel))
    }

    /// What a channel's worker reads before each step, in one call: the channel's standing
    /// (suspension, pause, health; its outbox counts left at zero) and its oldest pending delivery,
    /// as [`Self::next_pending`] finds it.
    pub fn worker_view(
        &self,
        channel: &str,
    ) -> Result<(ChannelState, Option<PendingDelivery>), StoreError> {
        self.with_conn(|conn| {
            let standing = channels::read_standing(conn, channel)?;
            Ok((standing, next_pending_in(conn, channel)?))
        })
    }

    /// The newest pending delivery of each of `channels` that has one.
    pub fn newest_pending(
        &self,
        channels: &[String],
    ) -> Result<Vec<(String, DeliveryId)>, StoreError> {
        self.with_conn(|conn| {
            let mut statement = conn.prepare_cached(
                "SELECT MAX(id) FROM deliveries WHERE channel = ?1 AND status = 'pending'",
            )?;
            let mut newest = Vec::new();
            for channel in channels {
                let id: Option<i64> = statement.query_row(params![channel], |row| row.get(0))?;
                newest.extend(id.map(|id| (channel.clone(), DeliveryId(id))));
            }
            Ok(newest)
        })
    }

    /// Marks a delivery sent, and notes when its channel last received one: the channel is healthy
    /// again.
    pub fn mark_delivered(&self, id: DeliveryId, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let channel: String = tx
                .prepare_cached(
                    "UPDATE deliveries SET status = 'delivered', delivered_at = ?2, parked_at = NULL
                     WHERE id = ?1 AND status IN ('pending', 'parked') RETURNING channel",
                )?
                .query_row(params![id.0, Millis(at)], |row| row.get(0))
                .optional()?
                .ok_or(Failure::NotPending(id))?;
            tx.prepare_cached(NOTE_DELIVERED)?
                .execute(params![channel, Millis(at)])?;
            tx.commit()?;
            Ok(())
        })
    }

    /// Records a failed attempt to be retried at `next_attempt_at`; returns the attempts so far.
    pub fn schedule_retry(
        &self,
        id: DeliveryId,
        next_attempt_at: DateTime<Utc>,
        error: &str,
    ) -> Result<u32, StoreError> {
        self.with_conn(|conn| {
            let attempts: i64 = update_pending(
                conn,
                "attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3",
                id,
                params![id.0, Millis(next_attempt_at), error],
            )?;
            Ok(count_u32(attempts))
        })
    }

    /// Records a post of a delivery that timed out once sent, to be repeated at `next_attempt_at`;
    /// returns how many of its posts went unanswered so far.
    pub fn schedule_unanswered(
        &self,
        id: DeliveryId,
        next_attempt_at: DateTime<Utc>,
        error: &str,
    ) -> Result<u32, StoreError> {
        self.with_conn(|conn| {
            let unanswered: i64 = conn
                .prepare_cached(
                    "UPDATE deliveries
                     SET unanswered = unanswered + 1, next_attempt_at = ?2, last_error = ?3
                     WHERE id = ?1 AND status = 'pending' RETURNING unanswered",
                )?
                .query_row(params![id.0, Millis(next_attempt_at), error], |row| {
                    row.get(0)
                })
                .optional()?
                .ok_or(Failure::NotPending(id))?;
            Ok(count_u32(unanswered))
        })
    }

    /// Dead-letters a delivery: it stays in the outbox as `failed` until requeued or pruned.
    pub fn mark_failed(
        &self,
        id: DeliveryId,
        at: DateTime<Utc>,
        error: &str,
    ) -> Result<(), StoreError> {
        self.with_conn(|conn| settle_failed(conn, id, at, error))
    }

    /// Puts dead-lettered deliveries (of one channel, or all) back in the queue with a fresh
    /// attempt count; returns how many. They keep their ids, so they go out before newer entries.
    pub fn requeue_failed(
        &self,
        channel: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        self.with_conn(|conn| {
            let changed = conn
                .prepare_cached(
                    "UPDATE deliveries
                     SET status = 'pending', attempts = 0, unanswered = 0, next_attempt_at = ?2,
                         failed_at = NULL
                     WHERE status = 'failed' AND (?1 IS NULL OR channel = ?1)",
                )?
                .execute(params![channel, Millis(now)])?;
            Ok(changed as u64)
        })
    }
}

/// The oldest pending delivery of `channel`; one whose stored entry can no longer be read is
/// dead-lettered on the way.
fn next_pending_in(conn: &Connection, channel: &str) -> Result<Option<PendingDelivery>, Failure> {
    loop {
        let Some(raw) = oldest_pending(conn, channel)? else {
            return Ok(None);
        };
        match serde_json::from_str::<Entry>(&raw.entry_json) {
            Ok(entry) => return Ok(Some(raw.into_pending(entry))),
            Err(err) => {
                tracing::warn!(delivery = raw.id, channel, %err, "unreadable stored entry");
                // No caller clock here; this time only dates the dead letter for pruning.
                let reason = format!("the stored entry is unreadable: {err}");
                settle_failed(conn, DeliveryId(raw.id), Utc::now(), &reason)?;
            }
        }
    }
}

/// Queues one delivery per channel for each entry key, entry by entry, so that ids follow the
/// order of `keys` within every channel. Returns the deliveries queued.
pub(super) fn enqueue(
    tx: &Transaction<'_>,
    feed: &str,
    keys: &[&str],
    channels: &[String],
    at: DateTime<Utc>,
) -> Result<usize, Failure> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO deliveries (feed, entry_key, channel, queued_at, next_attempt_at)
         VALUES (?1, ?2, ?3, ?4, ?4)",
    )?;
    let unique_channels = queue::distinct_channels(channels);
    let mut queued = 0;
    for key in keys {
        for channel in &unique_channels {
            insert.execute(params![feed, key, channel, Millis(at)])?;
            queued += 1;
        }
    }
    Ok(queued)
}

/// Applies `set` to a pending delivery and returns its attempts afterwards.
fn update_pending(
    conn: &Connection,
    set: &str,
    id: DeliveryId,
    params: impl rusqlite::Params,
) -> Result<i64, Failure> {
    let sql = format!(
        "UPDATE deliveries SET {set} WHERE id = ?1 AND status = 'pending' RETURNING attempts"
    );
    conn.prepare_cached(&sql)?
        .query_row(params, |row| row.get(0))
        .optional()?
        .ok_or(Failure::NotPending(id))
}

pub(super) fn settle_failed(
    conn: &Connection,
    id: DeliveryId,
    at: DateTime<Utc>,
    error: &str,
) -> Result<(), Failure> {
    update_pending(
        conn,
        "status = 'failed', failed_at = ?2, last_error = ?3",
        id,
        params![id.0, Millis(at), error],
    )?;
    Ok(())
}

/// A pending delivery as read, before its entry is decoded.
pub(super) struct RawPending {
    pub(super) id: i64,
    feed: String,
    channel: String,
    attempts: i64,
    queued_at: Millis,
    next_attempt_at: Millis,
    pub(super) entry_json: String,
    info_json: String,
    feed_url: String,
    unanswered: i64,
}

/// The pending deliveries of a channel (`?1`), oldest first, with what a post needs, up to
/// `$limit`. A channel's worker reads one before each post with `LIMIT 1` written into the
/// statement: SQLite plans a `LIMIT` bound as a parameter with its value, so it prepared that
/// statement again at every execution, which cost more than the read itself.
macro_rules! oldest_pending_sql {
    ($limit:literal) => {
        concat!(
            "SELECT d.id, d.feed, d.channel, d.attempts, d.queued_at, d.next_attempt_at,
                    e.entry, f.info, f.url, d.unanswered
             FROM deliveries d
             JOIN entries e ON e.feed = d.feed AND e.key = d.entry_key
             JOIN feeds f ON f.feed = d.feed
             WHERE d.channel = ?1 AND d.status = 'pending'
             ORDER BY d.id
             LIMIT ",
            $limit
        )
    };
}

/// The statement [`oldest_pending`] runs.
const OLDEST_PENDING: &str = oldest_pending_sql!("1");

fn oldest_pending(conn: &Connection, channel: &str) -> Result<Option<RawPending>, Failure> {
    Ok(conn
        .prepare_cached(OLDEST_PENDING)?
        .query_row([channel], RawPending::read)
        .optional()?)
}

/// The oldest `limit` pending deliveries of `channel`, oldest first, entries not yet decoded.
pub(super) fn oldest_pending_rows(
    conn: &Connection,
    channel: &str,
    limit: usize,
) -> Result<Vec<RawPending>, Failure> {
    let rows = conn
        .prepare_cached(oldest_pending_sql!("?2"))?
        .query_map(params![channel, limit as i64], RawPending::read)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

impl RawPending {
    pub(super) fn read(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            feed: row.get(1)?,
            channel: row.get(2)?,
            attempts: row.get(3)?,
            queued_at: row.get(4)?,
            next_attempt_at: row.get(5)?,
            entry_json: row.get(6)?,
            info_json: row.get(7)?,
            feed_url: row.get(8)?,
            unanswered: row.get(9)?,
        })
    }

    pub(super) fn into_pending(self, entry: Entry) -> PendingDelivery {
        PendingDelivery {
            id: DeliveryId(self.id),
            feed_info: decode_info(&self.feed, &self.info_json),
            feed: self.feed,
            channel: self.channel,
            entry,
            feed_url: self.feed_url,
            attempts: count_u32(self.attempts),
            unanswered: count_u32(self.unanswered),
            queued_at: self.queued_at.0,
            next_attempt_at: self.next_attempt_at.0,
        }
    }
}

#[cfg(test)]
mod tests;
