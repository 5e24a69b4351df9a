//! The SQLite state: each feed's validators and schedule, the entries seen per feed, and the
//! delivery outbox (one row per entry × channel).
//!
//! The API is narrow and speaks the program's own types, never rusqlite's, so that another backend
//! can stand behind it. It is synchronous: callers in async code use `spawn_blocking`.
//!
//! Invariant: one poll is one transaction — new validators, new seen entries and their pending
//! deliveries commit together, so a crash can neither lose an entry nor mark one seen that was not
//! queued.

mod blocking;

use std::path::Path;

pub use blocking::run_blocking;

use chrono::{DateTime, Utc};

use crate::fetch::Validators;
use crate::parse::{Entry, FeedInfo};

/// Why the state could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the state file {path}: {message}")]
    Open { path: String, message: String },
    #[error(
        "the state file {path} was written by a newer feedhook (schema {found}, this one knows {known})"
    )]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("the state file {path} is corrupt: {message}")]
    Corrupt { path: String, message: String },
    #[error("the disk is full: {0}")]
    DiskFull(String),
    #[error("state database error: {0}")]
    Database(String),
}

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
    /// `ok`, `not_modified` or `error`.
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
}

/// The state database.
pub struct Store {}

impl Store {
    /// Opens (creating if needed) and migrates the state file.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let _ = path;
        todo!("store helper")
    }
}

// TEMPORARY until the store module lands.
#[allow(clippy::unused_self, unused_variables, clippy::needless_pass_by_value)]
impl Store {
    pub fn feed_state(&self, feed: &str) -> Result<Option<FeedState>, StoreError> {
        todo!()
    }
    pub fn feed_states(&self) -> Result<Vec<FeedState>, StoreError> {
        todo!()
    }
    pub fn record_poll(&self, poll: &PollRecord<'_>) -> Result<PollSummary, StoreError> {
        todo!()
    }
    pub fn record_not_modified(
        &self,
        feed: &str,
        url: &str,
        at: DateTime<Utc>,
        next: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        todo!()
    }
    pub fn record_failure(
        &self,
        feed: &str,
        url: &str,
        at: DateTime<Utc>,
        error: &str,
        next: DateTime<Utc>,
    ) -> Result<u32, StoreError> {
        todo!()
    }
    pub fn record_wait(
        &self,
        feed: &str,
        url: &str,
        at: DateTime<Utc>,
        reason: &str,
        next: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        todo!()
    }
    pub fn next_pending(&self, channel: &str) -> Result<Option<PendingDelivery>, StoreError> {
        todo!()
    }
    pub fn mark_delivered(&self, id: DeliveryId, at: DateTime<Utc>) -> Result<(), StoreError> {
        todo!()
    }
    pub fn schedule_retry(
        &self,
        id: DeliveryId,
        at: DateTime<Utc>,
        error: &str,
    ) -> Result<u32, StoreError> {
        todo!()
    }
    pub fn defer(&self, id: DeliveryId, at: DateTime<Utc>, reason: &str) -> Result<(), StoreError> {
        todo!()
    }
    pub fn mark_failed(
        &self,
        id: DeliveryId,
        at: DateTime<Utc>,
        error: &str,
    ) -> Result<(), StoreError> {
        todo!()
    }
    pub fn suspend_channel(
        &self,
        channel: &str,
        until: DateTime<Utc>,
        reason: &str,
    ) -> Result<(), StoreError> {
        todo!()
    }
    pub fn resume_channel(&self, channel: &str) -> Result<(), StoreError> {
        todo!()
    }
    pub fn channel_state(&self, channel: &str) -> Result<ChannelState, StoreError> {
        todo!()
    }
    pub fn channel_states(&self, names: &[String]) -> Result<Vec<ChannelState>, StoreError> {
        todo!()
    }
    pub fn prune(
        &self,
        now: DateTime<Utc>,
        retention: std::time::Duration,
    ) -> Result<u64, StoreError> {
        todo!()
    }
}
