//! The state: each feed's validators and schedule, the entries seen per feed, the delivery
//! outbox (one row per entry × channel), and the feeds' WebSub subscriptions.
//!
//! [`Store`] is the one API the rest of the program sees. It is async, speaks the program's own
//! types (`model.rs`) and never a database's, and nothing outside this module knows which backend
//! stands behind it:
//!
//! - `sqlite/`: one process on one state file, the default.
//! - `postgres/`: several instances on several hosts sharing one PostgreSQL database.
//!
//! What both share lives here: the types (`model.rs`), the queueing decisions of a poll
//! (`queue.rs`), the JSON of stored entries (`codec.rs`), the write-behind of 304s (`notes.rs`).
//! This file holds the feed calls; `deliveries.rs` the outbox and channel calls; `sharing.rs`
//! the instances and leases of a shared database.
//!
//! Invariant, on every backend: one poll is one transaction — new validators, new seen entries and
//! their pending deliveries commit together, so a crash can neither lose an entry nor mark one
//! seen that was not queued.

mod codec;
mod copy;
mod deliveries;
mod error;
mod model;
mod notes;
mod postgres;
mod queue;
mod retention;
mod sharing;
mod sqlite;

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};

pub use copy::CopyReport;
pub use error::StoreError;
pub use model::{
    Arrival, BacklogNote, ChannelParking, ChannelState, DeliveryId, FeedState, Instance,
    InstanceInfo, LastResult, LeaseHolder, LeaseKind, OverflowNote, PendingDelivery, PollRecord,
    PollState, PollSummary, Pruned, PushState, PushSubscription, QueueLimits, SkipEntry,
};
pub use retention::kept_until;
pub use sqlite::deleted_while_open;

use crate::config::StoreSettings;
use postgres::Pg;
use sqlite::blocking::Sqlite;

/// The state, whatever holds it.
pub struct Store {
    backend: Backend,
}

enum Backend {
    Sqlite(Sqlite),
    // Boxed: the pool and the sharing state dwarf the SQLite handle.
    Postgres(Box<Pg>),
}

impl Store {
    /// Opens the state `settings` name: the PostgreSQL database of `[store] url` when set, else
    /// the SQLite file at `path` — as its one writer when `writer` (see [`Store::open_exclusive`];
    /// instances share a database by design, so `writer` changes nothing there).
    pub async fn open_configured(
        settings: &StoreSettings,
        writer: bool,
    ) -> Result<Self, StoreError> {
        match (&settings.database, writer) {
            (Some(database), _) => Self::connect(database).await,
            (None, true) => Self::open_exclusive(&settings.path),
            (None, false) => Self::open(&settings.path),
        }
    }

    /// Connects to the PostgreSQL database of `settings` and applies the migrations it lacks;
    /// refuses a database whose schema is newer than this build knows.
    pub async fn connect(settings: &crate::config::DatabaseSettings) -> Result<Self, StoreError> {
        Ok(Self {
            backend: Backend::Postgres(Box::new(Pg::connect(settings).await?)),
        })
    }

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
    /// store opened otherwise, and for a database. The daemon calls it at a modest interval and stops on an error.
    pub async fn check_state_file(&self) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.run(sqlite::Db::check_file).await,
            Backend::Postgres(_) => Ok(()),
        }
    }

    /// While the database is unreachable, the error its calls meet (the instance logs the outage
    /// once, and its end); `None` while it answers, and always for a SQLite state, whose failures
    /// are each call's own.
    #[must_use]
    pub fn unreachable(&self) -> Option<StoreError> {
        match &self.backend {
            Backend::Sqlite(_) => None,
            Backend::Postgres(pg) => pg.unreachable(),
        }
    }

    /// Returns once the database answers again after an outage; at once when none is under way.
    pub async fn reachable_again(&self) {
        if let Backend::Postgres(pg) = &self.backend {
            pg.reachable_again().await;
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
        self.record_document(record, Arrival::Polled).await
    }

    /// Records a document a hub pushed for a feed, in one transaction: its entries as a poll
    /// records them, the feed's validators, schedule and health untouched (see [`Arrival`]).
    pub async fn record_push(&self, record: PollRecord) -> Result<PollSummary, StoreError> {
        self.record_document(record, Arrival::Pushed).await
    }

    async fn record_document(
        &self,
        record: PollRecord,
        arrival: Arrival,
    ) -> Result<PollSummary, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.run(move |db| db.record_document(&record, arrival)).await,
            Backend::Postgres(pg) => pg.record_document(&record, arrival).await,
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
        match &self.backend {
            Backend::Sqlite(db) => {
                let (feed, url) = (feed.to_owned(), url.to_owned());
                db.run(move |db| db.record_not_modified(&feed, &url, at, next_due_at))
                    .await
            }
            Backend::Postgres(pg) => {
                let outcome = postgres::Outcome::NotModified;
                pg.record_outcome(feed, url, at, next_due_at, outcome)
                    .await
                    .map(drop)
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
        match &self.backend {
            Backend::Sqlite(db) => {
                let (feed, url, error) = (feed.to_owned(), url.to_owned(), error.to_owned());
                db.run(move |db| db.record_failure(&feed, &url, at, &error, next_due_at))
                    .await
            }
            Backend::Postgres(pg) => {
                let outcome = postgres::Outcome::Error(error);
                pg.record_outcome(feed, url, at, next_due_at, outcome).await
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
        match &self.backend {
            Backend::Sqlite(db) => {
                let (feed, url, reason) = (feed.to_owned(), url.to_owned(), reason.to_owned());
                db.run(move |db| db.record_wait(&feed, &url, at, &reason, next_due_at))
                    .await
            }
            Backend::Postgres(pg) => {
                let outcome = postgres::Outcome::Wait(reason);
                pg.record_outcome(feed, url, at, next_due_at, outcome)
                    .await
                    .map(drop)
            }
        }
    }

    /// What the state remembers about one feed, if it was ever polled.
    pub async fn feed_state(&self, feed: &str) -> Result<Option<FeedState>, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let feed = feed.to_owned();
                db.run(move |db| db.feed_state(&feed)).await
            }
            Backend::Postgres(pg) => pg.feed_state(feed).await,
        }
    }

    /// Every feed the state remembers, by name — including feeds no longer configured.
    pub async fn feed_states(&self) -> Result<Vec<FeedState>, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.run(sqlite::Db::feed_states).await,
            Backend::Postgres(pg) => pg.feed_states().await,
        }
    }

    /// The state one poll starts from, if the feed was ever polled; cheap at any history size.
    pub async fn poll_state(&self, feed: &str) -> Result<Option<PollState>, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let feed = feed.to_owned();
                db.run(move |db| db.poll_state(&feed)).await
            }
            Backend::Postgres(pg) => pg.poll_state(feed).await,
        }
    }

    /// Every remembered feed's poll state, by name: what the poll loop starts from.
    pub async fn poll_states(&self) -> Result<HashMap<String, PollState>, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.run(sqlite::Db::poll_states).await,
            Backend::Postgres(pg) => pg.poll_states().await,
        }
    }

    /// Notes a `304 Not Modified` of a steady feed ([`PollState::is_steady`]): only its poll and
    /// due times change, and they are written at the next [`Store::flush_notes`].
    pub fn note_not_modified(&self, feed: &str, at: DateTime<Utc>, next_due_at: DateTime<Utc>) {
        match &self.backend {
            Backend::Sqlite(db) => db.db().note_not_modified(feed, at, next_due_at),
            Backend::Postgres(pg) => pg.note_not_modified(feed, at, next_due_at),
        }
    }

    /// Whether notes are waiting for [`Store::flush_notes`].
    #[must_use]
    pub fn has_notes(&self) -> bool {
        match &self.backend {
            Backend::Sqlite(db) => db.db().has_notes(),
            Backend::Postgres(pg) => pg.has_notes(),
        }
    }

    /// Writes the notes taken since the last flush, together; returns how many. On a failure the
    /// notes are dropped: the feeds keep their previous times, which only makes them due sooner.
    pub async fn flush_notes(&self) -> Result<usize, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.run(sqlite::Db::flush_notes).await,
            Backend::Postgres(pg) => pg.flush_notes().await,
        }
    }

    /// Deletes settled deliveries, deliveries parked, and forgotten entries older than `retention`;
    /// returns what went.
    pub async fn prune(
        &self,
        now: DateTime<Utc>,
        retention: Duration,
    ) -> Result<Pruned, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.run(move |db| db.prune(now, retention)).await,
            Backend::Postgres(pg) => pg.prune(now, retention).await,
        }
    }

    /// Every WebSub subscription the state keeps, by feed name (including feeds no longer
    /// configured, until they are unsubscribed).
    pub async fn push_subscriptions(&self) -> Result<Vec<PushSubscription>, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.run(sqlite::Db::push_subscriptions).await,
            Backend::Postgres(pg) => pg.push_subscriptions().await,
        }
    }

    /// The subscription whose callback token is `token`.
    pub async fn push_subscription(
        &self,
        token: &str,
    ) -> Result<Option<PushSubscription>, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let token = token.to_owned();
                db.run(move |db| db.push_subscription(&token)).await
            }
            Backend::Postgres(pg) => pg.push_subscription(token).await,
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
            Backend::Postgres(pg) => pg.save_push_subscription(&subscription).await,
        }
    }

    /// Forgets the subscription whose callback token is `token`; whether there was one.
    pub async fn delete_push_subscription(&self, token: &str) -> Result<bool, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                let token = token.to_owned();
                db.run(move |db| db.delete_push_subscription(&token)).await
            }
            Backend::Postgres(pg) => pg.delete_push_subscription(token).await,
        }
    }

    /// Caps the database so that tests can make it report a full disk; returns the cap in effect
    /// (SQLite pages). A database has no such cap.
    #[doc(hidden)]
    pub async fn set_max_page_count_for_tests(&self, pages: u64) -> Result<u64, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => {
                db.run(move |db| db.set_max_page_count_for_tests(pages))
                    .await
            }
            Backend::Postgres(_) => Err(StoreError::Database(
                "only a SQLite state has a page cap".to_owned(),
            )),
        }
    }
}

#[cfg(test)]
mod tests;
