//! The program's own types that the store takes and gives, whatever the backend behind it.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::fetch::Validators;
use crate::parse::{Entry, FeedInfo};

mod push;
mod sharing;
pub use push::{PushState, PushSubscription};
pub use sharing::{Instance, InstanceInfo, LeaseHolder, LeaseKind};

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

/// Where a recorded document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// A poll read it: the feed's validators, schedule and health are the record's.
    Polled,
    /// The feed's hub pushed it (WebSub): the feed's validators, schedule and health stay as its
    /// last poll left them, and the record's are not read. The entries are recorded and queued
    /// exactly as a poll's, through the same dedupe, so push and poll never post one entry twice.
    Pushed,
}

/// One successful poll with a body, to record in one transaction.
#[derive(Debug, Clone)]
pub struct PollRecord {
    pub feed: String,
    pub url: String,
    pub polled_at: DateTime<Utc>,
    pub validators: Validators,
    pub info: FeedInfo,
    /// Every entry of the document, **oldest first** (the caller orders them).
    pub entries: Vec<Entry>,
    /// The channels subscribed to the feed now.
    pub channels: Vec<String>,
    /// On the feed's first poll, how many of the newest entries to queue.
    pub backlog: usize,
    pub next_due_at: DateTime<Utc>,
    /// What may be queued.
    pub limits: QueueLimits,
}

/// Writes the entry that stands for entries held back: (feed, its info, the entries held back
/// oldest first, the poll's time).
pub type OverflowNote = fn(&str, &FeedInfo, &[&Entry], DateTime<Utc>) -> Entry;

/// Writes the entry that stands for a recovered channel's backlog beyond the flood cap: (channel,
/// feed, its info, the deliveries' entries summarised oldest first, the time).
pub type BacklogNote = fn(&str, &str, &FeedInfo, &[&Entry], DateTime<Utc>) -> Entry;

/// Says whether a new entry is to be recorded as seen without being queued (a feed's filters).
pub type SkipEntry = Arc<dyn Fn(&Entry) -> bool + Send + Sync>;

/// Bounds on what a poll queues. Whatever they hold back is still recorded as seen, so it is never
/// queued later. `skip` applies to every poll, the first included (before the backlog is taken);
/// the others to the polls after the first.
#[derive(Clone, Default)]
pub struct QueueLimits {
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
    pub skip: Option<SkipEntry>,
}

impl std::fmt::Debug for QueueLimits {
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
    /// Failed attempts so far (429 answers do not count, nor posts left unanswered).
    pub attempts: u32,
    /// Posts that timed out once sent, so that the webhook may have received them.
    pub unanswered: u32,
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
    /// The webhook asked the channel to wait (429) until then, capped at its `max_pause`.
    pub paused_until: Option<DateTime<Utc>>,
    pub pause_reason: Option<String>,
    /// Since when every post to the channel has failed (`None` while its last post got through).
    pub failing_since: Option<DateTime<Utc>>,
    /// How many probes of the channel's suspension for failing have failed in a row.
    pub probes: u32,
    pub last_delivery_at: Option<DateTime<Utc>>,
    pub pending: u64,
    pub failed: u64,
    pub delivered: u64,
    /// When the oldest pending delivery was queued.
    pub oldest_pending_at: Option<DateTime<Utc>>,
    /// When the channel's last digest was posted (digest channels only).
    pub last_digest_at: Option<DateTime<Utc>>,
    /// Deliveries kept while the channel is out of the config ([`ChannelParking`]).
    pub parked: u64,
    /// When the earliest of them was parked: pruning counts the retention period from there.
    pub parked_since: Option<DateTime<Utc>>,
}

/// What bringing the outbox in line with the configured channels changed, channel by channel.
///
/// A channel that leaves the config has its pending deliveries *parked*: nothing sends them, and
/// they keep their place. If the channel comes back they are pending again, ahead of anything
/// queued since; otherwise they are pruned a retention period after they were parked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChannelParking {
    /// Channels no longer configured, with how many pending deliveries each had parked.
    pub parked: Vec<(String, u64)>,
    /// Configured channels again, with how many parked deliveries each had put back in the queue.
    pub restored: Vec<(String, u64)>,
}

/// What one pruning deleted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pruned {
    /// Deliveries settled (delivered or dead-lettered) before the retention period.
    pub settled: u64,
    /// Deliveries parked before the retention period, by channel.
    pub parked: Vec<(String, u64)>,
    /// Seen entries forgotten.
    pub entries: u64,
}

impl Pruned {
    /// Every row deleted.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.settled + self.entries + self.parked.iter().map(|(_, count)| count).sum::<u64>()
    }
}

/// What a poll needs to know about its feed before fetching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollState {
    /// The URL the validators were received from.
    pub url: String,
    pub validators: Validators,
    pub consecutive_failures: u32,
    pub last_result: Option<LastResult>,
    pub next_due_at: Option<DateTime<Utc>>,
}

impl PollState {
    /// Whether a 304 from `url` would change only this feed's times, so that it may be noted
    /// ([`super::Store::note_not_modified`]) rather than recorded.
    #[must_use]
    pub fn is_steady(&self, url: &str) -> bool {
        self.consecutive_failures == 0
            && self.last_result == Some(LastResult::NotModified)
            && self.url == url
    }
}

/// How a feed's last poll ended, as the state records it (`feeds.last_result`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LastResult {
    /// A document was read.
    Ok,
    NotModified,
    /// The host asked us to come back later.
    Wait,
    Error,
}

impl LastResult {
    /// The column's text, as [`super::FeedState::last_result`] shows it.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::NotModified => "not_modified",
            Self::Wait => "wait",
            Self::Error => "error",
        }
    }

    /// The value of a column's text; `None` for text the state never writes.
    #[must_use]
    pub fn from_column(text: &str) -> Option<Self> {
        [Self::Ok, Self::NotModified, Self::Wait, Self::Error]
            .into_iter()
            .find(|result| result.as_str() == text)
    }
}
