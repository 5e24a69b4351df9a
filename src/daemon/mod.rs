//! The composition root: builds the pipeline from the config, runs the poll loop and one delivery
//! worker per channel, serves the metrics, and stops them in order.
//!
//! - `pipeline`: what a run wires together — the poll context, the channels' wake-ups, the
//!   delivery workers — and the channels' state brought in line with the config.
//! - `started`: a started daemon, its poll loop and its orderly stop.
//! - `once`: the single pass of `feedhook once`.
//! - `monitor`: what the daemon tells the metrics registry, and what `/metrics` and `/healthz` read
//!   from it — the only place that speaks both the stages' types and the metrics' labels.
//! - `upkeep`: pruning old state, the systemd status line and the watchdog.
//! - `push`: WebSub — the subscriber fed by the polls, its upkeep, its callbacks on the endpoint.
//! - `reload`: what a reload changes, in words for the log.
//! - `share`: on a shared database, this instance's leases on feeds and channels.
//! - [`systemd`]: the sd_notify protocol.

mod error;
mod monitor;
mod once;
mod pipeline;
mod push;
mod reload;
mod share;
mod started;
pub mod systemd;
mod upkeep;

use std::sync::Arc;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::poll::Heartbeat;
use crate::schedule::Clock;
use crate::store::Store;
use pipeline::{Pipeline, resume_suspended_channels};
use started::Polls;
use systemd::Notifier;

/// How each feed's poll ended, as [`OnceReport`] lists it.
pub use crate::poll::PollOutcome;
pub use error::DaemonError;
pub use monitor::{MetricsRegistry, Monitoring};
pub use once::{ONCE_RETRY_BOUND, OnceReport, once, once_with_progress};
pub use pipeline::SUSPENSION;
pub use reload::describe_changes;
pub use started::{DRAIN_DEADLINE, Started};

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
    resume_suspended_channels(config, &store, clock.now()).await?;
    let (metrics, listener) = monitoring.map(Monitoring::into_parts).unzip();
    let (keeper, shares) = share::Keeper::join(config, &store).await?.unzip();
    let (assignments, turns) = shares
        .map(|shares| (shares.assignments, shares.turns))
        .unzip();
    let pipeline = Pipeline::new(config, Arc::clone(&store), clock, metrics.clone());
    let keeper = keeper.map(|keeper| {
        let keeper = keeper.on_queued(pipeline.waker());
        match &metrics {
            Some(metrics) => keeper.on_report(monitor::record_shares(metrics)),
            None => keeper,
        }
    });
    let (nudge, nudges) = mpsc::unbounded_channel();
    let mut push = push::Push::new(config, &store, clock, &nudge, metrics.as_ref()).await?;
    let context = Arc::new(pipeline.poll_context(config, push.as_ref())?);
    let heartbeat = Arc::new(Heartbeat::default());
    let http = match (metrics, listener.flatten()) {
        (Some(metrics), Some(listener)) => {
            let source = monitor::Readings::new(config, &store, &heartbeat, clock);
            let delegate = push
                .as_ref()
                .map(|push| push.delegate(&context, &config.feeds));
            Some(monitor::serve(config, metrics, listener, source, delegate, stop.clone()).await?)
        }
        _ => None,
    };
    let push_task = push.as_mut().map(|push| push.spawn(clock, stop.clone()));
    let status_lines = tokio::spawn(upkeep::report_status(
        config.clone(),
        Arc::clone(&store),
        Arc::clone(&notifier),
        stop.clone(),
    ));
    let workers_stop = CancellationToken::new();
    let workers = pipeline.spawn_workers(config, None, turns.as_deref(), &workers_stop)?;
    // The keeper renews the leases while the workers drain; the stop aborts it last.
    let keeper = keeper.map(|keeper| tokio::spawn(keeper.run(CancellationToken::new())));
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
            nudges,
            assignments,
        },
        keeper,
        stop,
        workers_stop,
        workers,
        chores: [status_lines, housekeeping, watchdog],
        push: push_task,
        http,
    })
}
