//! What every poll needs from the process around it. The daemon builds one and hands it to the
//! poll loop; the poll stage never reaches back into the daemon.

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::config::Feed;
use crate::fetch::Fetcher;
use crate::schedule::Clock;
use crate::store::Store;

use super::outcome::PollReport;

type ChannelsHook = Box<dyn Fn(&[String]) + Send + Sync>;
type ReportHook = Box<dyn Fn(&Feed, &PollReport) + Send + Sync>;

/// The state, the HTTP client, the clock, the parse turns, and whom to tell what a poll did.
pub struct PollContext {
    pub store: Arc<Store>,
    pub fetcher: Fetcher,
    pub clock: Clock,
    /// Parsing is CPU work: one turn per core, so that a burst of bodies waits here instead of
    /// growing the blocking thread pool.
    pub(super) parse_turns: Semaphore,
    queued: ChannelsHook,
    finished: ReportHook,
}

impl PollContext {
    /// A context that tells no one anything; see [`Self::on_queued`] and [`Self::on_finished`].
    #[must_use]
    pub fn new(store: Arc<Store>, fetcher: Fetcher, clock: Clock) -> Self {
        Self {
            store,
            fetcher,
            clock,
            parse_turns: Semaphore::new(
                std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
            ),
            queued: Box::new(|_| {}),
            finished: Box::new(|_, _| {}),
        }
    }

    /// Calls `wake` with a feed's channels after a poll queued deliveries for them.
    #[must_use]
    pub fn on_queued(mut self, wake: impl Fn(&[String]) + Send + Sync + 'static) -> Self {
        self.queued = Box::new(wake);
        self
    }

    /// Calls `observe` with each poll's report as the poll ends.
    #[must_use]
    pub fn on_finished(
        mut self,
        observe: impl Fn(&Feed, &PollReport) + Send + Sync + 'static,
    ) -> Self {
        self.finished = Box::new(observe);
        self
    }

    pub(super) fn queued(&self, channels: &[String]) {
        (self.queued)(channels);
    }

    pub(super) fn finished(&self, feed: &Feed, report: &PollReport) {
        (self.finished)(feed, report);
    }
}
