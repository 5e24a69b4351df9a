//! The daemon's background chores: pruning old state, watching the state file, the systemd status
//! line, and the watchdog.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::poll::Heartbeat;
use crate::schedule::Clock;
use crate::store::{Pruned, Store};

use super::systemd::Notifier;

/// How often old state is pruned.
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(6 * 3600);
/// How often an idle daemon checks that its state file is still the one at its path (every store
/// call checks it first anyway, so a busy daemon notices at once).
const STATE_FILE_EVERY: Duration = Duration::from_secs(5);
/// How often the systemd STATUS line is refreshed.
const STATUS_EVERY: Duration = Duration::from_secs(60);

/// Pings systemd's watchdog while the poll loop keeps going round; a stuck loop stops the pings and
/// systemd restarts the service.
pub(super) async fn feed_watchdog(
    heartbeat: Arc<Heartbeat>,
    notifier: Arc<Notifier>,
    stop: CancellationToken,
) {
    let Some(interval) = notifier.watchdog_interval() else {
        return;
    };
    let mut ticks = tokio::time::interval(interval / 3);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            () = stop.cancelled() => return,
        }
        if heartbeat.since() < interval / 2 {
            notifier.watchdog();
        } else {
            tracing::error!(
                "the poll loop has not gone round for {:?}; withholding the watchdog ping",
                heartbeat.since()
            );
        }
    }
}

/// Keeps `systemctl status` current: how many feeds, how many deliveries pending, which channels are
/// suspended. Only under systemd.
pub(super) async fn report_status(
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
        if let Ok(states) = store.channel_states(&names).await {
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

/// Prunes seen entries, finished deliveries and parked ones older than `retention`, at start and every few hours;
/// meanwhile watches the state file.
pub(super) async fn housekeeping(
    store: Arc<Store>,
    clock: Clock,
    retention: Duration,
    stop: CancellationToken,
) {
    loop {
        let now = clock.now();
        match store.prune(now, retention).await {
            Ok(pruned) => log_pruned(&pruned),
            Err(error) => tracing::warn!(%error, "cannot prune old state"),
        }
        tokio::select! {
            () = tokio::time::sleep(HOUSEKEEPING_EVERY) => {}
            () = watch_state_file(&store, &stop) => return,
            () = stop.cancelled() => return,
        }
    }
}

fn log_pruned(pruned: &Pruned) {
    for (channel, count) in &pruned.parked {
        tracing::warn!(
            %channel,
            "pruned {count} parked deliveries: the channel has been out of the config for the retention period"
        );
    }
    if pruned.settled + pruned.entries > 0 {
        tracing::info!(
            deliveries = pruned.settled,
            entries = pruned.entries,
            "pruned state older than the retention period"
        );
    }
}

/// Checks every few seconds that the state file is still the one at its path; once it is not,
/// stops the daemon (cancels `stop`) and returns.
async fn watch_state_file(store: &Store, stop: &CancellationToken) {
    loop {
        tokio::time::sleep(STATE_FILE_EVERY).await;
        if let Err(error) = store.check_state_file().await {
            tracing::error!(
                %error,
                "stopping, so that nothing is posted from a state that is no longer at its path; what was pending in it is not posted"
            );
            stop.cancel();
            return;
        }
    }
}
