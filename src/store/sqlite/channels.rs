//! A channel's standing: suspension (its webhook is gone or failing), a pause (its webhook asked
//! us to wait), its health (failing since when, probes failed), last delivery, and outbox counts.
//!
//! A channel has a row only once something happened to it; until then it reads as the defaults.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::columns::{Millis, count_u32, count_u64, time};
use super::failure::Failure;
use super::{ChannelState, Db, DeliveryId, StoreError};

impl Db {
    /// Suspends a channel until `until`; its pending deliveries stay queued.
    pub fn suspend_channel(
        &self,
        channel: &str,
        until: DateTime<Utc>,
        reason: &str,
    ) -> Result<(), StoreError> {
        self.with_conn(|conn| {
            conn.prepare_cached(
                "INSERT INTO channels (name, suspended_until, suspended_reason) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name) DO UPDATE SET
                    suspended_until = excluded.suspended_until,
                    suspended_reason = excluded.suspended_reason",
            )?
            .execute(params![channel, Millis(until), reason])?;
            Ok(())
        })
    }

    /// Lifts a channel's suspension (a no-op for a channel that is not suspended).
    pub fn resume_channel(&self, channel: &str) -> Result<(), StoreError> {
        self.with_conn(|conn| {
            conn.prepare_cached(
                "UPDATE channels SET suspended_until = NULL, suspended_reason = NULL
                 WHERE name = ?1",
            )?
            .execute([channel])?;
            Ok(())
        })
    }

    /// Holds a channel until `until` at its webhook's request; a restart keeps the pause.
    pub fn pause_channel(
        &self,
        channel: &str,
        until: DateTime<Utc>,
        reason: &str,
    ) -> Result<(), StoreError> {
        self.with_conn(|conn| {
            conn.prepare_cached(
                "INSERT INTO channels (name, paused_until, pause_reason) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name) DO UPDATE SET
                    paused_until = excluded.paused_until,
                    pause_reason = excluded.pause_reason",
            )?
            .execute(params![channel, Millis(until), reason])?;
            Ok(())
        })
    }

    /// Lifts a channel's pause (a no-op for a channel that is not paused).
    pub fn lift_pause(&self, channel: &str) -> Result<(), StoreError> {
        self.with_conn(|conn| {
            conn.prepare_cached(
                "UPDATE channels SET paused_until = NULL, pause_reason = NULL WHERE name = ?1",
            )?
            .execute([channel])?;
            Ok(())
        })
    }

    /// Notes that a post to `channel` failed at `at`; returns since when its posts have been
    /// failing (`at`, unless an earlier failure started the streak).
    pub fn note_channel_failing(
        &self,
        channel: &str,
        at: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, StoreError> {
        self.with_conn(|conn| {
            let since: Millis = conn
                .prepare_cached(
                    "INSERT INTO channels (name, failing_since) VALUES (?1, ?2)
                     ON CONFLICT (name) DO UPDATE SET
                        failing_since = COALESCE(failing_since, excluded.failing_since)
                     RETURNING failing_since",
                )?
                .query_row(params![channel, Millis(at)], |row| row.get(0))?;
            Ok(since.0)
        })
    }

    /// Suspends a failing channel until `until`, counting one more failed probe, and holds its
    /// oldest pending delivery `head` (whose post just failed) until then: in one transaction.
    pub fn suspend_failing(
        &self,
        channel: &str,
        head: DeliveryId,
        until: DateTime<Utc>,
        reason: &str,
    ) -> Result<(), StoreError> {
        self.with_conn(|conn| {
            let tx = conn.transaction()?;
            tx.prepare_cached(
                "INSERT INTO channels (name, suspended_until, suspended_reason, probes)
                 VALUES (?1, ?2, ?3, 1)
                 ON CONFLICT (name) DO UPDATE SET
                    suspended_until = excluded.suspended_until,
                    suspended_reason = excluded.suspended_reason,
                    probes = probes + 1",
            )?
            .execute(params![channel, Millis(until), reason])?;
            let changed = tx
                .prepare_cached(
                    "UPDATE deliveries
                     SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3
                     WHERE id = ?1 AND status = 'pending'",
                )?
                .execute(params![head.0, Millis(until), reason])?;
            if changed == 0 {
                return Err(Failure::NotPending(head));
            }
            tx.commit()?;
            Ok(())
        })
    }

    /// One channel's standing and outbox counts.
    pub fn channel_state(&self, channel: &str) -> Result<ChannelState, StoreError> {
        self.with_conn(|conn| read_channel(conn, channel))
    }

    /// The standing of each named channel, in the order given.
    pub fn channel_states(&self, names: &[String]) -> Result<Vec<ChannelState>, StoreError> {
        self.with_conn(|conn| names.iter().map(|name| read_channel(conn, name)).collect())
    }
}

fn read_channel(conn: &Connection, channel: &str) -> Result<ChannelState, Failure> {
    let mut state = conn
        .prepare_cached(
            "SELECT suspended_until, suspended_reason, last_delivery_at, paused_until, pause_reason,
                    failing_since, probes
             FROM channels WHERE name = ?1",
        )?
        .query_row([channel], |row| {
            Ok(ChannelState {
                channel: channel.to_owned(),
                suspended_until: time(row.get(0)?),
                suspended_reason: row.get(1)?,
                last_delivery_at: time(row.get(2)?),
                paused_until: time(row.get(3)?),
                pause_reason: row.get(4)?,
                failing_since: time(row.get(5)?),
                probes: count_u32(row.get(6)?),
                ..ChannelState::default()
            })
        })
        .optional()?
        .unwrap_or_else(|| ChannelState {
            channel: channel.to_owned(),
            ..ChannelState::default()
        });
    let mut counts = conn.prepare_cached(
        "SELECT status, COUNT(*), MIN(queued_at), MIN(parked_at) FROM deliveries
         WHERE channel = ?1 GROUP BY status",
    )?;
    let mut rows = counts.query([channel])?;
    while let Some(row) = rows.next()? {
        let status: String = row.get(0)?;
        let count = count_u64(row.get(1)?);
        match status.as_str() {
            "pending" => {
                state.pending = count;
                state.oldest_pending_at = time(row.get(2)?);
            }
            "failed" => state.failed = count,
            "delivered" => state.delivered = count,
            "parked" => {
                state.parked = count;
                state.parked_since = time(row.get(3)?);
            }
            // The schema's CHECK admits no other status.
            _ => {}
        }
    }
    Ok(state)
}

#[cfg(test)]
mod tests;
