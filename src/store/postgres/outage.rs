//! The database going away and coming back, seen once for the whole instance.
//!
//! Every call that finds the database unreachable reports it here; the first opens an outage: one
//! log line, and a probe that asks the server a trivial query, backing off from half a second to
//! [`PROBE_CEILING`], until it answers: one more log line, and whoever waits
//! ([`Outage::wait_over`]) goes on. Polls, deliveries and `/healthz` read the outage instead of
//! each finding out, and logging, for themselves.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use deadpool_postgres::Pool;
use tokio::sync::watch;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::{Pg, StoreError};

/// The longest wait between two probes of an unreachable database.
pub(super) const PROBE_CEILING: Duration = Duration::from_secs(10);
/// The first wait.
const FIRST_PROBE: Duration = Duration::from_millis(500);

/// Since when, and why, the database has been unreachable.
#[derive(Debug, Clone)]
struct Down {
    since: Instant,
    message: String,
}

/// Whether the database is reachable, as the instance last found it.
pub(super) struct Outage {
    /// The database as messages name it.
    shown: String,
    state: watch::Sender<Option<Down>>,
    /// Until the store has connected once, a failure is the caller's to report (start-up
    /// refuses an unreachable database), not an outage.
    armed: AtomicBool,
    /// Ends the probe when the store goes.
    closed: CancellationToken,
}

impl Outage {
    pub(super) fn new(shown: &str) -> Arc<Self> {
        Arc::new(Self {
            shown: shown.to_owned(),
            state: watch::Sender::new(None),
            armed: AtomicBool::new(false),
            closed: CancellationToken::new(),
        })
    }

    /// From now on, an unreachable database is an outage.
    pub(super) fn arm(&self) {
        self.armed.store(true, Ordering::Relaxed);
    }

    /// Notes that a call found the database unreachable; the first such call of an outage logs it
    /// and starts the probe on `pool`.
    pub(super) fn report(self: &Arc<Self>, message: &str, pool: &Pool) {
        if !self.armed.load(Ordering::Relaxed) {
            return;
        }
        let began = self.state.send_if_modified(|state| {
            if state.is_some() {
                return false;
            }
            *state = Some(Down {
                since: Instant::now(),
                message: message.to_owned(),
            });
            true
        });
        if began {
            tracing::error!(database = %self.shown, error = %message, "the database is unreachable; polls and deliveries wait for it (nothing queued is lost) and it is tried again with backoff");
            tokio::spawn(probe(Arc::clone(self), pool.clone()));
        }
    }

    /// The outage under way, as the error a call would meet; `None` while the database answers.
    pub(super) fn current(&self) -> Option<StoreError> {
        self.state
            .borrow()
            .as_ref()
            .map(|down| StoreError::Unavailable {
                database: self.shown.clone(),
                message: down.message.clone(),
            })
    }

    /// Returns once no outage is under way.
    pub(super) async fn wait_over(&self) {
        let mut state = self.state.subscribe();
        // The sender lives as long as `self`, so the wait cannot fail for want of one.
        let _ = state.wait_for(Option::is_none).await;
    }

    fn end(&self) {
        let ended = self.state.send_replace(None);
        if let Some(down) = ended {
            let lasted = down.since.elapsed().as_secs();
            tracing::info!(database = %self.shown, "the database answers again after {lasted}s; polls and deliveries resume");
        }
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        self.outage.closed.cancel();
    }
}

/// Asks the database a trivial query, more and more patiently, until it answers; then ends the
/// outage.
async fn probe(outage: Arc<Outage>, pool: Pool) {
    let mut wait = FIRST_PROBE;
    loop {
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = outage.closed.cancelled() => return,
        }
        if answers(&pool).await {
            outage.end();
            return;
        }
        wait = (wait * 2).min(PROBE_CEILING);
    }
}

async fn answers(pool: &Pool) -> bool {
    match pool.get().await {
        Ok(client) => client.simple_query("SELECT 1").await.is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests;
