//! The series of each feed, and what the poll task records in them.
//!
//! A poll is recorded at two points: around the fetch ([`Metrics::timed_fetch`]: duration, bytes,
//! and the kind of a failed fetch) and when the poll ends ([`Metrics::poll_finished`]: its result).
//! The fetch leaves the kind of its failure with the feed's series for the end of the poll to
//! count, so each poll is counted once, under the cause that ended it. A feed's polls never
//! overlap (the scheduler hands a feed out again only when its poll is over), so the note left
//! there is always this poll's.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};

use super::labels::{ErrorKind, FeedLabels, PollErrorLabels, PollLabels, PollResult};
use super::{Metrics, unix_seconds};
use crate::config::Feed;
use crate::daemon::PollOutcome;
use crate::fetch::{FetchError, FetchOutcome};
use crate::store::{FeedState, LastResult};

/// Upper bounds of the fetch duration buckets, in seconds: a fast feed answers in tens of
/// milliseconds, a slow one in seconds, and the default timeout is 30 s.
const DURATION_BUCKETS: [f64; 10] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0];
/// `FeedMetrics::failed_fetch` when the fetch did not fail.
const NO_ERROR: u8 = u8::MAX;

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
    /// The [`ErrorKind`] of this poll's failed fetch, or [`NO_ERROR`].
    failed_fetch: AtomicU8,
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
            failed_fetch: AtomicU8::new(NO_ERROR),
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
    fn fetched(&self, elapsed: Duration, result: &Result<FetchOutcome, FetchError>) {
        self.duration.observe(elapsed.as_secs_f64());
        let failed = match result {
            Ok(FetchOutcome::Fetched(body)) => {
                self.bytes.inc_by(body.body.len() as u64);
                NO_ERROR
            }
            Ok(FetchOutcome::NotModified { .. }) => NO_ERROR,
            // The host asked us to wait: the poll ends as `wait`, not as a failure.
            Err(error) if error.retry_after().is_some() => NO_ERROR,
            Err(error) => ErrorKind::of(error) as u8,
        };
        self.failed_fetch.store(failed, Ordering::Relaxed);
    }

    fn finished(&self, outcome: &PollOutcome, at: DateTime<Utc>) {
        let failed_fetch = self.failed_fetch.swap(NO_ERROR, Ordering::Relaxed);
        let result = match outcome {
            PollOutcome::Read { new_entries, .. } => {
                self.new_entries.inc_by(*new_entries as u64);
                self.succeeded(unix_seconds(at));
                PollResult::Ok
            }
            PollOutcome::NotModified => {
                self.succeeded(unix_seconds(at));
                PollResult::NotModified
            }
            PollOutcome::Waiting(_) => PollResult::Wait,
            PollOutcome::Failed(_) => {
                // A fetch that went well leaves only the parsing to have failed.
                let kind = ErrorKind::ALL.get(usize::from(failed_fetch)).copied();
                self.error(kind.unwrap_or(ErrorKind::Parse)).inc();
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
    fn seed(&self, state: &FeedState) {
        self.failures.set(i64::from(state.consecutive_failures));
        let healthy = matches!(
            state
                .last_result
                .as_deref()
                .and_then(LastResult::from_column),
            Some(LastResult::Ok | LastResult::NotModified)
        );
        if let (true, Some(at)) = (healthy, state.last_poll_at) {
            self.last_success().set(unix_seconds(at));
        }
    }
}

impl Metrics {
    /// Awaits `fetch`, the fetch of `feed`, recording how long it took and how many bytes it
    /// brought; its result is returned untouched.
    pub async fn timed_fetch<F>(&self, feed: &str, fetch: F) -> Result<FetchOutcome, FetchError>
    where
        F: Future<Output = Result<FetchOutcome, FetchError>>,
    {
        let started = Instant::now();
        let result = fetch.await;
        self.feed(feed).fetched(started.elapsed(), &result);
        result
    }

    /// Records how a poll of `feed` ended, at `at`.
    pub fn poll_finished(&self, feed: &str, outcome: &PollOutcome, at: DateTime<Utc>) {
        self.feed(feed).finished(outcome, at);
    }

    /// Notes that the state could not record the poll of `feed`: the poll then ends as an error
    /// of kind `store`, whatever the fetch did.
    pub fn poll_store_failed(&self, feed: &str) {
        let series = self.feed(feed);
        series
            .failed_fetch
            .store(ErrorKind::Store as u8, Ordering::Relaxed);
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

    pub(super) fn track_feeds(&self, feeds: &[Feed], states: &[FeedState]) {
        // Looked up by name: with tens of thousands of feeds, a scan per feed would take minutes.
        let configured: HashSet<&str> = feeds.iter().map(|feed| feed.name.as_str()).collect();
        let states: HashMap<&str, &FeedState> = states
            .iter()
            .map(|state| (state.feed.as_str(), state))
            .collect();
        let mut known = self.feeds.write().unwrap_or_else(PoisonError::into_inner);
        known.retain(|name, _| {
            let kept = configured.contains(name.as_str());
            if !kept {
                self.feed_families.forget(name);
            }
            kept
        });
        for feed in feeds {
            let series = known
                .entry(feed.name.clone())
                .or_insert_with(|| Arc::new(self.feed_families.handle(&feed.name)));
            if let Some(state) = states.get(feed.name.as_str()) {
                series.seed(state);
            }
        }
    }
}
