//! Operator metrics. The poll task and the delivery workers record what happens as it happens; with
//! `[http] listen` set, [`serve`] exposes the registry in Prometheus's text format at `/metrics`,
//! beside a health check at `/healthz`. docs/monitoring.md lists every series.
//!
//! - `labels`: the label sets, and the closed sets of values the `result`, `kind` and `outcome`
//!   labels take.
//! - `feeds`, `channels`: the series of one feed or channel, looked up once and kept in a map, so
//!   that recording a poll or a post is a map lookup and a few atomic operations — no label set is
//!   built, no lock is held across an await.
//! - `http`: the listener; `routes`: `/metrics` (with the queue gauges read from the state when
//!   scraped) and `/healthz`.
//!
//! There is one registry per process, reached through [`global`] the way `tracing` reaches its
//! subscriber, and recorded into only once the endpoint is served: the recording points are spread over types that other code constructs, and a global
//! keeps each hook one line and lets counters run on across a reload. The free functions
//! ([`timed_fetch`], [`poll_finished`], [`poll_store_failed`], [`delivery`]) are those hooks; tests
//! build their own [`Metrics`] and call its methods.

mod channels;
mod feeds;
mod http;
mod labels;
mod routes;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, RwLock};
use std::time::{Duration, Instant};

use prometheus_client::encoding::{prometheus_text, text};
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::{Registry, Unit};

use chrono::{DateTime, Utc};

use crate::config::{Channel, Config};
use crate::daemon::PollOutcome;
use crate::deliver::Verdict;
use crate::fetch::{FetchError, FetchOutcome};
use crate::store::FeedState;

pub use http::{ListenError, Server, serve};
pub use labels::{DeliveryOutcome, ErrorKind, PollResult};

/// The registry and every series feedhook exports.
pub struct Metrics {
    registry: Registry,
    feed_families: feeds::Families,
    channel_families: channels::Families,
    /// Each feed's series by feed name; std locks, only ever held for a lookup or an insert.
    feeds: RwLock<HashMap<String, Arc<feeds::FeedMetrics>>>,
    channels: RwLock<HashMap<String, Arc<channels::ChannelMetrics>>>,
    started: Instant,
    uptime: Gauge<f64, AtomicU64>,
    heartbeat_age: Gauge<f64, AtomicU64>,
}

/// The text formats `/metrics` speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Prometheus text exposition 0.0.4, what every scraper reads.
    Prometheus,
    /// OpenMetrics 1.0 text, for a scraper that asks for it.
    OpenMetrics,
}

impl Format {
    #[must_use]
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Prometheus => prometheus_text::CONTENT_TYPE,
            Self::OpenMetrics => "application/openmetrics-text; version=1.0.0; charset=utf-8",
        }
    }
}

/// The process's registry, created on first use.
#[must_use]
pub fn global() -> &'static Metrics {
    static GLOBAL: LazyLock<Metrics> = LazyLock::new(Metrics::new);
    &GLOBAL
}

/// Whether the hooks record into [`global`]: only once the endpoint serves it. Each feed's series
/// cost about 1.3 KB, which nobody reads without `[http] listen`.
static RECORDING: AtomicBool = AtomicBool::new(false);

/// Makes the hooks record from now on, for the rest of the process.
pub(crate) fn start_recording() {
    RECORDING.store(true, Ordering::Relaxed);
}

fn recording() -> bool {
    RECORDING.load(Ordering::Relaxed)
}

/// Awaits `fetch`, the fetch of `feed`, recording its duration and size in [`global`].
pub async fn timed_fetch<F>(feed: &str, fetch: F) -> Result<FetchOutcome, FetchError>
where
    F: Future<Output = Result<FetchOutcome, FetchError>>,
{
    if recording() {
        global().timed_fetch(feed, fetch).await
    } else {
        fetch.await
    }
}

/// Records in [`global`] how a poll of `feed` ended, at `at`.
pub fn poll_finished(feed: &str, outcome: &PollOutcome, at: DateTime<Utc>) {
    if recording() {
        global().poll_finished(feed, outcome, at);
    }
}

/// Records in [`global`] that the state could not record the poll of `feed`.
pub fn poll_store_failed(feed: &str) {
    if recording() {
        global().poll_store_failed(feed);
    }
}

/// Records in [`global`] what one post to `channel` came to.
pub fn delivery(channel: &Channel, verdict: &Verdict) {
    if recording() {
        global().delivery(channel, verdict);
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A registry with the process series and empty feed and channel families.
    #[must_use]
    pub fn new() -> Self {
        let mut registry = Registry::default();
        let build = Info::new(vec![("version", env!("CARGO_PKG_VERSION"))]);
        registry.register("feedhook_build", "The running feedhook's version", build);
        let start_time: Gauge = Gauge::default();
        start_time.set(unix_seconds(Utc::now()));
        let (uptime, heartbeat_age) = (Gauge::default(), Gauge::default());
        for (name, help, gauge) in [
            ("feedhook_uptime", "How long this process has run", &uptime),
            (
                "feedhook_heartbeat_age",
                "How long ago the poll loop last went round (it does at least every 5 s)",
                &heartbeat_age,
            ),
        ] {
            registry.register_with_unit(name, help, Unit::Seconds, gauge.clone());
        }
        let start_help = "When this process started, in seconds since the Unix epoch";
        registry.register_with_unit("feedhook_start_time", start_help, Unit::Seconds, start_time);
        Self {
            feed_families: feeds::Families::register(&mut registry),
            channel_families: channels::Families::register(&mut registry),
            registry,
            feeds: RwLock::default(),
            channels: RwLock::default(),
            started: Instant::now(),
            uptime,
            heartbeat_age,
        }
    }

    /// Creates the series of every configured feed and channel (so that they read 0 rather than
    /// being absent), seeds each feed's health from the state, and drops the series of feeds and
    /// channels the config no longer has.
    pub fn track(&self, config: &Config, states: &[FeedState]) {
        self.track_feeds(&config.feeds, states);
        self.track_channels(&config.channels);
    }

    /// Every series, as `/metrics` serves it. `since_heartbeat` is the poll loop's, read now.
    #[must_use]
    pub fn encode(&self, format: Format, since_heartbeat: Duration) -> String {
        self.uptime.set(self.started.elapsed().as_secs_f64());
        self.heartbeat_age.set(since_heartbeat.as_secs_f64());
        let mut out = String::with_capacity(16 * 1024);
        let encoded = match format {
            Format::Prometheus => prometheus_text::encode(&mut out, &self.registry),
            Format::OpenMetrics => text::encode(&mut out, &self.registry),
        };
        // Writing to a String cannot fail; an encoder error would be a bug in a label value.
        if let Err(error) = encoded {
            tracing::error!(%error, "cannot encode the metrics");
        }
        out
    }
}

fn unix_seconds(at: DateTime<Utc>) -> i64 {
    at.timestamp()
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod process_tests {
    use super::*;

    #[test]
    fn the_process_series_are_exported() {
        let metrics = Metrics::new();
        let text = metrics.encode(Format::Prometheus, Duration::from_secs(3));
        let version = format!(
            "feedhook_build_info{{version=\"{}\"}} 1",
            env!("CARGO_PKG_VERSION")
        );
        assert!(text.contains(&version), "{text}");
        assert!(text.contains("feedhook_heartbeat_age_seconds 3"), "{text}");
        assert!(
            text.contains("# TYPE feedhook_uptime_seconds gauge"),
            "{text}"
        );
        let start = text
            .lines()
            .find_map(|line| line.strip_prefix("feedhook_start_time_seconds "))
            .and_then(|value| value.parse::<i64>().ok())
            .expect("a start time");
        assert!((start - Utc::now().timestamp()).abs() < 60, "{start}");
    }

    #[test]
    fn openmetrics_ends_with_eof() {
        let text = Metrics::new().encode(Format::OpenMetrics, Duration::ZERO);
        assert!(text.ends_with("# EOF\n"), "{text}");
        assert!(
            Format::OpenMetrics
                .content_type()
                .starts_with("application/openmetrics-text")
        );
        assert!(Format::Prometheus.content_type().starts_with("text/plain"));
    }
}
