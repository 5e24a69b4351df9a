//! The series of each feed, and what one finished poll records in them: its fetch (duration and
//! bytes) and how it ended, counted once under the cause that ended it.

use std::collections::HashSet;
use std::sync::{Arc, OnceLock, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};

use super::labels::{ErrorKind, FeedLabels, PollErrorLabels, PollLabels, PollResult};
use super::{Metrics, unix_seconds};

/// Upper bounds of the fetch duration buckets, in seconds: a fast feed answers in tens of
/// milliseconds, a slow one in seconds, and the default timeout is 30 s.
const DURATION_BUCKETS: [f64; 10] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0];

/// How one poll ended, as the feed's series count it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollEnd {
    /// The feed was read; `new_entries` of its entries were seen for the first time.
    Read { new_entries: u64 },
    /// 304 Not Modified.
    NotModified,
    /// The host asked us to come back later; not a failure.
    Wait,
    /// The poll failed, for this reason.
    Failed(ErrorKind),
}

/// One finished poll of a feed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PollSample {
    pub end: PollEnd,
    /// How long its fetch took, including any wait for a free fetch slot.
    pub fetch_duration: Duration,
    /// Bytes of body its fetch brought, after decompression.
    pub fetched_bytes: u64,
    /// When it ended.
    pub at: DateTime<Utc>,
}

/// A feed's health as the state remembers it, for its series to start from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FeedHealth {
    pub consecutive_failures: u32,
    /// When it was last read or found not modified, if its last poll did either.
    pub last_success: Option<DateTime<Utc>>,
}

type HistogramFamily = Family<FeedLabels, Histogram, fn() -> Histogram>;

/// The feed metric families, as registered.
pub(super) struct Families {
    polls: Family<PollLabels, Counter>,
    errors: Family<PollErrorLabels, Counter>,
    new_entries: Family<FeedLabels, Counter>,
    last_success: Family<FeedLabels, Gauge>,
    failures: Family<FeedLabels, Gauge>,
    duration: HistogramFamily,
    bytes: Family<FeedLabels, Counter>,
}

/// One feed's series. Error kinds and the last success appear only once they happen.
pub(super) struct FeedMetrics {
    feed: String,
    polls: Vec<Counter>,
    errors: Vec<OnceLock<Counter>>,
    errors_family: Family<PollErrorLabels, Counter>,
    new_entries: Counter,
    last_success: OnceLock<Gauge>,
    last_success_family: Family<FeedLabels, Gauge>,
    failures: Gauge,
    duration: Histogram,
    bytes: Counter,
}

fn fetch_histogram() -> Histogram {
    Histogram::new(DURATION_BUCKETS)
}

impl Families {
    pub fn register(registry: &mut Registry) -> Self {
        let families = Self {
            polls: Family::default(),
            errors: Family::default(),
            new_entries: Family::default(),
            last_success: Family::default(),
            failures: Family::default(),
            duration: Family::new_with_constructor(fetch_histogram as fn() -> Histogram),
            bytes: Family::default(),
        };
        let help = "Polls of each feed, by result: ok, not_modified, wait or error";
        registry.register("feedhook_feed_polls", help, families.polls.clone());
        let help = "Failed polls of each feed, by kind of failure";
        registry.register("feedhook_feed_poll_errors", help, families.errors.clone());
        let help = "Entries seen for the first time (on a feed's first poll: all of them)";
        registry.register(
            "feedhook_feed_new_entries",
            help,
            families.new_entries.clone(),
        );
        let help =
            "When the feed was last read or found not modified, in seconds since the Unix epoch";
        let last_success = families.last_success.clone();
        registry.register_with_unit(
            "feedhook_feed_last_success_timestamp",
            help,
            Unit::Seconds,
            last_success,
        );
        let help =
            "Polls of the feed that failed in a row (waiting as the host asked does not count)";
        registry.register(
            "feedhook_feed_consecutive_failures",
            help,
            families.failures.clone(),
        );
        let help = "How long each fetch took, including any wait for a free fetch slot";
        let duration = families.duration.clone();
        registry.register_with_unit(
            "feedhook_feed_fetch_duration",
            help,
            Unit::Seconds,
            duration,
        );
        let help = "Feed bodies fetched, in bytes after decompression";
        registry.register_with_unit(
            "feedhook_feed_fetched",
            help,
            Unit::Bytes,
            families.bytes.clone(),
        );
        families
    }

    fn handle(&self, feed: &str) -> FeedMetrics {
        let labels = FeedLabels {
            feed: feed.to_owned(),
        };
        let polls = PollResult::ALL.iter().map(|&result| {
            let labels = PollLabels {
                feed: feed.to_owned(),
                result,
            };
            self.polls.get_or_create_owned(&labels)
        });
        FeedMetrics {
            feed: feed.to_owned(),
            polls: polls.collect(),
            errors: ErrorKind::ALL.iter().map(|_| OnceLock::new()).collect(),
            errors_family: self.errors.clone(),
            new_entries: self.new_entries.get_or_create_owned(&labels),
            last_success: OnceLock::new(),
            last_success_family: self.last_success.clone(),
            failures: self.failures.get_or_create_owned(&labels),
            duration: self.duration.get_or_create_owned(&labels),
            bytes: self.bytes.get_or_create_owned(&labels),
        }
    }

    /// Drops every series of `feed`.
    fn forget(&self, feed: &str) {
        let labels = FeedLabels {
            feed: feed.to_owned(),
        };
        for &result in PollResult::ALL {
            self.polls.remove(&PollLabels {
                feed: feed.to_owned(),
                result,
            });
        }
        for &kind in ErrorKind::ALL {
            self.errors.remove(&PollErrorLabels {
                feed: feed.to_owned(),
                kind,
            });
        }
        self.new_entries.remove(&labels);
        self.last_success.remove(&labels);
        self.failures.remove(&labels);
        self.duration.remove(&labels);
        self.bytes.remove(&labels);
    }
}

impl FeedMetrics {
    fn record(&self, poll: &PollSample) {
        self.duration.observe(poll.fetch_duration.as_secs_f64());
        self.bytes.inc_by(poll.fetched_bytes);
        let result = match poll.end {
            PollEnd::Read { new_entries } => {
                self.new_entries.inc_by(new_entries);
                self.succeeded(unix_seconds(poll.at));
                PollResult::Ok
            }
            PollEnd::NotModified => {
                self.succeeded(unix_seconds(poll.at));
                PollResult::NotModified
            }
            PollEnd::Wait => PollResult::Wait,
            PollEnd::Failed(kind) => {
                self.error(kind).inc();
                self.failures.inc();
                PollResult::Error
            }
        };
        self.polls[result as usize].inc();
    }

    fn succeeded(&self, at: i64) {
        self.last_success().set(at);
        self.failures.set(0);
    }

    fn error(&self, kind: ErrorKind) -> &Counter {
        self.errors[kind as usize].get_or_init(|| {
            let labels = PollErrorLabels {
                feed: self.feed.clone(),
                kind,
            };
            self.errors_family.get_or_create_owned(&labels)
        })
    }

    fn last_success(&self) -> &Gauge {
        self.last_success.get_or_init(|| {
            let labels = FeedLabels {
                feed: self.feed.clone(),
            };
            self.last_success_family.get_or_create_owned(&labels)
        })
    }

    /// Takes the feed's health as the state remembers it: the process may be younger than the
    /// feed's trouble, and an alert on the last success must not reset with each restart.
    fn seed(&self, health: FeedHealth) {
        self.failures.set(i64::from(health.consecutive_failures));
        if let Some(at) = health.last_success {
            self.last_success().set(unix_seconds(at));
        }
    }
}

impl Metrics {
    /// Records one finished poll of `feed`.
    pub fn record_poll(&self, feed: &str, poll: &PollSample) {
        self.feed(feed).record(poll);
    }

    fn feed(&self, name: &str) -> Arc<FeedMetrics> {
        let known = self
            .feeds
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(name)
            .cloned();
        known.unwrap_or_else(|| {
            let mut feeds = self.feeds.write().unwrap_or_else(PoisonError::into_inner);
            let series = feeds.entry(name.to_owned());
            Arc::clone(series.or_insert_with(|| Arc::new(self.feed_families.handle(name))))
        })
    }

    /// Creates the series of each of `feeds` not yet tracked, seeds those given a health, and
    /// drops the series of every other feed.
    pub(super) fn track_feeds(&self, feeds: &[(&str, Option<FeedHealth>)]) {
        // Looked up by name: with tens of thousands of feeds, a scan per feed would take minutes.
        let configured: HashSet<&str> = feeds.iter().map(|(name, _)| *name).collect();
        let mut known = self.feeds.write().unwrap_or_else(PoisonError::into_inner);
        known.retain(|name, _| {
            let kept = configured.contains(name.as_str());
            if !kept {
                self.feed_families.forget(name);
            }
            kept
        });
        for &(name, health) in feeds {
            let series = known
                .entry(name.to_owned())
                .or_insert_with(|| Arc::new(self.feed_families.handle(name)));
            if let Some(health) = health {
                series.seed(health);
            }
        }
    }
}
