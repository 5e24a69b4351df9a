//! The state: each feed's validators and schedule, the entries seen per feed, the delivery
//! outbox (one row per entry × channel), and the feeds' WebSub subscriptions.
//!
//! [`Store`] is the one API the rest of the program sees. It is async, speaks the program's own
//! types (`model.rs`) and never a database's, and nothing outside this module knows which backend
//! stands behind it:
//!
//! - `sqlite/`: one process on one state file, the default.
//!
//! Invariant, on every backend: one poll is one transaction — new validators, new seen entries and
//! their pending deliveries commit together, so a crash can neither lose an entry nor mark one
//! seen that was not queued.

mod error;
mod model;
mod sqlite;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

pub use error::StoreError;
pub use model::{
    BacklogNote, ChannelState, DeliveryId, FeedState, LastResult, OverflowNote, PendingDelivery,
    PollRecord, PollState, PollSummary, PushState, PushSubscription, QueueLimits, SkipEntry,
};
pub use sqlite::deleted_while_open;

use sqlite::blocking::Sqlite;

/// The state, whatever holds it.
pub struct Store {
    backend: Backend,
}

enum Backend {
    Sqlite(Sqlite),
}

impl Store {
    /// Opens (creating if needed) and migrates the SQLite state file at `path`, beside a daemon
    /// that may be running on it: for readers such as `status`. The folder must exist: creating
    /// it is the service manager's job (systemd `StateDirectory=`).
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Ok(Self::sqlite(sqlite::Db::open(path)?))
    }

    /// Opens the SQLite state file at `path` like [`Store::open`], as its one writer (`run`,
    /// `once`, `mark-seen`): [`StoreError::AlreadyRunning`] while another writer holds it, under
    /// any name (symlinks are followed). The claim lasts as long as the store and leaves no file
    /// behind. From then on every call first checks that `path` still names the file opened, and
    /// fails with [`StoreError::Changed`] once it does not.
    pub fn open_exclusive(path: &Path) -> Result<Self, StoreError> {
        Ok(Self::sqlite(sqlite::Db::open_exclusive(path)?))
    }

    /// Checks, reading and writing nothing, that the state is still where it was opened:
    /// [`StoreError::Changed`] once the state file of a store opened with
    /// [`Store::open_exclusive`] was deleted, or its path now names another file. Always `Ok` for a
    /// store opened otherwise. The daemon calls it at a modest interval and stops on an error.
    pub async fn check_state_file(&self) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.run(sqlite::Db::check_file).await,
        }
    }

    /// A store that lives only as long as the value: for tests and dry runs.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Ok(Self::sqlite(sqlite::Db::open_in_memory()?))
    }

    fn sqlite(db: sqlite::Db) -> Self {
        Self {
            backend: Backend::Sqlite(Sqlite::new(db)),
        }
    }

    /// Records a poll that returned a document, in one transaction (see [`PollRecord`]).
    pub async fn record_poll(&self, record: PollRecord) -> Result<PollSummary, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.run(move |db| db.record_poll(&record)).await,
        }
    }

    /// Records a `304 Not Modified`: the feed is healthy, its validators stay.
    pub async fn record_not_modified(
        &self,
        feed: &str,
        url: &str,
        at: DateTime<Utc>,
        next_due_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (feed, url) = (feed.to_owned(), url.to_owned());
        match &self.backend {
            Backend::Sqlite(db) => {
                db.run(move |db| db.record_not_modified(&feed, &url, at, next_due_at))
                    .await
            }
        }
    }

    /// Records a failed poll and returns how many polls in a row have now failed.
    pub async fn record_failure(
        &self,
        feed: &str,
        url: &str,
        at: DateTime<Utc>,
        error: &str,
        next_due_at: DateTime<Utc>,
    ) -> Result<u32, StoreError> {
        let (feed, url, error) = (feed.to_owned(), url.to_owned(), error.to_owned());
        match &self.backend {
            Backend::Sqlite(db) => {
                db.run(move |db| db.record_failure(&feed, &url, at, &error, next_due_at))
                    .await
            }
        }
    }

    /// Records a server asking us to wait (429, or 503 with `Retry-After`); the failure count
    /// is unchanged.
    pub async fn record_wait(
        &self,
        feed: &str,
        url: &str,
        at: DateTime<Utc>,
        reason: &str,
        next_due_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (feed, url, reason) = (feed.to_owned(), url.to_owned(), reason.to_owned());
        match &self.backend {
            Backend::Sqlite(db) => {
                db.run(move |db| db.record_wait(&feed, &url, at, &reason, next_due_at))
                    .await
            }
        }
    }

    /// What the state remembers about one feed, if it was ever polled.
    pub async fn feed_state(&self, feed: &str) -> Result<Option<FeedState>, StoreError> {
        let feed = feed.to_owned();
        match &self.backend {
            Backend::Sqlite(db) => db.run(move |db| db.feed_state(&feed)).await,
        }
    }

    /// Every feed the state remembers, by name — including feeds no longer configured.
    pub async fn feed_states(&self) -> Result<Vec<FeedState>, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.run(sqlite::Db::feed_states).await,
        }
    }

    /// The state one poll starts from, if the feed was ever polled; cheap at any history size.
    pub async fn poll_state(&self, feed: &str) -> Result<Option<PollState>, StoreError> {
        let feed = feed.to_owned();
        match &self.backend {
            Backend::Sqlite(db) => db.run(move |db| db.poll_state(&feed)).await,
        }
    }

    /// Every remembered feed's poll state, by name: what the poll loop starts from.
    pub async fn poll_states(&self) -> Result<HashMap<String, PollState>, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.run(sqlite::Db::poll_states).await,
        }
    }

    /// Notes a `304 Not Modified` of a steady feed ([`PollState::is_steady`]): only its poll and
    /// due times change, and they are written at the next [`Store::flush_notes`].
    pub fn note_not_modified(&self, feed: &str, at: DateTime<Utc>, next_due_at: DateTime<Utc>) {
        match &self.backend {
            Backend::Sqlite(db) => db.db().note_not_modified(feed, at, next_due_at),
        }
    }

    /// Whether notes are waiting for [`Store::flush_notes`].
    #[must_use]
    pub fn has_notes(&self) -> bool {
        match &self.backend {
            Backend::Sqlite(db) => db.db().has_notes(),
        }
    }

    /// Writes the notes taken since the last flush, together; returns how many. On a failure the
    /// notes are dropped: the feeds keep their previous times, which only makes them due sooner.
    pub async fn flush_notes(&self) -> Result<usize, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.run(sqlite::Db::flush_notes).await,
        }
    }

    /// The oldest pending delivery of `channel`, whatever its `next_attempt_at`.
    pub async fn next_pending(&self, channel: &str) -> Result<Option<PendingDelivery>, StoreError> {
        let channel = channel.to_owned();
        match &self.backend {
            Backend::Sqlite(db) => db.run(move |db| db.next_pending(&channel)).await,
        }
    }

    /// Marks a delivery sent, and notes when its channel last received one: it is healthy again.
    pub async fn mark_delivered(
        &self,
        id: DeliveryId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.run(move |db| db.mark_delivered(id, at)).await,
        }
    }

    /// Records a failed attempt to be retried at `next_attempt_at`; returns the attempts so far.
    pub async fn schedule_retry(
        &self,
        id: DeliveryId,
        next_attempt_at: DateTime<Utc>,
        error: &str,
    ) -> Result<u32, StoreError> {
        let error = error.to_owned();
        match &self.backend {
            Backend::Sqlite(db) => {
                db.run(move |db| db.schedule_retry(id, next_attempt_at, &error))
                    .await
            }
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
        let error = error.to_owned();
        match &self.backend {
            Backend::Sqlite(db) => {
                db.run(move |db| db.schedule_unanswered(id, next_attempt_at, &error))
                    .await
            }
        }
    }

    /// Dead-letters a delivery: it stays in the outbox as `failed` until requeued or pruned.
    pub async fn mark_failed(
        &self,
        id: DeliveryId,
        at: DateTime<Utc>,
        error: &str,
    ) -> Result<(), StoreError> {
        let error = error.to_owned();
        match &self.backend {
            Backend::Sqlite(db) => db.run(move |db| db.mark_failed(id, at, &error)).await,
        }
    }

    /// Puts dead-lettered deliveries (of one channel, or all) back in the queue with a fresh
    /// attempt count; returns how many. They keep their place, before newer entries.
    pub async fn requeue_failed(
        &self,
        channel: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let channel = channel.map(str::to_owned);
        match &self.backend {
            Backend::Sqlite(db) => {
                db.run(move |db| db.requeue_failed(channel.as_deref(), now))
                    .await
            }
        }
    }

    /// Dead-letters the pending deliveries of every channel not in `keep`; returns each such
    /// channel with how many deliveries it had pending.
    pub async fn cancel_channels_not_in(
        &self,
        keep: &[String],
        at: DateTime<Utc>,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        let keep = keep.to_vec();
        match &self.backend {
            Backend::Sqlite(db) => db.run(move |db| db.cancel_channels_not_in(&keep, at)).await,
        }
    }

    /// Suspends a channel until `until`; its pending deliveries stay queued.
    pub async fn suspend_channel(
        &self,
        channel: &str,
        until: DateTime<Utc>,
        reason: &str,
    ) -> Result<(), StoreError> {
        let (channel, reason) = (channel.to_owned(), reason.to_owned());
        match &self.backend {
            Backend::Sqlite(db) => {
                db.run(move |db| db.suspend_channel(&channel, until, &reason))
                    .await
            }
        }
    }

    /// Lifts a channel's suspension (a no-op for a channel that is not suspended).
    pub async fn resume_channel(&self, channel: &str) -> Result<(), StoreError> {
        let channel = channel.to_owned();
        match &self.backend {
            Backend::Sqlite(db) => db.run(move |db| db.resume_channel(&channel)).await,
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
        let (channel, reason) = (channel.to_owned(), reason.to_owned());
        match &self.backend {
            Backend::Sqlite(db) => {
                db.run(move |db| db.pause_channel(&channel, until, &reason))
                    .await
            }
        }
    }

    /// Lifts a channel's pause (a no-op for a channel that is not paused).
    pub async fn lift_pause(&self, channel: &str) -> Result<(), StoreError> {
        let channel = channel.to_owned();
        match &self.backend {
            Backend::Sqlite(db) => db.run(move |db| db.lift_pause(&channel)).await,
        }
    }

    /// Notes that a post to `channel` failed at `at`; returns since when its posts have been
    /// failing. A delivery ([`Store::mark_delivered`]) ends the streak.
    pub async fn note_channel_failing(
        &self,
        channel: &str,
        at: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, StoreError> {
        let channel = channel.to_owned();
        match &self.backend {
            Backend::Sqlite(db) => {
                db.run(move |db| db.note_channel_failing(&channel, at))
                    .await
            }
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
        let (channel, reason) = (channel.to_owned(), reason.to_owned());
        match &self.backend {
            Backend::Sqlite(db) => {
                db.run(move |db| db.suspend_failing(&channel, head, until, &reason))
                    .await
            }
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
        let channel = channel.to_owned();
        match &self.backend {
            Backend::Sqlite(db) => {
                db.run(move |db| db.summarise_backlog(&channel, &caps, note, at))
                    .await
            }
        }
    }

    /// One channel's standing and outbox counts.
    pub async fn channel_state(&self, channel: &str) -> Result<ChannelState, StoreError> {
        let channel = channel.to_owned();
        match &self.backend {
            Backend::Sqlite(db) => db.run(move |db| db.channel_state(&channel)).await,
        }
    }

    /// The standing of each named channel, in the order given.
    pub async fn channel_states(&self, names: &[String]) -> Result<Vec<ChannelState>, StoreError> {
        let names = names.to_vec();
        match &self.backend {
            Backend::Sqlite(db) => db.run(move |db| db.channel_states(&names)).await,
        }
    }

    /// Deletes settled deliveries and forgotten entries older than `retention`; returns how many
    /// rows went.
    pub async fn prune(&self, now: DateTime<Utc>, retention: Duration) -> Result<u64, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.run(move |db| db.prune(now, retention)).await,
        }
    }

    /// Every WebSub subscription the state keeps, by feed name (including feeds no longer
    /// configured, until they are unsubscribed).
    pub async fn push_subscriptions(&self) -> Result<Vec<PushSubscription>, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.run(sqlite::Db::push_subscriptions).await,
        }
    }

    /// The subscription whose callback token is `token`.
    pub async fn push_subscription(
        &self,
        token: &str,
    ) -> Result<Option<PushSubscription>, StoreError> {
        let token = token.to_owned();
        match &self.backend {
            Backend::Sqlite(db) => db.run(move |db| db.push_subscription(&token)).await,
        }
    }

    /// Writes a feed's subscription, replacing its previous one.
    pub async fn save_push_subscription(
        &self,
        subscription: PushSubscription,
    ) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                db.run(move |db| db.save_push_subscription(&subscription))
                    .await
            }
        }
    }

    /// Forgets the subscription whose callback token is `token`; whether there was one.
    pub async fn delete_push_subscription(&self, token: &str) -> Result<bool, StoreError> {
        let token = token.to_owned();
        match &self.backend {
            Backend::Sqlite(db) => db.run(move |db| db.delete_push_subscription(&token)).await,
        }
    }

    /// Caps the database so that tests can make it report a full disk; returns the cap in effect
    /// (SQLite pages).
    #[doc(hidden)]
    pub async fn set_max_page_count_for_tests(&self, pages: u64) -> Result<u64, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                db.run(move |db| db.set_max_page_count_for_tests(pages))
                    .await
            }
        }
    }
}

#[cfg(test)]
mod tests;
