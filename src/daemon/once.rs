//! `feedhook once`: every feed polled once, then a bounded pass over what is pending.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::deliver::WorkerReport;
use crate::poll::{self, PollOutcome};
use crate::schedule::{Clock, to_chrono};
use crate::store::Store;

use super::error::DaemonError;
use super::pipeline::{Pipeline, resume_suspended_channels};

/// How long `once` keeps retrying deliveries before leaving them pending for the next run.
pub const ONCE_RETRY_BOUND: Duration = Duration::from_secs(30);

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

/// [`once`], telling `progress` (feeds polled, feeds in all) as the polls finish. `once` records
/// no metrics: it never serves them.
pub async fn once_with_progress(
    config: &Config,
    store: Arc<Store>,
    clock: Clock,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<OnceReport, DaemonError> {
    resume_suspended_channels(config, &store, clock.now()).await?;
    let pipeline = Pipeline::new(config, store, clock, None);
    let context = Arc::new(pipeline.poll_context(config, None)?);
    let feeds = Arc::clone(&config.feeds);
    let outcomes = poll::scheduler::poll_all_once(context, feeds, progress).await?;
    let feeds = config
        .feeds
        .iter()
        .map(|f| f.name.clone())
        .zip(outcomes)
        .collect();
    let drain_until = clock.now() + to_chrono(ONCE_RETRY_BOUND);
    let mut workers =
        pipeline.spawn_workers(config, Some(drain_until), None, &CancellationToken::new())?;
    let mut channels = Vec::new();
    while let Some(done) = workers.join_next().await {
        if let Ok(report) = done {
            channels.push(report);
        }
    }
    channels.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(OnceReport { feeds, channels })
}
