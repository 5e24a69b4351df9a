//! What instances sharing one database know of each other: who is alive, and who holds which
//! lease on a feed or a channel.

use chrono::{DateTime, Utc};

/// The two kinds of work instances share. An instance polls the feeds and works the channel
/// outboxes whose leases it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LeaseKind {
    Feed,
    Channel,
}

impl LeaseKind {
    /// The `kind` column's text, and the `kind` label of the metrics.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Feed => "feed",
            Self::Channel => "channel",
        }
    }
}

/// This instance as it announces itself to the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceInfo {
    pub host: String,
    pub pid: u32,
    /// A digest of the feeds and channels it runs: instances that differ warn about each other.
    pub config_digest: String,
}

/// An instance as the database records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    /// Chosen at random when the process joins; a restarted process is a new instance.
    pub id: String,
    pub host: String,
    pub pid: u32,
    pub started_at: DateTime<Utc>,
    pub heartbeat_at: DateTime<Utc>,
    pub config_digest: String,
    /// Whether its last heartbeat is younger than the lease, by the database's clock.
    pub live: bool,
}

/// Who holds the lease on one feed or channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseHolder {
    pub name: String,
    /// The instance id of the holder; `None` once released.
    pub owner: Option<String>,
    /// When its holder claimed it.
    pub acquired_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    /// Whether the lease is still running (unexpired), by the database's clock.
    pub running: bool,
}
