//! The poll loop: sleeps until the earliest due feed, polls what is due, and puts each feed back in
//! line at the time its poll decided. No busy polling: between due times the task is asleep.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::FutureExt;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::config::Feed;
use crate::schedule;
use crate::store::{self, PollState, Store, StoreError};

use super::Pipeline;
use super::poll::{PollOutcome, poll_feed};

/// The longest the loop sleeps without going round.
const HEARTBEAT: Duration = Duration::from_secs(5);

/// How often the not-modified notes of steady feeds are written (see `Store::note_not_modified`).
const FLUSH_EVERY: Duration = Duration::from_secs(1);

/// A finished poll: the feed's index, when it is next due, and its state now.
type Finished = (usize, DateTime<Utc>, Option<PollState>);

/// Polls `feeds` on their schedules until `stop` is cancelled. Polls in flight when it is are
/// abandoned: a poll commits in one transaction, so an abandoned one has changed nothing.
///
/// The loop keeps each feed's poll state between its polls (read once at start), so a poll reads
/// nothing from the state before fetching.
pub async fn run(
    pipeline: Arc<Pipeline>,
    feeds: Arc<[Feed]>,
    max_in_flight: usize,
    stop: CancellationToken,
) -> Result<(), StoreError> {
    let (mut due, mut states) = initial_schedule(&pipeline, &feeds).await?;
    let mut in_flight: JoinSet<Finished> = JoinSet::new();
    let mut flushed_at = tokio::time::Instant::now();
    loop {
        let now = pipeline.clock.now();
        while in_flight.len() < max_in_flight
            && due.peek().is_some_and(|Reverse((at, _))| *at <= now)
        {
            let Some(Reverse((_, index))) = due.pop() else {
                break;
            };
            spawn_poll(
                &mut in_flight,
                &pipeline,
                &feeds,
                index,
                states[index].take(),
            );
        }
        pipeline.beat();
        if flushed_at.elapsed() >= FLUSH_EVERY {
            flush_notes(&pipeline).await;
            flushed_at = tokio::time::Instant::now();
        }
        let wake_at = due
            .peek()
            .filter(|_| in_flight.len() < max_in_flight)
            .map(|Reverse((at, _))| pipeline.clock.instant_at(schedule::on_whole_second(*at)));
        tokio::select! {
            () = stop.cancelled() => break,
            Some(done) = in_flight.join_next() => match done {
                Ok((index, next_due, state)) => {
                    states[index] = state;
                    due.push(Reverse((next_due, index)));
                }
                Err(error) => tracing::error!(%error, "a poll task ended unexpectedly"),
            },
            () = sleep_until(wake_at) => {}
            // Go round at least this often, so the heartbeat shows the loop is not stuck.
            () = tokio::time::sleep(HEARTBEAT) => {}
        }
    }
    in_flight.shutdown().await;
    flush_notes(&pipeline).await;
    Ok(())
}

async fn flush_notes(pipeline: &Pipeline) {
    // Checked here so that an idle loop does not wake a blocking thread for nothing.
    if !pipeline.store.has_notes() {
        return;
    }
    if let Err(error) = store::run_blocking(&pipeline.store, Store::flush_notes).await {
        tracing::warn!(%error, "cannot record the latest not-modified polls; those feeds will be polled again soon after a restart");
    }
}

async fn sleep_until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

fn spawn_poll(
    in_flight: &mut JoinSet<Finished>,
    pipeline: &Arc<Pipeline>,
    feeds: &Arc<[Feed]>,
    index: usize,
    known: Option<PollState>,
) {
    let (pipeline, feeds) = (Arc::clone(pipeline), Arc::clone(feeds));
    in_flight.spawn(async move {
        let feed = &feeds[index];
        // A bug in one poll must not end the loop or lose the feed's place in it.
        if let Ok(report) = std::panic::AssertUnwindSafe(poll_feed(&pipeline, feed, known))
            .catch_unwind()
            .await
        {
            (index, report.next_due, report.state)
        } else {
            tracing::error!(feed = %feed.name, "the poll crashed; the feed will be retried later");
            let next_due = schedule::after_failure(&feed.cadence, pipeline.clock.now(), 1);
            (index, next_due, None)
        }
    });
}

/// Each feed's due time and poll state from the state; a feed never polled (or new to the config)
/// is due now. A stored time further away than one interval (the config's interval was shortened)
/// is brought in.
async fn initial_schedule(
    pipeline: &Pipeline,
    feeds: &[Feed],
) -> Result<
    (
        BinaryHeap<Reverse<(DateTime<Utc>, usize)>>,
        Vec<Option<PollState>>,
    ),
    StoreError,
> {
    let mut stored = store::run_blocking(&pipeline.store, Store::poll_states).await?;
    let now = pipeline.clock.now();
    let states: Vec<Option<PollState>> =
        feeds.iter().map(|feed| stored.remove(&feed.name)).collect();
    let heap = feeds
        .iter()
        .zip(&states)
        .enumerate()
        .map(|(index, (feed, state))| {
            let latest = schedule::next_regular(&feed.cadence, now);
            let at = state
                .as_ref()
                .and_then(|s| s.next_due_at)
                .map_or(now, |at| at.min(latest));
            Reverse((at, index))
        })
        .collect();
    Ok((heap, states))
}

/// Polls every feed once, concurrently (the fetcher's limits bound how many at once), and returns
/// each feed's outcome in config order.
/// `progress` hears (feeds polled, feeds in all) after each poll.
pub async fn poll_all_once(
    pipeline: Arc<Pipeline>,
    feeds: Arc<[Feed]>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<PollOutcome>, StoreError> {
    let mut stored = store::run_blocking(&pipeline.store, Store::poll_states).await?;
    let mut polls = JoinSet::new();
    for index in 0..feeds.len() {
        let (pipeline, feeds) = (Arc::clone(&pipeline), Arc::clone(&feeds));
        let known = stored.remove(&feeds[index].name);
        polls.spawn(async move {
            (
                index,
                poll_feed(&pipeline, &feeds[index], known).await.outcome,
            )
        });
    }
    let mut outcomes = vec![PollOutcome::Failed("the poll did not finish".into()); feeds.len()];
    let mut finished = 0;
    while let Some(done) = polls.join_next().await {
        if let Ok((index, outcome)) = done {
            outcomes[index] = outcome;
        }
        finished += 1;
        progress(finished, feeds.len());
    }
    flush_notes(&pipeline).await;
    Ok(outcomes)
}
