//! Operator metrics: the registry of every series feedhook exports, and the endpoint that serves
//! it in Prometheus's text format at `/metrics`, beside a health check at `/healthz`.
//! docs/monitoring.md lists every series.
//!
//! This is a leaf: it knows no other part of feedhook. Its callers speak its own small types — a
//! [`PollSample`] per finished poll, a [`DeliveryOutcome`] per post, a [`QueueReading`] per channel,
//! a [`FeedHealth`] to start a feed's series from — and the daemon, the only caller, turns the
//! stages' values into them.
//!
//! - `labels`: the label sets, and the closed sets of values the `result`, `kind` and `outcome`
//!   labels take.
//! - `feeds`, `channels`: the series of one feed or channel, looked up once and kept in a map, so
//!   that recording a poll or a post is a map lookup and a few atomic operations — no label set is
//!   built, no lock is held across an await.
//! - `push`: the WebSub series, which have no per-feed labels.
//! - `leases`: what an instance sharing a database holds, claimed and lost.
//! - `http`: the server on a listener the caller bound; `routes`: `/metrics` and `/healthz`, which
//!   read the running daemon through a [`Source`].

mod channels;
mod feeds;
mod http;
mod labels;
mod leases;
mod push;
mod routes;

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use prometheus_client::encoding::{prometheus_text, text};
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::{Registry, Unit};

use chrono::{DateTime, Utc};

pub use channels::QueueReading;
pub use feeds::{FeedHealth, PollEnd, PollSample};
pub use http::{Server, serve};
pub use labels::{
    DeliveryOutcome, ErrorKind, PollResult, PushIgnored, PushKind, SubscriptionState,
};
pub use leases::{LeaseReading, LeaseWork};
pub use routes::{Delegate, Handler, Source};

/// The registry and every series feedhook exports.
pub struct Metrics {
    registry: Registry,
    feed_families: feeds::Families,
    channel_families: channels::Families,
    push_families: push::Families,
    lease_families: leases::Families,
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
            push_families: push::Families::register(&mut registry),
            lease_families: leases::Families::register(&mut registry),
            registry,
            feeds: RwLock::default(),
            channels: RwLock::default(),
            started: Instant::now(),
            uptime,
            heartbeat_age,
        }
    }

    /// Creates the series of every configured feed and channel (so that they read 0 rather than
    /// being absent), seeds each feed given a health, and drops the series of feeds and channels
    /// no longer configured. `feeds` are names with what the state remembers of each; `channels`
    /// are names with their kind as the `kind` label reads.
    pub fn track(&self, feeds: &[(&str, Option<FeedHealth>)], channels: &[(&str, &'static str)]) {
        self.track_feeds(feeds);
        self.track_channels(channels);
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
