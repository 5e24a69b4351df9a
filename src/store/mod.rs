//! The `SQLite` state: each feed's validators and schedule, the entries seen per feed, and the
//! delivery outbox (one row per entry × channel).
//!
//! The API is narrow and speaks the program's own types, never rusqlite's, so that another backend
//! can stand behind it. It is synchronous: callers in async code use [`run_blocking`].
//!
//! Invariant: one poll is one transaction — new validators, new seen entries and their pending
//! deliveries commit together, so a crash can neither lose an entry nor mark one seen that was not
//! queued.

mod blocking;
mod channels;
mod columns;
mod error;
mod feeds;
mod lock;
mod migrations;
mod open;
mod outbox;
mod poll_state;
mod prune;
#[cfg(test)]
mod testing;

use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::fetch::Validators;
use crate::parse::{Entry, FeedInfo};

pub use blocking::run_blocking;
use error::Failure;
pub use error::StoreError;
pub use lock::InstanceLock;
pub use poll_state::{LastResult, PollState};

/// The row id of one delivery (entry × channel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeliveryId(pub i64);

/// What the state remembers about a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedState {
    pub feed: String,
    pub url: String,
    pub validators: Validators,
    pub info: FeedInfo,
    pub last_poll_at: Option<DateTime<Utc>>,
    /// `ok`, `not_modified`, `error`, or `wait` (the server asked us to come back later).
    pub last_result: Option<String>,
    pub last_error: Option<String>,
    pub consecutive_failures: u32,
    pub next_due_at: Option<DateTime<Utc>>,
    pub entries_seen: u64,
}

/// One successful poll with a body, to record in one transaction.
#[derive(Debug, Clone)]
pub struct PollRecord<'a> {
    pub feed: &'a str,
    pub url: &'a str,
    pub polled_at: DateTime<Utc>,
    pub validators: &'a Validators,
    pub info: &'a FeedInfo,
    /// Every entry of the document, **oldest first** (the caller orders them).
    pub entries: &'a [Entry],
    /// The channels subscribed to the feed now.
    pub channels: &'a [String],
    /// On the feed's first poll, how many of the newest entries to queue.
    pub backlog: usize,
    pub next_due_at: DateTime<Utc>,
    /// What may be queued.
    pub limits: QueueLimits<'a>,
}

/// Writes the entry that stands for entries held back: (feed, its info, the entries held back
/// oldest first, the poll's time).
pub type OverflowNote = fn(&str, &FeedInfo, &[&Entry], DateTime<Utc>) -> Entry;

/// Says whether a new entry is to be recorded as seen without being queued (a feed's filters).
pub type SkipEntry<'a> = &'a dyn Fn(&Entry) -> bool;

/// Bounds on what a poll queues. Whatever they hold back is still recorded as seen, so it is never
/// queued later. `skip` applies to every poll, the first included (before the backlog is taken);
/// the others to the polls after the first.
#[derive(Clone, Copy, Default)]
pub struct QueueLimits<'a> {
    /// The most new entries queued by one poll (0: no limit). When more look new — a publisher
    /// that rewrote every id — only the newest are queued, after one note entry summarising the
    /// others, which `overflow_note` writes.
    pub max_new: usize,
    /// Writes the note about entries held back by `max_new`: (feed, its info, the entries held
    /// back oldest first, the poll's time).
    pub overflow_note: Option<OverflowNote>,
    /// Entries dated before this are recorded and not queued (`max_age`); undated ones are queued.
    pub not_before: Option<DateTime<Utc>>,
    /// New entries it says yes to are recorded and not queued, nor counted by `max_new` or the
    /// backlog. Called once per new entry, so it may log its verdict.
    pub skip: Option<SkipEntry<'a>>,
}

impl std::fmt::Debug for QueueLimits<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueueLimits")
            .field("max_new", &self.max_new)
            .field("overflow_note", &self.overflow_note.is_some())
            .field("not_before", &self.not_before)
            .field("skip", &self.skip.is_some())
            .finish()
    }
}

/// What a recorded poll changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PollSummary {
    /// This was the feed's first poll: everything was marked seen, only the backlog queued.
    pub first_poll: bool,
    /// Entries not seen before.
    pub new_entries: usize,
    /// Deliveries queued (entries × channels).
    pub queued: usize,
    /// New entries recorded without a delivery because they were older than `not_before`.
    pub too_old: usize,
    /// New entries held back by `max_new` (summarised by one note entry).
    pub held_back: usize,
    /// New entries recorded without a delivery because `skip` said so (the feed's filters).
    pub filtered: usize,
}

/// A delivery waiting in a channel's outbox, with what is needed to render it.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingDelivery {
    pub id: DeliveryId,
    pub feed: String,
    pub channel: String,
    pub entry: Entry,
    pub feed_info: FeedInfo,
    pub feed_url: String,
    /// Failed attempts so far (429 answers do not count).
    pub attempts: u32,
    pub queued_at: DateTime<Utc>,
    /// Not to be attempted before this.
    pub next_attempt_at: DateTime<Utc>,
}

/// A channel's standing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChannelState {
    pub channel: String,
    pub suspended_until: Option<DateTime<Utc>>,
    pub suspended_reason: Option<String>,
    pub last_delivery_at: Option<DateTime<Utc>>,
    pub pending: u64,
    pub failed: u64,
    pub delivered: u64,
    /// When the oldest pending delivery was queued.
    pub oldest_pending_at: Option<DateTime<Utc>>,
}

/// The state database.
///
/// One connection behind a std `Mutex`: every call is short, synchronous `SQLite` work, so async
/// callers run it through [`run_blocking`] and share the `Store` in an `Arc`.
pub struct Store {
    conn: Mutex<Connection>,
    /// The turn async callers wait for in [`run_blocking`] (one permit).
    turn: tokio::sync::Semaphore,
    /// 304s waiting for [`Store::flush_notes`].
    notes: Mutex<Vec<poll_state::NotModifiedNote>>,
    /// The file as named in errors (`:memory:` for a store opened in memory).
    path: String,
}

impl Store {
    /// Runs `work` on the connection and classifies its failure.
    fn with_conn<T>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, Failure>,
    ) -> Result<T, StoreError> {
        // A panic while the lock was held cannot leave a transaction half-applied (rusqlite rolls
        // back on drop), so a poisoned lock still guards a consistent connection.
        let mut conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        work(&mut conn).map_err(|e| e.into_store_error(&self.path, false))
    }
}

#[cfg(test)]
mod tests;
