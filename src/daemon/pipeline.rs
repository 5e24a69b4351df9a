//! What one run of the daemon wires together, and the channels' state brought in line with the
//! config before it starts.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::config::{Channel, Config};
use crate::deliver::{self, ChannelWorker, Poster, Target, Turn, WorkerReport, WorkerSettings};
use crate::fetch::Fetcher;
use crate::metrics::Metrics;
use crate::poll::PollContext;
use crate::schedule::Clock;
use crate::store::{ChannelParking, Store, StoreError, kept_until};

use super::error::DaemonError;
use super::monitor;
use super::push::Push;

/// How long a suspended channel rests before the daemon tries it again.
pub const SUSPENSION: std::time::Duration = std::time::Duration::from_secs(3600);

/// What one run wires together: the state, the clock, each channel's wake-up, and the metrics
/// registry it records into, if any.
pub(super) struct Pipeline {
    store: Arc<Store>,
    clock: Clock,
    wakers: Arc<Wakers>,
    metrics: Option<Arc<Metrics>>,
}

impl Pipeline {
    pub(super) fn new(
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
    /// report is recorded in the metrics and handed to `push`, if any.
    pub(super) fn poll_context(
        &self,
        config: &Config,
        push: Option<&Push>,
    ) -> Result<PollContext, DaemonError> {
        let fetcher = Fetcher::new(&config.fetch, &config.feeds, &config.redactor)?;
        let mut context =
            PollContext::new(Arc::clone(&self.store), fetcher, self.clock).on_queued(self.waker());
        if let Some(push) = push {
            context = context.on_pushed(push.pushed());
        }
        let metrics = self
            .metrics
            .as_ref()
            .map(|metrics| monitor::record_polls(metrics, self.clock));
        let push = push.map(Push::observer);
        Ok(match (metrics, push) {
            (None, None) => context,
            (metrics, push) => context.on_finished(move |feed, report| {
                if let Some(record) = &metrics {
                    record(feed, report);
                }
                if let Some(offer) = &push {
                    offer(feed, report);
                }
            }),
        })
    }

    /// Wakes the workers of the channels named.
    pub(super) fn waker(&self) -> impl Fn(&[String]) + Send + Sync + 'static {
        let wakers = Arc::clone(&self.wakers);
        move |channels| wakers.wake(channels)
    }

    /// One worker per channel; `drain_until` is `once`'s bound (see [`WorkerSettings`]); `turns`,
    /// on a shared database, says which channels this instance works.
    pub(super) fn spawn_workers(
        &self,
        config: &Config,
        drain_until: Option<chrono::DateTime<chrono::Utc>>,
        turns: Option<&HashMap<String, Arc<Turn>>>,
        stop: &CancellationToken,
    ) -> Result<JoinSet<(String, WorkerReport)>, DaemonError> {
        let poster = Poster::new(&config.redactor)?;
        let mut workers = JoinSet::new();
        let flood_caps: Arc<HashMap<String, usize>> = Arc::new(
            config
                .feeds
                .iter()
                .map(|feed| (feed.name.clone(), feed.max_new_per_poll))
                .collect(),
        );
        for channel in config.channels.values() {
            let worker = ChannelWorker {
                channel: channel.clone(),
                store: Arc::clone(&self.store),
                target: Arc::new(Target::for_channel(channel, &poster)?),
                clock: self.clock,
                wake: self.wakers.get(&channel.name),
                settings: worker_settings(channel, &flood_caps, drain_until),
                on_verdict: monitor::record_verdicts(self.metrics.as_ref(), channel),
                turn: turns.and_then(|turns| turns.get(&channel.name).cloned()),
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
    pub(super) fn new(config: &Config) -> Self {
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

fn worker_settings(
    channel: &Channel,
    flood_caps: &Arc<HashMap<String, usize>>,
    drain_until: Option<chrono::DateTime<chrono::Utc>>,
) -> WorkerSettings {
    WorkerSettings {
        spacing: channel
            .spacing
            .unwrap_or_else(|| deliver::default_spacing(channel.kind)),
        suspension: SUSPENSION,
        flood_caps: Arc::clone(flood_caps),
        drain_until,
    }
}

/// Brings the channels' state in line with the config at start (and reload, and `once`), at `now`:
/// a restart is the operator's way to say "try again", so suspended channels get another chance;
/// channels no longer in the config have their pending deliveries parked (kept, in order, for the
/// retention period), and channels back in it get theirs back.
pub(super) async fn resume_suspended_channels(
    config: &Config,
    store: &Arc<Store>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    let names: Vec<String> = config.channels.keys().cloned().collect();
    let parking = store.park_channels_not_in(&names, now).await?;
    log_parking(&parking, kept_until(now, config.store.retention));
    let states = store.channel_states(&names).await?;
    for state in states.into_iter().filter(|s| s.suspended_until.is_some()) {
        tracing::info!(channel = %state.channel, reason = state.suspended_reason.as_deref().unwrap_or(""), "resuming the suspended channel");
        let name = state.channel.clone();
        store.resume_channel(&name).await?;
    }
    Ok(())
}

fn log_parking(parking: &ChannelParking, kept_until: chrono::DateTime<chrono::Utc>) {
    let kept_until = kept_until.format("%Y-%m-%d %H:%M UTC");
    for (channel, count) in &parking.parked {
        tracing::warn!(
            %channel,
            "parked {count} deliveries: channel removed from the config; kept until {kept_until}"
        );
    }
    for (channel, count) in &parking.restored {
        tracing::info!(
            %channel,
            "restored {count} parked deliveries: channel back in the config; they are posted first, oldest first"
        );
    }
}
