//! The composition root: builds the pipeline from the config, runs the poll loop and one delivery
//! worker per channel, and stops them in order.

pub mod filter;
mod overflow;
mod poll;
mod reload;
mod scheduler;
pub mod systemd;

use systemd::Notifier;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, Semaphore};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::config::{Channel, Config};
use crate::deliver::{self, ChannelWorker, Poster, Target, WorkerReport, WorkerSettings};
use crate::fetch::{FetchError, Fetcher};
use crate::schedule::{Clock, to_chrono};
use crate::store::{self, Store, StoreError};

pub use poll::{PollOutcome, PollReport, oldest_first, poll_feed};
pub use reload::describe_changes;

/// How long in-flight posts may take to finish after a stop was asked for.
pub const DRAIN_DEADLINE: Duration = Duration::from_secs(10);
/// How long a suspended channel rests before the daemon tries it again.
pub const SUSPENSION: Duration = Duration::from_secs(3600);
/// How often old state is pruned.
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(6 * 3600);
/// How often the systemd STATUS line is refreshed.
const STATUS_EVERY: Duration = Duration::from_secs(60);
/// How long `once` keeps retrying deliveries before leaving them pending for the next run.
pub const ONCE_RETRY_BOUND: Duration = Duration::from_secs(30);

/// Why the daemon could not start or had to stop.
#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot build the HTTP client: {0}")]
    Http(String),
    #[error(transparent)]
    Listen(#[from] crate::metrics::ListenError),
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

/// What every poll needs: the state, the HTTP client, the clock, and a way to wake channels.
pub struct Pipeline {
    pub store: Arc<Store>,
    pub fetcher: Fetcher,
    pub clock: Clock,
    wakers: HashMap<String, Arc<Notify>>,
    /// Parsing is CPU work: one turn per core, so that a burst of bodies waits here instead of
    /// growing the blocking thread pool.
    parse_turns: Semaphore,
    /// When the poll loop last went round; the systemd watchdog is fed only while it is recent.
    heartbeat: std::sync::Mutex<tokio::time::Instant>,
}

impl Pipeline {
    pub fn new(config: &Config, store: Arc<Store>, clock: Clock) -> Result<Self, DaemonError> {
        let wakers = config
            .channels
            .keys()
            .map(|name| (name.clone(), Arc::new(Notify::new())))
            .collect();
        Ok(Self {
            store,
            fetcher: Fetcher::new(&config.fetch, &config.feeds)?,
            clock,
            wakers,
            parse_turns: Semaphore::new(
                std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
            ),
            heartbeat: std::sync::Mutex::new(tokio::time::Instant::now()),
        })
    }

    /// Tells the workers of `channels` that deliveries were queued.
    pub fn wake_channels(&self, channels: &[String]) {
        for name in channels {
            if let Some(waker) = self.wakers.get(name) {
                waker.notify_one();
            }
        }
    }

    /// Records that the poll loop is alive.
    pub fn beat(&self) {
        if let Ok(mut last) = self.heartbeat.lock() {
            *last = tokio::time::Instant::now();
        }
    }

    /// How long ago the poll loop last went round.
    pub fn since_heartbeat(&self) -> Duration {
        self.heartbeat
            .lock()
            .map_or(Duration::MAX, |last| last.elapsed())
    }

    fn waker(&self, channel: &str) -> Arc<Notify> {
        self.wakers.get(channel).cloned().unwrap_or_default()
    }
}

/// Runs the daemon until `stop` is cancelled: polls on schedule and delivers. On stop, no new poll or
/// post starts; posts in flight get [`DRAIN_DEADLINE`] to finish and be recorded.
pub async fn run(
    config: &Config,
    store: Arc<Store>,
    clock: Clock,
    stop: CancellationToken,
    notifier: Arc<Notifier>,
) -> Result<(), DaemonError> {
    resume_suspended_channels(config, &store).await?;
    let pipeline = Arc::new(Pipeline::new(config, Arc::clone(&store), clock)?);
    let http = crate::metrics::serve(config, Arc::clone(&pipeline), stop.clone()).await?;
    let status_lines = tokio::spawn(report_status(
        config.clone(),
        Arc::clone(&store),
        Arc::clone(&notifier),
        stop.clone(),
    ));
    let workers_stop = CancellationToken::new();
    let mut workers = spawn_workers(config, &pipeline, None, &workers_stop)?;
    let housekeeping = tokio::spawn(housekeeping(
        Arc::clone(&store),
        clock,
        config.store.retention,
        stop.clone(),
    ));
    let feeds = Arc::clone(&config.feeds);
    let max_in_flight = config.fetch.concurrency.saturating_mul(8).max(64);
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
    let watchdog = tokio::spawn(feed_watchdog(
        Arc::clone(&pipeline),
        Arc::clone(&notifier),
        stop.clone(),
    ));
    let result = scheduler::run(Arc::clone(&pipeline), feeds, max_in_flight, stop.clone()).await;
    stop.cancel();
    workers_stop.cancel();
    if tokio::time::timeout(DRAIN_DEADLINE, async {
        while workers.join_next().await.is_some() {}
    })
    .await
    .is_err()
    {
        tracing::warn!(
            "posts still in flight after {DRAIN_DEADLINE:?}; they stay pending and are retried at the next start"
        );
        workers.shutdown().await;
    }
    housekeeping.abort();
    watchdog.abort();
    status_lines.abort();
    http.stopped().await;
    result.map_err(DaemonError::from)
}

/// What `once` did.
#[derive(Debug, Clone, Default)]
pub struct OnceReport {
    /// Each feed's name and outcome, in config order.
    pub feeds: Vec<(String, PollOutcome)>,
    /// Each channel's name and delivery report.
    pub channels: Vec<(String, WorkerReport)>,
}

impl OnceReport {
    /// Every feed was read and every delivery made.
    #[must_use]
    pub fn all_done(&self) -> bool {
        let feeds_ok = self
            .feeds
            .iter()
            .all(|(_, o)| !matches!(o, PollOutcome::Failed(_) | PollOutcome::Waiting(_)));
        let channels_ok = self
            .channels
            .iter()
            .all(|(_, r)| r.failed == 0 && !r.pending_left && r.suspended.is_none());
        feeds_ok && channels_ok
    }
}

/// Polls every feed once, then delivers what is pending, retrying for at most
/// [`ONCE_RETRY_BOUND`]; what is still failing stays pending for the next run.
pub async fn once(
    config: &Config,
    store: Arc<Store>,
    clock: Clock,
) -> Result<OnceReport, DaemonError> {
    once_with_progress(config, store, clock, &|_, _| {}).await
}

/// [`once`], telling `progress` (feeds polled, feeds in all) as the polls finish.
pub async fn once_with_progress(
    config: &Config,
    store: Arc<Store>,
    clock: Clock,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<OnceReport, DaemonError> {
    resume_suspended_channels(config, &store).await?;
    let pipeline = Arc::new(Pipeline::new(config, Arc::clone(&store), clock)?);
    let feeds = Arc::clone(&config.feeds);
    let outcomes = scheduler::poll_all_once(Arc::clone(&pipeline), feeds, progress).await?;
    let feeds = config
        .feeds
        .iter()
        .map(|f| f.name.clone())
        .zip(outcomes)
        .collect();
    let drain_until = clock.now() + to_chrono(ONCE_RETRY_BOUND);
    let mut workers = spawn_workers(
        config,
        &pipeline,
        Some(drain_until),
        &CancellationToken::new(),
    )?;
    let mut channels = Vec::new();
    while let Some(done) = workers.join_next().await {
        if let Ok(report) = done {
            channels.push(report);
        }
    }
    channels.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(OnceReport { feeds, channels })
}

fn spawn_workers(
    config: &Config,
    pipeline: &Arc<Pipeline>,
    drain_until: Option<chrono::DateTime<chrono::Utc>>,
    stop: &CancellationToken,
) -> Result<JoinSet<(String, WorkerReport)>, DaemonError> {
    let poster = Poster::new()?;
    let mut workers = JoinSet::new();
    for channel in config.channels.values() {
        let worker = ChannelWorker {
            channel: channel.clone(),
            store: Arc::clone(&pipeline.store),
            target: Arc::new(Target::for_channel(channel, &poster)),
            clock: pipeline.clock,
            wake: pipeline.waker(&channel.name),
            settings: worker_settings(channel, drain_until),
        };
        let (name, stop) = (channel.name.clone(), stop.clone());
        workers.spawn(async move { (name, worker.run(stop).await) });
    }
    Ok(workers)
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

/// Pings systemd's watchdog while the poll loop keeps going round; a stuck loop stops the pings and
/// systemd restarts the service.
async fn feed_watchdog(pipeline: Arc<Pipeline>, notifier: Arc<Notifier>, stop: CancellationToken) {
    let Some(interval) = notifier.watchdog_interval() else {
        return;
    };
    let mut ticks = tokio::time::interval(interval / 3);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            () = stop.cancelled() => return,
        }
        if pipeline.since_heartbeat() < interval / 2 {
            notifier.watchdog();
        } else {
            tracing::error!(
                "the poll loop has not gone round for {:?}; withholding the watchdog ping",
                pipeline.since_heartbeat()
            );
        }
    }
}

/// Prunes seen entries and finished deliveries older than `retention`, at start and every few hours.
/// Keeps `systemctl status` current: how many feeds, how many deliveries pending, which channels are
/// suspended. Only under systemd.
async fn report_status(
    config: Config,
    store: Arc<Store>,
    notifier: Arc<Notifier>,
    stop: CancellationToken,
) {
    if !notifier.is_connected() {
        return;
    }
    let names: Vec<String> = config.channels.keys().cloned().collect();
    loop {
        tokio::select! {
            () = tokio::time::sleep(STATUS_EVERY) => {}
            () = stop.cancelled() => return,
        }
        let names = names.clone();
        if let Ok(states) = store::run_blocking(&store, move |s| s.channel_states(&names)).await {
            let pending: u64 = states.iter().map(|s| s.pending).sum();
            let suspended = states
                .iter()
                .filter(|s| s.suspended_until.is_some())
                .count();
            notifier.status(&format!(
                "{} feed(s); {pending} deliveries pending; {suspended} channel(s) suspended",
                config.feeds.len()
            ));
        }
    }
}

async fn housekeeping(
    store: Arc<Store>,
    clock: Clock,
    retention: Duration,
    stop: CancellationToken,
) {
    loop {
        let now = clock.now();
        match store::run_blocking(&store, move |s| s.prune(now, retention)).await {
            Ok(0) => {}
            Ok(pruned) => tracing::info!(pruned, "pruned state older than the retention period"),
            Err(error) => tracing::warn!(%error, "cannot prune old state"),
        }
        tokio::select! {
            () = tokio::time::sleep(HOUSEKEEPING_EVERY) => {}
            () = stop.cancelled() => return,
        }
    }
}
