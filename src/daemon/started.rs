//! A started daemon: it runs the poll loop until the stop, then stops the rest in order.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::{JoinHandle, JoinSet};
use tokio_util::sync::CancellationToken;

use crate::config::Feed;
use crate::deliver::WorkerReport;
use crate::metrics::Server;
use crate::poll::scheduler::Nudge;
use crate::poll::{self, Assignments, Heartbeat, PollContext};

use super::error::DaemonError;

/// How long in-flight posts may take to finish after a stop was asked for.
pub const DRAIN_DEADLINE: Duration = Duration::from_secs(10);

/// What the poll loop runs on.
pub(super) struct Polls {
    pub context: Arc<PollContext>,
    pub feeds: Arc<[Feed]>,
    pub max_in_flight: usize,
    pub heartbeat: Arc<Heartbeat>,
    /// Feeds to poll sooner: thin pings, and hubs that stopped pushing.
    pub nudges: mpsc::UnboundedReceiver<Nudge>,
    /// On a shared database, which feeds are this instance's.
    pub assignments: Option<Assignments>,
}

/// A daemon whose workers, chores and endpoint run, and which systemd was told is ready (see
/// [`super::start`]).
pub struct Started {
    pub(super) polls: Polls,
    pub(super) stop: CancellationToken,
    /// The workers' own token, cancelled only once the poll loop is over.
    pub(super) workers_stop: CancellationToken,
    pub(super) workers: JoinSet<(String, WorkerReport)>,
    /// On a shared database, the keeper of this instance's leases; stopped with the workers.
    pub(super) keeper: Option<JoinHandle<()>>,
    /// The status line, housekeeping and the watchdog.
    pub(super) chores: [JoinHandle<()>; 3],
    /// The WebSub subscriber's task, with `[http] public_url`.
    pub(super) push: Option<JoinHandle<()>>,
    pub(super) http: Option<Server>,
}

impl Started {
    /// Polls on schedule until the stop. Then no new poll or post starts; posts in flight get
    /// [`DRAIN_DEADLINE`] to finish and be recorded.
    pub async fn run(mut self) -> Result<(), DaemonError> {
        let Polls {
            context,
            feeds,
            max_in_flight,
            heartbeat,
            nudges,
            assignments,
        } = self.polls;
        let stop = self.stop.clone();
        let result = poll::scheduler::run(
            context,
            feeds,
            max_in_flight,
            &heartbeat,
            stop,
            nudges,
            assignments,
        )
        .await;
        self.stop.cancel();
        self.workers_stop.cancel();
        let drained = tokio::time::timeout(DRAIN_DEADLINE, async {
            while self.workers.join_next().await.is_some() {}
        });
        if drained.await.is_err() {
            tracing::warn!(
                "posts still in flight after {DRAIN_DEADLINE:?}; they stay pending and are retried at the next start"
            );
            self.workers.shutdown().await;
        }
        for chore in self.chores.iter().chain(&self.push).chain(&self.keeper) {
            chore.abort();
        }
        if let Some(http) = self.http {
            http.stopped().await;
        }
        result.map_err(DaemonError::from)
    }
}
