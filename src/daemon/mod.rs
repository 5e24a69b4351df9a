//! The composition root: builds the pipeline from the config, runs the poll loop and one delivery
//! worker per channel, serves the metrics, and stops them in order.
//!
//! - `started`: a started daemon, its poll loop and its orderly stop.
//! - `once`: the single pass of `feedhook once`.
//! - `monitor`: what the daemon tells the metrics registry, and what `/metrics` and `/healthz` read
//!   from it — the only place that speaks both the stages' types and the metrics' labels.
//! - `upkeep`: pruning old state, the systemd status line and the watchdog.
//! - `reload`: what a reload changes, in words for the log.
//! - [`systemd`]: the sd_notify protocol.

mod monitor;
mod once;
mod reload;
mod started;
pub mod systemd;
mod upkeep;

use systemd::Notifier;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::config::{Channel, Config};
use crate::deliver::{self, ChannelWorker, Poster, Target, WorkerReport, WorkerSettings};
use crate::fetch::{FetchError, Fetcher};
use crate::metrics::Metrics;
use crate::poll::{self, Heartbeat, PollContext};
use crate::schedule::Clock;
use crate::store::{self, Store, StoreError};
use started::Polls;

pub use monitor::{MetricsRegistry, Monitoring};
pub use once::{ONCE_RETRY_BOUND, OnceReport, once, once_with_progress};
/// How each feed's poll ended, as [`OnceReport`] lists it.
pub use poll::PollOutcome;
pub use reload::describe_changes;
pub use started::{DRAIN_DEADLINE, Started};

/// How long a suspended channel rests before the daemon tries it again.
pub const SUSPENSION: Duration = Duration::from_secs(3600);

/// Why the daemon could not start or had to stop.
#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot build the HTTP client: {0}")]
    Http(String),
    #[error("cannot serve /metrics and /healthz: {0}")]
    Serve(#[from] std::io::Error),
}

impl From<FetchError> for DaemonError {
    fn from(error: FetchError) -> Self {
        Self::Http(error.to_string())
    }
}

impl From<deliver::PostError> for DaemonError {
    fn from(error: deliver::PostError) -> Self {
        Self::Http(error.to_string())
    }
}

/// What one run wires together: the state, the clock, each channel's wake-up, and the metrics
/// registry it records into, if any.
struct Pipeline {
    store: Arc<Store>,
    clock: Clock,
    wakers: Arc<Wakers>,
    metrics: Option<Arc<Metrics>>,
}

impl Pipeline {
    fn new(
        config: &Config,
        store: Arc<Store>,
        clock: Clock,
        metrics: Option<Arc<Metrics>>,
    ) -> Self {
        Self {
            store,
            clock,
            wakers: Arc::new(Wakers::new(config)),
            metrics,
        }
    }

    /// What the polls need: a poll that queued deliveries wakes the channels' workers, and each
    /// report is recorded in the metrics.
    fn poll_context(&self, config: &Config) -> Result<PollContext, DaemonError> {
        let fetcher = Fetcher::new(&config.fetch)?;
        let wakers = Arc::clone(&self.wakers);
        let context = PollContext::new(Arc::clone(&self.store), fetcher, self.clock)
            .on_queued(move |channels| wakers.wake(channels));
        Ok(match &self.metrics {
            Some(metrics) => context.on_finished(monitor::record_polls(metrics, self.clock)),
            None => context,
        })
    }

    /// One worker per channel; `drain_until` is `once`'s bound (see [`WorkerSettings`]).
    fn spawn_workers(
        &self,
        config: &Config,
        drain_until: Option<chrono::DateTime<chrono::Utc>>,
        stop: &CancellationToken,
    ) -> Result<JoinSet<(String, WorkerReport)>, DaemonError> {
        let poster = Poster::new()?;
        let mut workers = JoinSet::new();
        for channel in config.channels.values() {
            let worker = ChannelWorker {
                channel: channel.clone(),
                store: Arc::clone(&self.store),
                target: Arc::new(Target::for_channel(channel, &poster)),
                clock: self.clock,
                wake: self.wakers.get(&channel.name),
                settings: worker_settings(channel, drain_until),
                on_verdict: monitor::record_verdicts(self.metrics.as_ref(), channel),
            };
            let (name, stop) = (channel.name.clone(), stop.clone());
            workers.spawn(async move { (name, worker.run(stop).await) });
        }
        Ok(workers)
    }
}

/// Each channel's wake-up: notified when a poll queued deliveries for it.
struct Wakers(HashMap<String, Arc<Notify>>);

impl Wakers {
    fn new(config: &Config) -> Self {
        let wakers = config.channels.keys();
        Self(wakers.map(|name| (name.clone(), Arc::default())).collect())
    }

    fn wake(&self, channels: &[String]) {
        for name in channels {
            if let Some(waker) = self.0.get(name) {
                waker.notify_one();
            }
        }
    }

    fn get(&self, channel: &str) -> Arc<Notify> {
        self.0.get(channel).cloned().unwrap_or_default()
    }
}

/// Runs the daemon until `stop` is cancelled: [`start`], then [`Started::run`].
pub async fn run(
    config: &Config,
    store: Arc<Store>,
    clock: Clock,
    monitoring: Option<Monitoring>,
    stop: CancellationToken,
    notifier: Arc<Notifier>,
) -> Result<(), DaemonError> {
    start(config, store, clock, monitoring, stop, notifier)
        .await?
        .run()
        .await
}

/// Starts the daemon: resumes suspended channels, starts the delivery workers and the chores and,
/// with `monitoring`, records metrics (and serves them, when it holds a listener), then tells
/// systemd it is ready. Everything that can keep the configuration from running fails here; the
/// poll loop is [`Started::run`].
pub async fn start(
    config: &Config,
    store: Arc<Store>,
    clock: Clock,
    monitoring: Option<Monitoring>,
    stop: CancellationToken,
    notifier: Arc<Notifier>,
) -> Result<Started, DaemonError> {
    resume_suspended_channels(config, &store).await?;
    let (metrics, listener) = monitoring.map(Monitoring::into_parts).unzip();
    let pipeline = Pipeline::new(config, Arc::clone(&store), clock, metrics.clone());
    let context = Arc::new(pipeline.poll_context(config)?);
    let heartbeat = Arc::new(Heartbeat::default());
    let http = match (metrics, listener.flatten()) {
        (Some(metrics), Some(listener)) => {
            let source = monitor::Readings::new(config, &store, &heartbeat, clock);
            Some(monitor::serve(config, metrics, listener, source, stop.clone()).await?)
        }
        _ => None,
    };
    let status_lines = tokio::spawn(upkeep::report_status(
        config.clone(),
        Arc::clone(&store),
        Arc::clone(&notifier),
        stop.clone(),
    ));
    let workers_stop = CancellationToken::new();
    let workers = pipeline.spawn_workers(config, None, &workers_stop)?;
    let housekeeping = tokio::spawn(upkeep::housekeeping(
        store,
        clock,
        config.store.retention,
        stop.clone(),
    ));
    tracing::info!(
        feeds = config.feeds.len(),
        channels = config.channels.len(),
        "feedhook started"
    );
    notifier.ready(&format!(
        "polling {} feed(s) for {} channel(s)",
        config.feeds.len(),
        config.channels.len()
    ));
    let watchdog = tokio::spawn(upkeep::feed_watchdog(
        Arc::clone(&heartbeat),
        notifier,
        stop.clone(),
    ));
    Ok(Started {
        polls: Polls {
            context,
            feeds: Arc::clone(&config.feeds),
            max_in_flight: config.fetch.concurrency.saturating_mul(8).max(64),
            heartbeat,
        },
        stop,
        workers_stop,
        workers,
        chores: [status_lines, housekeeping, watchdog],
        http,
    })
}

fn worker_settings(
    channel: &Channel,
    drain_until: Option<chrono::DateTime<chrono::Utc>>,
) -> WorkerSettings {
    WorkerSettings {
        spacing: channel
            .spacing
            .unwrap_or_else(|| deliver::default_spacing(channel.kind)),
        suspension: SUSPENSION,
        drain_until,
    }
}

/// Brings the channels' state in line with the config at start (and reload, and `once`): a restart
/// is the operator's way to say "try again", so suspended channels get another chance; channels
/// no longer in the config have their pending deliveries dead-lettered, since nothing would send them.
async fn resume_suspended_channels(config: &Config, store: &Arc<Store>) -> Result<(), StoreError> {
    let names: Vec<String> = config.channels.keys().cloned().collect();
    let keep = names.clone();
    let now = chrono::Utc::now();
    for (channel, count) in
        store::run_blocking(store, move |s| s.cancel_channels_not_in(&keep, now)).await?
    {
        tracing::warn!(%channel, cancelled = count, "the channel is no longer in the configuration; its pending deliveries are marked failed");
    }
    let states = store::run_blocking(store, move |s| s.channel_states(&names)).await?;
    for state in states.into_iter().filter(|s| s.suspended_until.is_some()) {
        tracing::info!(channel = %state.channel, reason = state.suspended_reason.as_deref().unwrap_or(""), "resuming the suspended channel");
        let name = state.channel.clone();
        store::run_blocking(store, move |s| s.resume_channel(&name)).await?;
    }
    Ok(())
}
