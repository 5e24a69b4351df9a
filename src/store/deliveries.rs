//! The facade's outbox and channel calls: what the delivery workers and the operator's commands
//! ask of the state, whatever the backend.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{
    Backend, BacklogNote, ChannelParking, ChannelState, DeliveryId, PendingDelivery, Store,
    StoreError,
};

impl Store {
    /// The oldest pending delivery of `channel`, whatever its `next_attempt_at`.
    pub async fn next_pending(&self, channel: &str) -> Result<Option<PendingDelivery>, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let channel = channel.to_owned();
                db.run(move |db| db.next_pending(&channel)).await
            }
            Backend::Postgres(pg) => pg.next_pending(channel).await,
        }
    }

    /// The newest pending delivery of each of `channels` that has one: a channel whose newest
    /// grew had deliveries queued since (by another instance's poll, on a shared database).
    pub async fn newest_pending(
        &self,
        channels: &[String],
    ) -> Result<Vec<(String, DeliveryId)>, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let channels = channels.to_vec();
                db.run(move |db| db.newest_pending(&channels)).await
            }
            Backend::Postgres(pg) => pg.newest_pending(channels).await,
        }
    }

    /// Notes, just before its post, that this instance has the delivery in flight; returns the
    /// instance that had it in flight before, unanswered, if another one (this post repeats that
    /// one, with the same Idempotency-Key). [`StoreError::Fenced`] when its channel is held by
    /// another instance now: then it must not be posted. Nothing to note on an unshared state.
    pub async fn mark_in_flight(&self, id: DeliveryId) -> Result<Option<String>, StoreError> {
        match &self.backend {
            Backend::Sqlite(_) => Ok(None),
            Backend::Postgres(pg) => pg.mark_in_flight(id).await,
        }
    }

    /// Marks a delivery sent, and notes when its channel last received one: it is healthy again.
    /// A delivery parked while its card was on the way (its channel left the config meanwhile) is
    /// marked delivered too, so that restoring the channel does not post the card again; one that
    /// is neither pending nor parked is [`StoreError::NotPending`].
    pub async fn mark_delivered(
        &self,
        id: DeliveryId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.run(move |db| db.mark_delivered(id, at)).await,
            Backend::Postgres(pg) => pg.mark_delivered(id, at).await,
        }
    }

    /// Records a failed attempt to be retried at `next_attempt_at`; returns the attempts so far.
    pub async fn schedule_retry(
        &self,
        id: DeliveryId,
        next_attempt_at: DateTime<Utc>,
        error: &str,
    ) -> Result<u32, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let error = error.to_owned();
                db.run(move |db| db.schedule_retry(id, next_attempt_at, &error))
                    .await
            }
            Backend::Postgres(pg) => pg.schedule_retry(id, next_attempt_at, error).await,
        }
    }

    /// Records a post of a delivery that timed out once sent (the webhook may have posted it), to
    /// be repeated at `next_attempt_at`; its failed attempts are unchanged. Returns how many of
    /// its posts went unanswered so far.
    pub async fn schedule_unanswered(
        &self,
        id: DeliveryId,
        next_attempt_at: DateTime<Utc>,
        error: &str,
    ) -> Result<u32, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let error = error.to_owned();
                db.run(move |db| db.schedule_unanswered(id, next_attempt_at, &error))
                    .await
            }
            Backend::Postgres(pg) => pg.schedule_unanswered(id, next_attempt_at, error).await,
        }
    }

    /// Dead-letters a delivery: it stays in the outbox as `failed` until requeued or pruned.
    pub async fn mark_failed(
        &self,
        id: DeliveryId,
        at: DateTime<Utc>,
        error: &str,
    ) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let error = error.to_owned();
                db.run(move |db| db.mark_failed(id, at, &error)).await
            }
            Backend::Postgres(pg) => pg.mark_failed(id, at, error).await,
        }
    }

    /// Puts dead-lettered deliveries (of one channel, or all) back in the queue with a fresh
    /// attempt count; returns how many. They keep their place, before newer entries.
    pub async fn requeue_failed(
        &self,
        channel: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let channel = channel.map(str::to_owned);
                db.run(move |db| db.requeue_failed(channel.as_deref(), now))
                    .await
            }
            Backend::Postgres(pg) => pg.requeue_failed(channel, now).await,
        }
    }

    /// Brings the outbox in line with the configured channels `keep`, in one transaction: the
    /// pending deliveries of every other channel are parked at `at`, and the parked deliveries of
    /// the channels in `keep` are pending again, in their original order (see [`ChannelParking`]).
    pub async fn park_channels_not_in(
        &self,
        keep: &[String],
        at: DateTime<Utc>,
    ) -> Result<ChannelParking, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let keep = keep.to_vec();
                db.run(move |db| db.park_channels_not_in(&keep, at)).await
            }
            Backend::Postgres(pg) => pg.park_channels_not_in(keep, at).await,
        }
    }

    /// The channels that have parked deliveries, by name.
    pub async fn parked_channels(&self) -> Result<Vec<String>, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.run(super::sqlite::Db::parked_channels).await,
            Backend::Postgres(pg) => pg.parked_channels().await,
        }
    }

    /// Suspends a channel until `until`; its pending deliveries stay queued.
    pub async fn suspend_channel(
        &self,
        channel: &str,
        until: DateTime<Utc>,
        reason: &str,
    ) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let (channel, reason) = (channel.to_owned(), reason.to_owned());
                db.run(move |db| db.suspend_channel(&channel, until, &reason))
                    .await
            }
            Backend::Postgres(pg) => pg.suspend_channel(channel, until, reason).await,
        }
    }

    /// Lifts a channel's suspension (a no-op for a channel that is not suspended).
    pub async fn resume_channel(&self, channel: &str) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let channel = channel.to_owned();
                db.run(move |db| db.resume_channel(&channel)).await
            }
            Backend::Postgres(pg) => pg.resume_channel(channel).await,
        }
    }

    /// Holds a channel until `until` at its webhook's request (429); unlike a suspension, a
    /// restart keeps it.
    pub async fn pause_channel(
        &self,
        channel: &str,
        until: DateTime<Utc>,
        reason: &str,
    ) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let (channel, reason) = (channel.to_owned(), reason.to_owned());
                db.run(move |db| db.pause_channel(&channel, until, &reason))
                    .await
            }
            Backend::Postgres(pg) => pg.pause_channel(channel, until, reason).await,
        }
    }

    /// Lifts a channel's pause (a no-op for a channel that is not paused).
    pub async fn lift_pause(&self, channel: &str) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let channel = channel.to_owned();
                db.run(move |db| db.lift_pause(&channel)).await
            }
            Backend::Postgres(pg) => pg.lift_pause(channel).await,
        }
    }

    /// Notes that a post to `channel` failed at `at`; returns since when its posts have been
    /// failing. A delivery ([`Store::mark_delivered`]) ends the streak.
    pub async fn note_channel_failing(
        &self,
        channel: &str,
        at: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let channel = channel.to_owned();
                db.run(move |db| db.note_channel_failing(&channel, at))
                    .await
            }
            Backend::Postgres(pg) => pg.note_channel_failing(channel, at).await,
        }
    }

    /// Suspends a channel that keeps failing until `until` (its next probe), counting one more
    /// failed probe, and holds its oldest pending delivery `head` — one more failed attempt —
    /// until then; together.
    pub async fn suspend_failing(
        &self,
        channel: &str,
        head: DeliveryId,
        until: DateTime<Utc>,
        reason: &str,
    ) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let (channel, reason) = (channel.to_owned(), reason.to_owned());
                db.run(move |db| db.suspend_failing(&channel, head, until, &reason))
                    .await
            }
            Backend::Postgres(pg) => pg.suspend_failing(channel, head, until, reason).await,
        }
    }

    /// Cuts a recovered channel's backlog to the flood cap, in one transaction: per feed with
    /// more than its cap (`caps`, by feed name; none or 0: no cap) pending, the newest `cap` stay
    /// and the others become one card written by `note`, queued in the place of the oldest; the
    /// entries it summarises are settled as delivered. Returns each feed cut, with how many
    /// entries its card stands for.
    pub async fn summarise_backlog(
        &self,
        channel: &str,
        caps: Arc<HashMap<String, usize>>,
        note: BacklogNote,
        at: DateTime<Utc>,
    ) -> Result<Vec<(String, usize)>, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let channel = channel.to_owned();
                db.run(move |db| db.summarise_backlog(&channel, &caps, note, at))
                    .await
            }
            Backend::Postgres(pg) => pg.summarise_backlog(channel, &caps, note, at).await,
        }
    }

    /// What a channel's worker reads before each step: the channel's standing (suspension, pause,
    /// health — its outbox counts are not read and stay zero) and its oldest pending delivery, as
    /// [`Self::next_pending`] finds it. On SQLite both come from one call on the state's thread.
    pub async fn worker_view(
        &self,
        channel: &str,
    ) -> Result<(ChannelState, Option<PendingDelivery>), StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let channel = channel.to_owned();
                db.run(move |db| db.worker_view(&channel)).await
            }
            Backend::Postgres(pg) => {
                let standing = ChannelState {
                    pending: 0,
                    failed: 0,
                    delivered: 0,
                    oldest_pending_at: None,
                    parked: 0,
                    parked_since: None,
                    ..pg.channel_state(channel).await?
                };
                Ok((standing, pg.next_pending(channel).await?))
            }
        }
    }

    /// One channel's standing and outbox counts.
    pub async fn channel_state(&self, channel: &str) -> Result<ChannelState, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let channel = channel.to_owned();
                db.run(move |db| db.channel_state(&channel)).await
            }
            Backend::Postgres(pg) => pg.channel_state(channel).await,
        }
    }

    /// The standing of each named channel, in the order given.
    pub async fn channel_states(&self, names: &[String]) -> Result<Vec<ChannelState>, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let names = names.to_vec();
                db.run(move |db| db.channel_states(&names)).await
            }
            Backend::Postgres(pg) => pg.channel_states(names).await,
        }
    }
}

/// What a digest channel's worker asks: its whole queue at once, and its parts marked together.
impl Store {
    /// The oldest `limit` pending deliveries of `channel`, oldest first, whatever their
    /// `next_attempt_at`.
    pub async fn pending_deliveries(
        &self,
        channel: &str,
        limit: usize,
    ) -> Result<Vec<PendingDelivery>, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let channel = channel.to_owned();
                db.run(move |db| db.pending_deliveries(&channel, limit))
                    .await
            }
            Backend::Postgres(pg) => pg.pending_deliveries(channel, limit).await,
        }
    }

    /// Marks the deliveries `ids` of `channel` sent, in one transaction (those parked meanwhile
    /// too, as [`Self::mark_delivered`] does; those settled otherwise are left as they are), and
    /// notes that the channel is healthy again. Returns how many were marked.
    pub async fn mark_all_delivered(
        &self,
        channel: &str,
        ids: &[DeliveryId],
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let (channel, ids) = (channel.to_owned(), ids.to_vec());
                db.run(move |db| db.mark_all_delivered(&channel, &ids, at))
                    .await
            }
            Backend::Postgres(pg) => pg.mark_all_delivered(channel, ids, at).await,
        }
    }

    /// Notes that a digest of `channel` was posted at `at` ([`ChannelState::last_digest_at`]).
    pub async fn record_digest(&self, channel: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let channel = channel.to_owned();
                db.run(move |db| db.record_digest(&channel, at)).await
            }
            Backend::Postgres(pg) => pg.record_digest(channel, at).await,
        }
    }
}
