//! The poll loop: sleeps until the earliest due feed, polls what is due, and puts each feed back in
//! line at the time its poll decided. No busy polling: between due times the task is asleep.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::FutureExt;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::config::Feed;
use crate::schedule;
use crate::store::{PollState, StoreError};

use super::assignment::{Assignment, Assignments, Owned};
use super::context::PollContext;
use super::outcome::{FailureCause, PollOutcome};
use super::poll_feed;
use super::pushed::PushOutcome;

/// The longest the loop sleeps without going round.
const HEARTBEAT: Duration = Duration::from_secs(5);

/// How often the not-modified notes of steady feeds are written (see `Store::note_not_modified`).
const FLUSH_EVERY: Duration = Duration::from_secs(1);

/// A finished poll: the feed's index, when it is next due, and its state now.
type Finished = (usize, DateTime<Utc>, Option<PollState>);

/// Asks the poll loop to poll a feed (by name) sooner than its schedule says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Nudge {
    /// Now: the feed's hub said it changed without saying how (a thin ping).
    PollNow(String),
    /// No later than the feed's own interval from now: its hub stopped pushing, so the slower
    /// polling of a pushed feed no longer holds.
    Unpushed(String),
}

/// When the poll loop last went round. The loop beats at least every 5 s; the daemon's
/// watchdog and health check read how long ago that was.
#[derive(Debug)]
pub struct Heartbeat(std::sync::Mutex<tokio::time::Instant>);

impl Default for Heartbeat {
    fn default() -> Self {
        Self(std::sync::Mutex::new(tokio::time::Instant::now()))
    }
}

impl Heartbeat {
    /// Records that the loop is alive.
    pub fn beat(&self) {
        if let Ok(mut last) = self.0.lock() {
            *last = tokio::time::Instant::now();
        }
    }

    /// How long ago the loop last went round.
    #[must_use]
    pub fn since(&self) -> Duration {
        self.0.lock().map_or(Duration::MAX, |last| last.elapsed())
    }
}

/// Polls `feeds` on their schedules until `stop` is cancelled. Polls in flight when it is are
/// abandoned: a poll commits in one transaction, so an abandoned one has changed nothing.
///
/// The loop keeps each feed's poll state between its polls (read once at start), so a poll reads
/// nothing from the state before fetching. `nudges` bring a feed's next poll in. With
/// `assignments` (a state several instances share), it polls only the feeds assigned to it, each
/// from the due time and state stored when it gets it.
pub async fn run(
    context: Arc<PollContext>,
    feeds: Arc<[Feed]>,
    max_in_flight: usize,
    heartbeat: &Heartbeat,
    stop: CancellationToken,
    mut nudges: mpsc::UnboundedReceiver<Nudge>,
    mut assignments: Option<Assignments>,
) -> Result<(), StoreError> {
    let mut owned = Owned::new(&feeds, assignments.is_some());
    let (mut due, mut states) = if assignments.is_some() {
        (BinaryHeap::new(), vec![None; feeds.len()])
    } else {
        initial_schedule(&context, &feeds).await?
    };
    let mut line = Line::new(&feeds, &due);
    let mut in_flight: JoinSet<Finished> = JoinSet::new();
    // Reads after thin pings for feeds other instances poll.
    let mut pinged: JoinSet<()> = JoinSet::new();
    let mut flushed_at = tokio::time::Instant::now();
    loop {
        let now = context.clock.now();
        // Nothing a poll reads could be recorded while the database is unreachable.
        let reachable = context.store.unreachable().is_none();
        while reachable
            && in_flight.len() < max_in_flight
            && due.peek().is_some_and(|Reverse((at, _))| *at <= now)
        {
            let Some(Reverse((at, index))) = due.pop() else {
                break;
            };
            if line.take(index, at) && owned.start(index) {
                let known = states[index].take();
                spawn_poll(&mut in_flight, &context, &feeds, index, known);
            }
        }
        heartbeat.beat();
        if flushed_at.elapsed() >= FLUSH_EVERY {
            flush_notes(&context).await;
            flushed_at = tokio::time::Instant::now();
        }
        let wake_at = due
            .peek()
            .filter(|_| reachable && in_flight.len() < max_in_flight)
            .map(|Reverse((at, _))| context.clock.instant_at(schedule::on_whole_second(*at)));
        tokio::select! {
            () = stop.cancelled() => break,
            Some(done) = in_flight.join_next() => match done {
                Ok((index, next_due, state)) => {
                    states[index] = state;
                    if owned.finish(index) {
                        let next_due = line.finished(index, next_due);
                        due.push(Reverse((next_due, index)));
                    } else {
                        line.dropped(index);
                    }
                }
                Err(error) => tracing::error!(%error, "a poll task ended unexpectedly"),
            },
            Some(nudge) = nudges.recv() => {
                if let Some(index) = line.pinged_elsewhere(&nudge, &owned) {
                    spawn_pinged_read(&mut pinged, &context, &feeds, index);
                } else if let Some(sooner) = line.nudged(&nudge, &context, &feeds, &owned) {
                    due.push(Reverse(sooner));
                }
            }
            Some(_) = pinged.join_next() => {}
            Some(assignment) = next_assignment(&mut assignments) => {
                let fresh = owned.apply(&assignment);
                queue_gained(&context, &feeds, &fresh, &mut due, &mut states, &mut line).await;
            }
            () = sleep_until(wake_at) => {}
            () = context.store.reachable_again(), if !reachable => {}
            // Go round at least this often, so the heartbeat shows the loop is not stuck.
            () = tokio::time::sleep(HEARTBEAT) => {}
        }
    }
    in_flight.shutdown().await;
    pinged.shutdown().await;
    flush_notes(&context).await;
    Ok(())
}

/// Where each feed stands in the loop's line: due at a time, or being polled. The heap may hold
/// an older, later time of a feed a nudge brought in; only the time kept here counts.
struct Line {
    /// Each feed's due time; `None` while its poll runs.
    due_at: Vec<Option<DateTime<Utc>>>,
    /// A nudge that came while the feed's poll ran: the latest its next poll may come.
    after_poll: Vec<Option<DateTime<Utc>>>,
    by_name: HashMap<String, usize>,
}

impl Line {
    fn new(feeds: &[Feed], due: &BinaryHeap<Reverse<(DateTime<Utc>, usize)>>) -> Self {
        let mut due_at = vec![None; feeds.len()];
        for Reverse((at, index)) in due {
            due_at[*index] = Some(*at);
        }
        Self {
            due_at,
            after_poll: vec![None; feeds.len()],
            by_name: feeds
                .iter()
                .enumerate()
                .map(|(index, feed)| (feed.name.clone(), index))
                .collect(),
        }
    }

    /// Whether the feed's turn at `at` is still its turn (then its poll starts).
    fn take(&mut self, index: usize, at: DateTime<Utc>) -> bool {
        let current = self.due_at[index] == Some(at);
        if current {
            self.due_at[index] = None;
        }
        current
    }

    /// The feed's poll decided `next_due`; a nudge meanwhile may bring it in.
    fn finished(&mut self, index: usize, next_due: DateTime<Utc>) -> DateTime<Utc> {
        let at = self.after_poll[index]
            .take()
            .map_or(next_due, |latest| latest.min(next_due));
        self.due_at[index] = Some(at);
        at
    }

    /// The feed's poll ended after it stopped being this instance's: it leaves the line.
    fn dropped(&mut self, index: usize) {
        self.due_at[index] = None;
        self.after_poll[index] = None;
    }

    /// The feed (just assigned to this instance) joins the line at `at`.
    fn joined(&mut self, index: usize, at: DateTime<Utc>) {
        self.due_at[index] = Some(at);
        self.after_poll[index] = None;
    }

    /// The feed a thin ping (`PollNow`) came for, when another instance polls it: on a shared
    /// database, a hub may reach any instance.
    fn pinged_elsewhere(&self, nudge: &Nudge, owned: &Owned) -> Option<usize> {
        let Nudge::PollNow(name) = nudge else {
            return None;
        };
        self.by_name
            .get(name)
            .copied()
            .filter(|&index| !owned.is_mine(index))
    }

    /// The feed's new place in line after `nudge`, if it moved. A feed another instance polls
    /// is left to it.
    fn nudged(
        &mut self,
        nudge: &Nudge,
        context: &PollContext,
        feeds: &[Feed],
        owned: &Owned,
    ) -> Option<(DateTime<Utc>, usize)> {
        let (Nudge::PollNow(name) | Nudge::Unpushed(name)) = nudge;
        let &index = self.by_name.get(name)?;
        if !owned.is_mine(index) {
            return None;
        }
        let now = context.clock.now();
        let latest = match nudge {
            Nudge::PollNow(_) => now,
            Nudge::Unpushed(_) => schedule::next_regular(&feeds[index].cadence, now),
        };
        match self.due_at[index] {
            None => {
                let kept = self.after_poll[index].map_or(latest, |at| at.min(latest));
                self.after_poll[index] = Some(kept);
                None
            }
            Some(at) if at <= latest => None,
            Some(_) => {
                self.due_at[index] = Some(latest);
                Some((latest, index))
            }
        }
    }
}

async fn next_assignment(assignments: &mut Option<Assignments>) -> Option<Assignment> {
    match assignments {
        Some(assignments) => assignments.recv().await,
        None => std::future::pending().await,
    }
}

/// Queues feeds just assigned to this instance at their stored due times, with their stored
/// states: another instance polled them until now. A state that cannot be read leaves them due
/// now, fetched in full.
async fn queue_gained(
    context: &PollContext,
    feeds: &[Feed],
    fresh: &[usize],
    due: &mut BinaryHeap<Reverse<(DateTime<Utc>, usize)>>,
    states: &mut [Option<PollState>],
    line: &mut Line,
) {
    if fresh.is_empty() {
        return;
    }
    let mut stored = context.store.poll_states().await.unwrap_or_else(|error| {
        tracing::warn!(%error, "cannot read the state of the feeds this instance now polls; polling them now");
        HashMap::new()
    });
    let now = context.clock.now();
    for &index in fresh {
        let feed = &feeds[index];
        states[index] = stored.remove(&feed.name);
        let at = first_due(context, feed, states[index].as_ref(), now);
        line.joined(index, at);
        due.push(Reverse((at, index)));
    }
}

async fn flush_notes(context: &PollContext) {
    // Checked here so that an idle loop does not wake a blocking thread for nothing.
    if !context.store.has_notes() {
        return;
    }
    match context.store.flush_notes().await {
        Ok(_) => {}
        // Logged once for the instance.
        Err(error) if error.is_retryable() => {
            tracing::debug!(%error, "cannot record the latest not-modified polls");
        }
        Err(error) => {
            tracing::warn!(%error, "cannot record the latest not-modified polls; those feeds will be polled again soon after a restart");
        }
    }
}

async fn sleep_until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Reads the feed at `index` after a thin ping and records it as a push (see
/// [`super::record_pinged`]), without taking its poll from the instance that holds it.
fn spawn_pinged_read(
    pinged: &mut JoinSet<()>,
    context: &Arc<PollContext>,
    feeds: &Arc<[Feed]>,
    index: usize,
) {
    let (context, feeds) = (Arc::clone(context), Arc::clone(feeds));
    pinged.spawn(async move {
        let feed = &feeds[index];
        let name = feed.display_name();
        match super::record_pinged(&context, feed).await {
            Ok(PushOutcome::Recorded {
                new_entries,
                queued,
            }) => {
                tracing::info!(feed = %name, new_entries, queued, "read the feed after its hub's ping (another instance polls it) and recorded its entries");
            }
            Ok(PushOutcome::Thin { unreadable }) => {
                let unreadable = unreadable.unwrap_or_default();
                tracing::info!(feed = %name, %unreadable, "read the feed after its hub's ping and found no entries to record");
            }
            Ok(PushOutcome::Unfinished) => {}
            Err(error) => {
                tracing::warn!(feed = %name, %error, "cannot read the feed after its hub's ping; the instance that polls it reads it at its next due time");
            }
        }
    });
}

fn spawn_poll(
    in_flight: &mut JoinSet<Finished>,
    context: &Arc<PollContext>,
    feeds: &Arc<[Feed]>,
    index: usize,
    known: Option<PollState>,
) {
    let (context, feeds) = (Arc::clone(context), Arc::clone(feeds));
    in_flight.spawn(async move {
        let feed = &feeds[index];
        // A bug in one poll must not end the loop or lose the feed's place in it.
        if let Ok(report) = std::panic::AssertUnwindSafe(poll_feed(&context, feed, known))
            .catch_unwind()
            .await
        {
            (index, report.next_due, report.state)
        } else {
            tracing::error!(feed = %feed.display_name(), "the poll crashed; the feed will be retried later");
            let next_due = schedule::after_failure(&feed.cadence, context.clock.now(), 1);
            (index, next_due, None)
        }
    });
}

/// Each feed's due time and poll state from the state; a feed never polled (or new to the config)
/// is due now. A stored time further away than one interval (the config's interval was shortened)
/// is brought in.
async fn initial_schedule(
    context: &PollContext,
    feeds: &[Feed],
) -> Result<
    (
        BinaryHeap<Reverse<(DateTime<Utc>, usize)>>,
        Vec<Option<PollState>>,
    ),
    StoreError,
> {
    let mut stored = context.store.poll_states().await?;
    let now = context.clock.now();
    let states: Vec<Option<PollState>> =
        feeds.iter().map(|feed| stored.remove(&feed.name)).collect();
    let heap = feeds
        .iter()
        .zip(&states)
        .enumerate()
        .map(|(index, (feed, state))| {
            Reverse((first_due(context, feed, state.as_ref(), now), index))
        })
        .collect();
    Ok((heap, states))
}

/// When the loop first polls `feed`: its stored due time, brought in to one interval from now
/// (the config's interval was shortened, or its hub stopped pushing); now if it was never polled.
fn first_due(
    context: &PollContext,
    feed: &Feed,
    state: Option<&PollState>,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    let latest = schedule::next_regular(&context.cadence(feed), now);
    state
        .and_then(|s| s.next_due_at)
        .map_or(now, |at| at.min(latest))
}

/// Polls every feed once, concurrently (the fetcher's limits bound how many at once), and returns
/// each feed's outcome in config order.
/// `progress` hears (feeds polled, feeds in all) after each poll.
pub async fn poll_all_once(
    context: Arc<PollContext>,
    feeds: Arc<[Feed]>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<PollOutcome>, StoreError> {
    let mut stored = context.store.poll_states().await?;
    let mut polls = JoinSet::new();
    for index in 0..feeds.len() {
        let (context, feeds) = (Arc::clone(&context), Arc::clone(&feeds));
        let known = stored.remove(&feeds[index].name);
        polls.spawn(async move {
            (
                index,
                poll_feed(&context, &feeds[index], known).await.outcome,
            )
        });
    }
    let unfinished = PollOutcome::failed(FailureCause::Unfinished, "the poll did not finish");
    let mut outcomes = vec![unfinished; feeds.len()];
    let mut finished = 0;
    while let Some(done) = polls.join_next().await {
        if let Ok((index, outcome)) = done {
            outcomes[index] = outcome;
        }
        finished += 1;
        progress(finished, feeds.len());
    }
    flush_notes(&context).await;
    Ok(outcomes)
}

#[cfg(test)]
mod tests;
