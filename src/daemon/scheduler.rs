//! The poll loop: sleeps until the earliest due feed, polls what is due, and puts each feed back in
//! line at the time its poll decided. No busy polling: between due times the task is asleep.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::FutureExt;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::config::Feed;
use crate::schedule;
use crate::store::{self, Store, StoreError};

use super::Pipeline;
use super::poll::{PollOutcome, poll_feed};

/// The longest the loop sleeps without going round.
const HEARTBEAT: Duration = Duration::from_secs(5);

/// Polls `feeds` on their schedules until `stop` is cancelled. Polls in flight when it is are
/// abandoned: a poll commits in one transaction, so an abandoned one has changed nothing.
pub async fn run(
    pipeline: Arc<Pipeline>,
    feeds: Arc<Vec<Feed>>,
    max_in_flight: usize,
    stop: CancellationToken,
) -> Result<(), StoreError> {
    let mut due = initial_due_times(&pipeline, &feeds).await?;
    let mut in_flight: JoinSet<(usize, DateTime<Utc>)> = JoinSet::new();
    loop {
        let now = pipeline.clock.now();
        while in_flight.len() < max_in_flight
            && due.peek().is_some_and(|Reverse((at, _))| *at <= now)
        {
            let Some(Reverse((_, index))) = due.pop() else {
                break;
            };
            spawn_poll(&mut in_flight, &pipeline, &feeds, index);
        }
        pipeline.beat();
        let wake_at = due
            .peek()
            .filter(|_| in_flight.len() < max_in_flight)
            .map(|Reverse((at, _))| pipeline.clock.instant_at(*at));
        tokio::select! {
            () = stop.cancelled() => break,
            Some(done) = in_flight.join_next() => match done {
                Ok((index, next_due)) => due.push(Reverse((next_due, index))),
                Err(error) => tracing::error!(%error, "a poll task ended unexpectedly"),
            },
            () = sleep_until(wake_at) => {}
            // Go round at least this often, so the heartbeat shows the loop is not stuck.
            () = tokio::time::sleep(HEARTBEAT) => {}
        }
    }
    in_flight.shutdown().await;
    Ok(())
}

async fn sleep_until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

fn spawn_poll(
    in_flight: &mut JoinSet<(usize, DateTime<Utc>)>,
    pipeline: &Arc<Pipeline>,
    feeds: &Arc<Vec<Feed>>,
    index: usize,
) {
    let (pipeline, feeds) = (Arc::clone(pipeline), Arc::clone(feeds));
    in_flight.spawn(async move {
        let feed = &feeds[index];
        // A bug in one poll must not end the loop or lose the feed's place in it.
        if let Ok(report) = std::panic::AssertUnwindSafe(poll_feed(&pipeline, feed))
            .catch_unwind()
            .await
        {
            (index, report.next_due)
        } else {
            tracing::error!(feed = %feed.name, "the poll crashed; the feed will be retried later");
            (
                index,
                schedule::after_failure(&feed.cadence, pipeline.clock.now(), 1),
            )
        }
    });
}

/// Each feed's due time from the state; a feed never polled (or new to the config) is due now. A
/// stored time further away than one interval (the config's interval was shortened) is brought in.
async fn initial_due_times(
    pipeline: &Pipeline,
    feeds: &[Feed],
) -> Result<BinaryHeap<Reverse<(DateTime<Utc>, usize)>>, StoreError> {
    let states = store::run_blocking(&pipeline.store, Store::feed_states).await?;
    let stored: HashMap<String, Option<DateTime<Utc>>> = states
        .into_iter()
        .map(|s| (s.feed, s.next_due_at))
        .collect();
    let now = pipeline.clock.now();
    let heap = feeds
        .iter()
        .enumerate()
        .map(|(index, feed)| {
            let latest = schedule::next_regular(&feed.cadence, now);
            let at = stored
                .get(&feed.name)
                .copied()
                .flatten()
                .map_or(now, |at| at.min(latest));
            Reverse((at, index))
        })
        .collect();
    Ok(heap)
}

/// Polls every feed once, concurrently (the fetcher's limits bound how many at once), and returns
/// each feed's outcome in config order.
/// `progress` hears (feeds polled, feeds in all) after each poll.
pub async fn poll_all_once(
    pipeline: Arc<Pipeline>,
    feeds: Arc<Vec<Feed>>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<PollOutcome> {
    let mut polls = JoinSet::new();
    for index in 0..feeds.len() {
        let (pipeline, feeds) = (Arc::clone(&pipeline), Arc::clone(&feeds));
        polls.spawn(async move { (index, poll_feed(&pipeline, &feeds[index]).await.outcome) });
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
    outcomes
}
