//! Fixtures shared by the store's unit tests.

use chrono::{DateTime, TimeDelta, Utc};

use super::{Db, PollRecord, PollSummary};
use crate::fetch::Validators;
use crate::parse::{Entry, FeedInfo};

/// A fixed origin plus `minutes`, so that tests read as a timeline.
pub(super) fn at(minutes: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000, 0).expect("valid origin") + TimeDelta::minutes(minutes)
}

pub(super) fn entry(key: &str) -> Entry {
    Entry {
        key: key.to_owned(),
        title: Some(format!("Entry {key}")),
        link: Some(format!("https://example.com/{key}")),
        ..Entry::default()
    }
}

/// One poll with a body, built step by step.
pub(super) struct Poll {
    pub feed: String,
    pub validators: Validators,
    pub info: FeedInfo,
    pub entries: Vec<Entry>,
    pub channels: Vec<String>,
    pub backlog: usize,
    pub polled_at: DateTime<Utc>,
}

impl Poll {
    pub fn new(feed: &str, keys: &[&str], channels: &[&str]) -> Self {
        Self {
            feed: feed.to_owned(),
            validators: Validators::default(),
            info: FeedInfo {
                title: Some(format!("The {feed} feed")),
                link: Some(format!("https://example.com/{feed}")),
            },
            entries: keys.iter().map(|k| entry(k)).collect(),
            channels: channels.iter().map(|c| (*c).to_owned()).collect(),
            backlog: 0,
            polled_at: at(0),
        }
    }

    pub fn backlog(mut self, backlog: usize) -> Self {
        self.backlog = backlog;
        self
    }

    pub fn at(mut self, polled_at: DateTime<Utc>) -> Self {
        self.polled_at = polled_at;
        self
    }

    pub fn etag(mut self, etag: &str) -> Self {
        self.validators.etag = Some(etag.to_owned());
        self
    }

    pub fn record(&self) -> PollRecord {
        PollRecord {
            feed: self.feed.clone(),
            url: "https://example.com/feed.xml".to_owned(),
            polled_at: self.polled_at,
            validators: self.validators.clone(),
            info: self.info.clone(),
            entries: self.entries.clone(),
            channels: self.channels.clone(),
            backlog: self.backlog,
            next_due_at: self.polled_at + TimeDelta::minutes(15),
            limits: crate::store::QueueLimits::default(),
        }
    }

    pub fn run(&self, store: &Db) -> PollSummary {
        store.record_poll(&self.record()).expect("record poll")
    }
}

/// The entry keys waiting for `channel`, in delivery order.
pub(super) fn pending_keys(store: &Db, channel: &str) -> Vec<String> {
    store
        .with_conn(|conn| {
            let mut stmt = conn.prepare(
                "SELECT entry_key FROM deliveries WHERE channel = ?1 AND status = 'pending' ORDER BY id",
            )?;
            let keys = stmt
                .query_map([channel], |row| row.get(0))?
                .collect::<Result<Vec<String>, _>>()?;
            Ok(keys)
        })
        .expect("pending keys")
}

/// Every delivery row, in any status.
pub(super) fn delivery_count(store: &Db) -> i64 {
    store
        .with_conn(|conn| Ok(conn.query_row("SELECT COUNT(*) FROM deliveries", [], |r| r.get(0))?))
        .expect("count deliveries")
}
