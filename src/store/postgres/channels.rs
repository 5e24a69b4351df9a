//! A channel's standing: suspension (its webhook is gone or failing), a pause (its webhook asked
//! us to wait), its health (failing since when, probes failed), last delivery, and outbox counts.
//!
//! A channel has a row only once something happened to it; until then it reads as the defaults.

use chrono::{DateTime, Utc};
use tokio_postgres::Client;

use super::columns::{count_u32, count_u64, millis, text};
use super::{ChannelState, DeliveryId, Failure, Pg, StoreError, outbox, sharing};
use crate::store::LeaseKind;

impl Pg {
    /// Suspends a channel until `until`; its pending deliveries stay queued.
    pub async fn suspend_channel(
        &self,
        channel: &str,
        until: DateTime<Utc>,
        reason: &str,
    ) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO channels (name, suspended_until, suspended_reason) VALUES ($1, $2, $3)
                 ON CONFLICT (name) DO UPDATE SET
                    suspended_until = excluded.suspended_until,
                    suspended_reason = excluded.suspended_reason",
                &[&channel, &millis(until), &text(reason)],
            )
            .await
            .map_err(|error| self.store_error(error.into()))?;
        Ok(())
    }

    /// Lifts a channel's suspension (a no-op for a channel that is not suspended).
    pub async fn resume_channel(&self, channel: &str) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "UPDATE channels SET suspended_until = NULL, suspended_reason = NULL
                 WHERE name = $1",
                &[&channel],
            )
            .await
            .map_err(|error| self.store_error(error.into()))?;
        Ok(())
    }

    /// Holds a channel until `until` at its webhook's request; a restart keeps the pause.
    pub async fn pause_channel(
        &self,
        channel: &str,
        until: DateTime<Utc>,
        reason: &str,
    ) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO channels (name, paused_until, pause_reason) VALUES ($1, $2, $3)
                 ON CONFLICT (name) DO UPDATE SET
                    paused_until = excluded.paused_until,
                    pause_reason = excluded.pause_reason",
                &[&channel, &millis(until), &text(reason)],
            )
            .await
            .map_err(|error| self.store_error(error.into()))?;
        Ok(())
    }

    /// Lifts a channel's pause (a no-op for a channel that is not paused).
    pub async fn lift_pause(&self, channel: &str) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "UPDATE channels SET paused_until = NULL, pause_reason = NULL WHERE name = $1",
                &[&channel],
            )
            .await
            .map_err(|error| self.store_error(error.into()))?;
        Ok(())
    }

    /// Notes that a post to `channel` failed at `at`; returns since when its posts have been
    /// failing (`at`, unless an earlier failure started the streak).
    pub async fn note_channel_failing(
        &self,
        channel: &str,
        at: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, StoreError> {
        let client = self.client().await?;
        let row = client
            .query_one(
                "INSERT INTO channels (name, failing_since) VALUES ($1, $2)
                 ON CONFLICT (name) DO UPDATE SET
                    failing_since = COALESCE(channels.failing_since, excluded.failing_since)
                 RETURNING failing_since",
                &[&channel, &millis(at)],
            )
            .await
            .map_err(|error| self.store_error(error.into()))?;
        Ok(row.get(0))
    }

    /// Suspends a failing channel until `until`, counting one more failed probe, and holds its
    /// oldest pending delivery `head` (whose post just failed) until then: in one transaction.
    pub async fn suspend_failing(
        &self,
        channel: &str,
        head: DeliveryId,
        until: DateTime<Utc>,
        reason: &str,
    ) -> Result<(), StoreError> {
        let fence = self.sharing.epochs(LeaseKind::Channel);
        let mut client = self.client().await?;
        let suspended = async {
            let tx = client.transaction().await?;
            tx.execute(
                "INSERT INTO channels (name, suspended_until, suspended_reason, probes)
                 VALUES ($1, $2, $3, 1)
                 ON CONFLICT (name) DO UPDATE SET
                    suspended_until = excluded.suspended_until,
                    suspended_reason = excluded.suspended_reason,
                    probes = channels.probes + 1",
                &[&channel, &millis(until), &text(reason)],
            )
            .await?;
            let sql = format!(
                "UPDATE deliveries
                 SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3,
                     posting_by = NULL
                 WHERE id = $1 AND status = 'pending' AND {}",
                sharing::fence(LeaseKind::Channel, "deliveries.channel", 4, 5)
            );
            let changed = tx
                .execute(
                    &sql,
                    &[&head.0, &millis(until), &text(reason), &fence.0, &fence.1],
                )
                .await?;
            if changed == 0 {
                return Err(outbox::not_pending_or_fenced(&*tx, head).await);
            }
            tx.commit().await?;
            Ok(())
        };
        suspended.await.map_err(|failure| self.store_error(failure))
    }

    /// One channel's standing and outbox counts.
    pub async fn channel_state(&self, channel: &str) -> Result<ChannelState, StoreError> {
        let client = self.client().await?;
        read_channel(&client, channel)
            .await
            .map_err(|failure| self.store_error(failure))
    }

    /// The standing of each named channel, in the order given.
    pub async fn channel_states(&self, names: &[String]) -> Result<Vec<ChannelState>, StoreError> {
        let client = self.client().await?;
        let mut states = Vec::with_capacity(names.len());
        for name in names {
            let state = read_channel(&client, name)
                .await
                .map_err(|failure| self.store_error(failure))?;
            states.push(state);
        }
        Ok(states)
    }
}

async fn read_channel(client: &Client, channel: &str) -> Result<ChannelState, Failure> {
    let standing = client
        .query_opt(
            "SELECT suspended_until, suspended_reason, last_delivery_at, paused_until, pause_reason,
                    failing_since, probes, last_digest_at
             FROM channels WHERE name = $1",
            &[&channel],
        )
        .await?;
    let mut state = ChannelState {
        channel: channel.to_owned(),
        ..ChannelState::default()
    };
    if let Some(row) = standing {
        state.suspended_until = row.get(0);
        state.suspended_reason = row.get(1);
        state.last_delivery_at = row.get(2);
        state.paused_until = row.get(3);
        state.pause_reason = row.get(4);
        state.failing_since = row.get(5);
        state.probes = count_u32(row.get(6));
        state.last_digest_at = row.get(7);
    }
    let counts = client
        .query(
            "SELECT status, COUNT(*), MIN(queued_at), MIN(parked_at) FROM deliveries
             WHERE channel = $1 GROUP BY status",
            &[&channel],
        )
        .await?;
    for row in counts {
        let count = count_u64(row.get(1));
        match row.get::<_, &str>(0) {
            "pending" => {
                state.pending = count;
                state.oldest_pending_at = row.get(2);
            }
            "failed" => state.failed = count,
            "delivered" => state.delivered = count,
            "parked" => {
                state.parked = count;
                state.parked_since = row.get(3);
            }
            // The schema's CHECK admits no other status.
            _ => {}
        }
    }
    Ok(state)
}
