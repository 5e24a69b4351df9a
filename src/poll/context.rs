//! What every poll needs from the process around it. The daemon builds one and hands it to the
//! poll loop; the poll stage never reaches back into the daemon.

use std::borrow::Cow;
use std::sync::Arc;

use crate::config::{Cadence, Feed};
use crate::fetch::Fetcher;
use crate::schedule;
use crate::schedule::Clock;
use crate::store::Store;

use super::outcome::PollReport;
use super::read::ParseTurns;

type ChannelsHook = Box<dyn Fn(&[String]) + Send + Sync>;
type ReportHook = Box<dyn Fn(&Feed, &PollReport) + Send + Sync>;
type PushedHook = Box<dyn Fn(&Feed) -> bool + Send + Sync>;

/// The state, the HTTP client, the clock, the parse turns, and whom to tell what a poll did.
pub struct PollContext {
    pub store: Arc<Store>,
    pub fetcher: Fetcher,
    pub clock: Clock,
    pub(super) parse_turns: ParseTurns,
    queued: ChannelsHook,
    finished: ReportHook,
    pushed: PushedHook,
}

impl PollContext {
    /// A context that tells no one anything; see [`Self::on_queued`] and [`Self::on_finished`].
    #[must_use]
    pub fn new(store: Arc<Store>, fetcher: Fetcher, clock: Clock) -> Self {
        Self {
            store,
            fetcher,
            clock,
            parse_turns: ParseTurns::per_core(),
            queued: Box::new(|_| {}),
            finished: Box::new(|_, _| {}),
            pushed: Box::new(|_| false),
        }
    }

    /// Asks `pushed` whether a feed's hub pushes to us now: such a feed is polled at its
    /// `push_interval` (see [`schedule::while_pushed`]).
    #[must_use]
    pub fn on_pushed(mut self, pushed: impl Fn(&Feed) -> bool + Send + Sync + 'static) -> Self {
        self.pushed = Box::new(pushed);
        self
    }

    /// The cadence `feed` is polled at now: its own, or its `push_interval` while its hub pushes.
    pub(super) fn cadence<'f>(&self, feed: &'f Feed) -> Cow<'f, Cadence> {
        if (self.pushed)(feed) {
            schedule::while_pushed(&feed.cadence, feed.push_interval, self.clock.now())
        } else {
            Cow::Borrowed(&feed.cadence)
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
