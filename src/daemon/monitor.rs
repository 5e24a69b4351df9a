//! The daemon's side of the metrics. `metrics` knows none of the stages, so here — and only here —
//! a poll's report, a post's verdict and the state's readings become the metrics' own values, and
//! the endpoint is given a [`Readings`] of the running daemon to answer from.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::config::{Channel, Config, Feed};
use crate::deliver::Verdict;
use crate::metrics::{
    self, Delegate, DeliveryOutcome, ErrorKind, FeedHealth, LeaseReading, LeaseWork, Metrics,
    PollEnd, PollSample, PushIgnored, QueueReading, Server, Source, SubscriptionState,
};
use crate::poll::{FailureCause, FetchFailure, Heartbeat, PollOutcome, PollReport};
use crate::push::{Ignored, SignatureError, Standing};
use crate::schedule::Clock;
use crate::store::{ChannelState, FeedState, LastResult, Store, StoreError};

use super::share::ShareReport;

/// The process's metrics registry. The caller makes it when a configuration first sets `[http]`
/// and keeps it to the end of the process, handing a clone to each run, so that counters run on
/// across reloads.
#[derive(Clone, Default)]
pub struct MetricsRegistry(Arc<Metrics>);

/// The metrics of a run: the registry to record into, and the listener to serve it on, bound by
/// the caller from `[http] listen`. Without a listener the run records but serves nothing (a reload
/// removed `[http]`): the counters keep counting for when it comes back.
pub struct Monitoring {
    pub metrics: MetricsRegistry,
    pub listener: Option<TcpListener>,
}

impl Monitoring {
    pub(super) fn into_parts(self) -> (Arc<Metrics>, Option<TcpListener>) {
        (self.metrics.0, self.listener)
    }
}

/// Serves `metrics` on `listener` until `stop`, once every configured feed and channel has its
/// series (a feed's health read from the state), so that a scrape right after the start sees
/// every one of them.
pub(super) async fn serve(
    config: &Config,
    metrics: Arc<Metrics>,
    listener: TcpListener,
    source: Readings,
    delegate: Option<Delegate>,
    stop: CancellationToken,
) -> std::io::Result<Server> {
    let states = source.store.feed_states()
        .await
        .unwrap_or_else(|error| {
            tracing::warn!(%error, "cannot read the feeds' state; their health metrics start from this run");
            Vec::new()
        });
    track(&metrics, config, &states);
    metrics::serve(listener, metrics, source, delegate, stop)
}

fn track(metrics: &Metrics, config: &Config, states: &[FeedState]) {
    // Looked up by name: with tens of thousands of feeds, a scan per feed would take minutes.
    let states: HashMap<&str, &FeedState> = states
        .iter()
        .map(|state| (state.feed.as_str(), state))
        .collect();
    // Labelled as shown: a feed named by its URL without the URL's login and query values.
    let shown: Vec<_> = config.feeds.iter().map(Feed::display_name).collect();
    let feeds: Vec<(&str, Option<FeedHealth>)> = config
        .feeds
        .iter()
        .zip(&shown)
        .map(|(feed, label)| {
            let health = states.get(feed.name.as_str()).map(|s| feed_health(s));
            (label.as_ref(), health)
        })
        .collect();
    let channels: Vec<(&str, &'static str)> = config
        .channels
        .values()
        .map(|channel| (channel.name.as_str(), channel.kind.as_str()))
        .collect();
    metrics.track(&feeds, &channels);
}

/// A feed's health as the state remembers it: its failures in a row, and its last poll when that
/// poll read the feed or found it not modified.
fn feed_health(state: &FeedState) -> FeedHealth {
    let healthy = matches!(
        state
            .last_result
            .as_deref()
            .and_then(LastResult::from_column),
        Some(LastResult::Ok | LastResult::NotModified)
    );
    FeedHealth {
        consecutive_failures: state.consecutive_failures,
        last_success: state.last_poll_at.filter(|_| healthy),
    }
}

/// The poll observer that records each report in `metrics`, at `clock`'s time.
pub(super) fn record_polls(
    metrics: &Arc<Metrics>,
    clock: Clock,
) -> impl Fn(&Feed, &PollReport) + Send + Sync + 'static {
    let metrics = Arc::clone(metrics);
    move |feed, report| {
        if let Some(sample) = poll_sample(report, clock.now()) {
            metrics.record_poll(&feed.display_name(), &sample);
        }
    }
}

/// What a poll's report counts as. A poll that did not run to its end counts as nothing, like one
/// abandoned at a stop.
fn poll_sample(report: &PollReport, at: DateTime<Utc>) -> Option<PollSample> {
    let end = match &report.outcome {
        PollOutcome::Read { new_entries, .. } => PollEnd::Read {
            new_entries: *new_entries as u64,
        },
        PollOutcome::NotModified => PollEnd::NotModified,
        PollOutcome::Waiting(_) => PollEnd::Wait,
        PollOutcome::Failed(failure) => PollEnd::Failed(error_kind(failure.cause)?),
    };
    Some(PollSample {
        end,
        fetch_duration: report.fetch.duration,
        fetched_bytes: report.fetch.bytes,
        at,
    })
}

fn error_kind(cause: FailureCause) -> Option<ErrorKind> {
    Some(match cause {
        FailureCause::Fetch(kind) => match kind {
            FetchFailure::Timeout => ErrorKind::Timeout,
            FetchFailure::Connect => ErrorKind::Connect,
            FetchFailure::Tls => ErrorKind::Tls,
            FetchFailure::Redirects => ErrorKind::Redirects,
            FetchFailure::HttpStatus => ErrorKind::HttpStatus,
            FetchFailure::TooLarge => ErrorKind::TooLarge,
            FetchFailure::Blocked => ErrorKind::Blocked,
            FetchFailure::Other => ErrorKind::Other,
        },
        FailureCause::Parse => ErrorKind::Parse,
        FailureCause::Store => ErrorKind::Store,
        FailureCause::Unfinished => return None,
    })
}

/// The lease keeper's observer: records each round's leases held, claimed and lost.
pub(super) fn record_shares(
    metrics: &Arc<Metrics>,
) -> impl Fn(&ShareReport) + Send + Sync + 'static {
    let metrics = Arc::clone(metrics);
    move |report| {
        for (work, held, won, lost) in [
            (
                LeaseWork::Feed,
                report.feeds_held,
                report.won.0,
                report.lost.0,
            ),
            (
                LeaseWork::Channel,
                report.channels_held,
                report.won.1,
                report.lost.1,
            ),
        ] {
            metrics.record_leases(&LeaseReading {
                work,
                held: held as u64,
                won: won as u64,
                lost: lost as u64,
            });
        }
    }
}

/// The verdict observer of `channel`'s worker: counts each post in `metrics`, if there are any.
pub(super) fn record_verdicts(
    metrics: Option<&Arc<Metrics>>,
    channel: &Channel,
) -> Arc<dyn Fn(&Verdict) + Send + Sync> {
    let Some(metrics) = metrics.cloned() else {
        return Arc::new(|_: &Verdict| {});
    };
    let (name, kind) = (channel.name.clone(), channel.kind.as_str());
    Arc::new(move |verdict: &Verdict| {
        metrics.record_delivery(&name, kind, delivery_outcome(verdict));
    })
}

fn delivery_outcome(verdict: &Verdict) -> DeliveryOutcome {
    match verdict {
        Verdict::Delivered => DeliveryOutcome::Delivered,
        Verdict::Retry { .. } | Verdict::Unanswered { .. } => DeliveryOutcome::Retry,
        Verdict::RateLimited { .. } => DeliveryOutcome::RateLimited,
        Verdict::Rejected { .. } => DeliveryOutcome::Rejected,
        Verdict::ChannelGone { .. } => DeliveryOutcome::Suspended,
    }
}

/// Sets the subscription gauges from the subscriber's census.
pub(super) fn record_subscriptions(metrics: &Metrics, census: &[(Standing, usize)]) {
    let counts: Vec<(SubscriptionState, usize)> = census
        .iter()
        .map(|&(standing, count)| (subscription_state(standing), count))
        .collect();
    metrics.push_subscriptions(&counts);
}

fn subscription_state(standing: Standing) -> SubscriptionState {
    match standing {
        Standing::Subscribed => SubscriptionState::Subscribed,
        Standing::Pending => SubscriptionState::Pending,
        Standing::Failed => SubscriptionState::Failed,
    }
}

/// Why a push was ignored, as the metrics label it.
pub(super) fn ignored_reason(why: Ignored) -> PushIgnored {
    match why {
        Ignored::Signature(SignatureError::Missing) => PushIgnored::Unsigned,
        Ignored::Signature(SignatureError::Malformed | SignatureError::Mismatch) => {
            PushIgnored::BadSignature
        }
        Ignored::TooLarge => PushIgnored::TooLarge,
    }
}

/// What `/metrics` and `/healthz` read from a running daemon: the poll loop's heartbeat and the
/// state.
pub(super) struct Readings {
    store: Arc<Store>,
    heartbeat: Arc<Heartbeat>,
    clock: Clock,
    /// The configured channels, whose queues `/metrics` reads.
    channels: Arc<[String]>,
}

impl Readings {
    pub(super) fn new(
        config: &Config,
        store: &Arc<Store>,
        heartbeat: &Arc<Heartbeat>,
        clock: Clock,
    ) -> Self {
        Self {
            store: Arc::clone(store),
            heartbeat: Arc::clone(heartbeat),
            clock,
            channels: config.channels.keys().cloned().collect(),
        }
    }
}

impl Source for Readings {
    type Error = StoreError;

    fn since_heartbeat(&self) -> Duration {
        self.heartbeat.since()
    }

    fn queues(&self) -> impl Future<Output = Result<Vec<QueueReading>, StoreError>> + Send {
        let (store, channels, clock) = (
            Arc::clone(&self.store),
            Arc::clone(&self.channels),
            self.clock,
        );
        async move {
            // Removed channels count only for their parked deliveries.
            let mut names = channels.to_vec();
            let removed = store.parked_channels().await?.into_iter();
            names.extend(removed.filter(|name| !channels.contains(name)));
            let states = store.channel_states(&names).await?;
            let now = clock.now();
            Ok(states
                .iter()
                .map(|state| queue_reading(state, now))
                .collect())
        }
    }

    fn state_answers(&self) -> impl Future<Output = Result<(), StoreError>> + Send {
        let store = Arc::clone(&self.store);
        // An outage under way answers at once; else a real query that reads nothing: the
        // connection, its lock and the file all answer.
        async move {
            match store.unreachable() {
                Some(outage) => Err(outage),
                None => store.poll_state("").await.map(drop),
            }
        }
    }
}

fn queue_reading(state: &ChannelState, now: DateTime<Utc>) -> QueueReading {
    QueueReading {
        channel: state.channel.clone(),
        pending: state.pending,
        dead_letters: state.failed,
        parked: state.parked,
        suspended: state.suspended_until.is_some_and(|until| until > now),
        oldest_pending_age: state
            .oldest_pending_at
            .and_then(|at| (now - at).to_std().ok())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests;
