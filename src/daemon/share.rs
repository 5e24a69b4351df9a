//! Sharing the work with the other instances on one database: this instance joins, heartbeats,
//! and keeps its fair share of the feeds and of the channels by leases.
//!
//! Every third of the lease the keeper renews what it holds, learns which instances are live (a
//! heartbeat younger than the lease, by the database's clock), and moves toward
//! `ceil(work / live instances)` of each kind: it claims free or expired leases when it holds
//! fewer, and gives up the surplus when it holds more — feeds at once, channels at their
//! worker's next pause between posts. A lease it held that is gone at renewal was taken over
//! (this instance stalled past its lease): the work stops here, and any write on it is refused by
//! its epoch. On a SQLite state there is nothing to join and none of this runs.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::deliver::{Holding, Turn};
use crate::poll::{Assignment, Assignments};
use crate::store::{DeliveryId, Instance, InstanceInfo, LeaseKind, Store, StoreError};

/// What the keeper did at one round, for the metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct ShareReport {
    pub feeds_held: usize,
    pub channels_held: usize,
    /// Leases claimed at this round, by kind: feeds, channels.
    pub won: (usize, usize),
    /// Leases found taken over by another instance at this round: feeds, channels.
    pub lost: (usize, usize),
}

type ReportHook = Box<dyn Fn(&ShareReport) + Send + Sync>;
type WakeHook = Box<dyn Fn(&[String]) + Send + Sync>;

/// How often the keeper looks for deliveries that other instances' polls queued on the channels
/// this one works (their wake-up does not cross processes).
const WATCH_EVERY: Duration = Duration::from_secs(1);

/// The keeper of this instance's leases.
pub(super) struct Keeper {
    store: Arc<Store>,
    id: String,
    digest: String,
    lease: Duration,
    feeds: Vec<String>,
    channels: Vec<String>,
    assignments: mpsc::UnboundedSender<Assignment>,
    turns: Arc<HashMap<String, Arc<Turn>>>,
    /// The feeds the poll loop was told are this instance's.
    polled: BTreeSet<String>,
    /// Instances whose differing config was already warned about.
    warned: HashSet<String>,
    /// Whether the last round failed to reach the database (logged once until it succeeds).
    failing: bool,
    report: ReportHook,
    wake: WakeHook,
    /// The newest pending delivery seen on each channel this instance works.
    newest: HashMap<String, DeliveryId>,
}

/// What the poll loop and the workers follow: the feeds assigned, each channel's turn.
pub(super) struct Shares {
    pub assignments: Assignments,
    pub turns: Arc<HashMap<String, Arc<Turn>>>,
}

impl Keeper {
    /// Joins the instances sharing the state; `None` when it is not shared (SQLite).
    pub(super) async fn join(
        config: &Config,
        store: &Arc<Store>,
    ) -> Result<Option<(Self, Shares)>, StoreError> {
        let info = InstanceInfo {
            host: host_name(),
            pid: std::process::id(),
            config_digest: config.digest(),
        };
        let Some(id) = store.join(&info).await? else {
            return Ok(None);
        };
        let feeds: Vec<String> = config.feeds.iter().map(|feed| feed.name.clone()).collect();
        let channels: Vec<String> = config.channels.keys().cloned().collect();
        store.offer_leases(LeaseKind::Feed, &feeds).await?;
        store.offer_leases(LeaseKind::Channel, &channels).await?;
        let turns: Arc<HashMap<String, Arc<Turn>>> = Arc::new(
            channels
                .iter()
                .map(|name| (name.clone(), Arc::default()))
                .collect(),
        );
        let (sender, assignments) = mpsc::unbounded_channel();
        let lease = config
            .store
            .database
            .as_ref()
            .map_or(crate::config::DEFAULT_LEASE, |database| database.lease);
        tracing::info!(instance = %id, host = %info.host, digest = %info.config_digest, "joined the instances sharing the database");
        let keeper = Self {
            store: Arc::clone(store),
            id,
            digest: info.config_digest,
            lease,
            feeds,
            channels,
            assignments: sender,
            turns: Arc::clone(&turns),
            polled: BTreeSet::new(),
            warned: HashSet::new(),
            failing: false,
            report: Box::new(|_| {}),
            wake: Box::new(|_| {}),
            newest: HashMap::new(),
        };
        Ok(Some((keeper, Shares { assignments, turns })))
    }

    /// Calls `observe` with what each round did.
    pub(super) fn on_report(
        mut self,
        observe: impl Fn(&ShareReport) + Send + Sync + 'static,
    ) -> Self {
        self.report = Box::new(observe);
        self
    }

    /// Calls `wake` with the channels this instance works that got new deliveries.
    pub(super) fn on_queued(mut self, wake: impl Fn(&[String]) + Send + Sync + 'static) -> Self {
        self.wake = Box::new(wake);
        self
    }

    /// Keeps the leases until `stop`: one round at once, then every third of the lease; between
    /// rounds, wakes the workers of channels that other instances queued deliveries for.
    pub(super) async fn run(mut self, stop: CancellationToken) {
        let every = self.lease / 3;
        let mut next_round = tokio::time::Instant::now();
        loop {
            if tokio::time::Instant::now() >= next_round {
                self.round().await;
                next_round = tokio::time::Instant::now() + every;
            }
            self.wake_queued().await;
            tokio::select! {
                () = tokio::time::sleep(WATCH_EVERY.min(every)) => {}
                () = stop.cancelled() => return,
            }
        }
    }

    /// Wakes the worker of each channel held here whose newest pending delivery is new.
    async fn wake_queued(&mut self) {
        let held: Vec<String> = self
            .turns
            .iter()
            .filter(|(_, turn)| turn.holding() == Holding::Held)
            .map(|(name, _)| name.clone())
            .collect();
        // An outage is logged by the rounds; the next look finds what this one missed.
        let Ok(newest) = self.store.newest_pending(&held).await else {
            return;
        };
        let queued: Vec<String> = newest
            .into_iter()
            .filter(|(channel, id)| self.newest.insert(channel.clone(), *id) != Some(*id))
            .map(|(channel, _)| channel)
            .collect();
        if !queued.is_empty() {
            (self.wake)(&queued);
        }
    }

    async fn round(&mut self) {
        match self.balance().await {
            Ok(report) => {
                if std::mem::take(&mut self.failing) {
                    tracing::info!("the database answers again; sharing the work again");
                }
                (self.report)(&report);
            }
            // An unreachable database is logged once for the instance, by the store.
            Err(error) if error.is_retryable() => {
                tracing::debug!(%error, "cannot renew this instance's leases");
            }
            Err(error) if !self.failing => {
                self.failing = true;
                tracing::error!(%error, "cannot renew this instance's leases; its work passes to the other instances once they run out");
            }
            Err(_) => {}
        }
    }

    async fn balance(&mut self) -> Result<ShareReport, StoreError> {
        let live = self.store.heartbeat().await?;
        self.warn_about_other_configs(&live);
        let live = live.len().max(1);
        let mut report = ShareReport::default();
        (report.feeds_held, report.won.0, report.lost.0) = self.balance_feeds(live).await?;
        (report.channels_held, report.won.1, report.lost.1) = self.balance_channels(live).await?;
        Ok(report)
    }

    /// Renews the feed leases and moves toward the fair share; returns (held, won, lost).
    async fn balance_feeds(&mut self, live: usize) -> Result<(usize, usize, usize), StoreError> {
        let held = self.renew(LeaseKind::Feed, &self.feeds.clone()).await?;
        let lost: Vec<String> = self.polled.difference(&held).cloned().collect();
        let gained: Vec<String> = held.difference(&self.polled).cloned().collect();
        if !lost.is_empty() {
            tracing::warn!(
                feeds = lost.len(),
                "feeds taken over by another instance (this one missed renewing their leases); it no longer polls them"
            );
            self.assign(Assignment::Lost(lost.clone()));
        }
        self.polled = held;
        let target = fair_share(self.feeds.len(), live);
        let mut won = gained.len();
        if !gained.is_empty() {
            self.assign(Assignment::Gained(gained));
        }
        if self.polled.len() > target {
            let surplus: Vec<String> = self
                .polled
                .iter()
                .take(self.polled.len() - target)
                .cloned()
                .collect();
            self.assign(Assignment::Lost(surplus.clone()));
            for name in &surplus {
                self.polled.remove(name);
            }
            self.store.release_leases(LeaseKind::Feed, &surplus).await?;
            tracing::info!(
                feeds = surplus.len(),
                live,
                "handed feeds over to other instances, to share the work"
            );
        } else if self.polled.len() < target {
            let wanted = target - self.polled.len();
            let claimed = self
                .store
                .claim_leases(LeaseKind::Feed, &self.feeds, wanted)
                .await?;
            if !claimed.is_empty() {
                tracing::info!(feeds = claimed.len(), live, "claimed feeds to poll");
                won += claimed.len();
                self.polled.extend(claimed.iter().cloned());
                self.assign(Assignment::Gained(claimed));
            }
        }
        Ok((self.polled.len(), won, lost.len()))
    }

    /// Renews the channel leases and moves toward the fair share; returns (held, won, lost).
    async fn balance_channels(&mut self, live: usize) -> Result<(usize, usize, usize), StoreError> {
        let held = self
            .renew(LeaseKind::Channel, &self.channels.clone())
            .await?;
        let mut lost = 0;
        for (name, turn) in self.turns.iter() {
            match (held.contains(name), turn.holding()) {
                (false, Holding::Held | Holding::HandOver) => {
                    lost += 1;
                    tracing::warn!(channel = %name, "the channel was taken over by another instance (this one missed renewing its lease); it no longer works its outbox");
                    turn.lost();
                }
                // Held since before a reload, or released by its worker just after the renewal
                // (the worker then finds its writes refused and lets go again).
                (true, Holding::NotHeld) => turn.held(),
                _ => {}
            }
        }
        let target = fair_share(self.channels.len(), live);
        let mut won = 0;
        if held.len() > target {
            let surplus = held.len() - target;
            for name in held.iter().take(surplus) {
                self.turns[name].hand_over();
            }
        } else if held.len() < target {
            let claimed = self
                .store
                .claim_leases(LeaseKind::Channel, &self.channels, target - held.len())
                .await?;
            for name in &claimed {
                tracing::info!(channel = %name, live, "claimed the channel: this instance works its outbox now");
                self.turns[name].held();
            }
            won = claimed.len();
        }
        Ok((held.len() + won, won, lost))
    }

    /// Renews this instance's leases of `kind`; releases those on work no longer configured;
    /// returns the others.
    async fn renew(
        &self,
        kind: LeaseKind,
        configured: &[String],
    ) -> Result<BTreeSet<String>, StoreError> {
        let renewed = self.store.renew_leases(kind).await?;
        let configured: HashSet<&String> = configured.iter().collect();
        let (held, stale): (Vec<String>, Vec<String>) = renewed
            .into_iter()
            .partition(|name| configured.contains(name));
        if !stale.is_empty() {
            self.store.release_leases(kind, &stale).await?;
        }
        Ok(held.into_iter().collect())
    }

    fn assign(&self, assignment: Assignment) {
        // The poll loop ends before the keeper: a send that fails has nobody to tell.
        let _ = self.assignments.send(assignment);
    }

    fn warn_about_other_configs(&mut self, live: &[Instance]) {
        for other in live {
            if other.id != self.id
                && other.config_digest != self.digest
                && self.warned.insert(other.id.clone())
            {
                tracing::warn!(instance = %other.id, host = %other.host, pid = other.pid, digest = %other.config_digest, ours = %self.digest,
                    "another instance runs a different configuration of feeds and channels; give every instance the same config file");
            }
        }
    }
}

/// Each live instance's share of `work` items: rounded up, so that the shares cover all of it.
fn fair_share(work: usize, live: usize) -> usize {
    work.div_ceil(live.max(1))
}

/// This host's name, as `status` shows it beside the pid.
fn host_name() -> String {
    rustix::system::uname()
        .nodename()
        .to_string_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests;
