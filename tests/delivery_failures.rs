//! How a channel's worker rides out a failing webhook, under paused time: retries with backoff and
//! delivers exactly once, honours Retry-After, drops only the payload a webhook rejects, suspends a
//! channel whose webhook is gone without losing its queue, never lets one channel hold up another,
//! and moves on from a delivery whose record it finds written already.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use common::hook::{
    Scripted, fill_the_disk, gaps, queue, run_until, start, start_channel, with_policy,
};
use feedhook::config::DeliveryPolicy;
use feedhook::deliver::{Destination, Sent};
use feedhook::render::Payload;
use feedhook::store::Store;
use futures_util::future::BoxFuture;

#[tokio::test(start_paused = true)]
async fn server_errors_then_success_deliver_exactly_once() {
    let store = Arc::new(Store::open_in_memory().unwrap());
    queue(&store, &["a"], &["hook"]).await;
    let hook = Scripted::new(&[(503, None), (502, None), (500, None)]);
    let stop = CancellationToken::new();
    let worker = start(&store, "hook", Arc::clone(&hook), &stop);
    run_until(|| hook.posts().len() >= 4).await;
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(
        hook.keys(),
        ["a", "a", "a", "a"],
        "three failures and one success, nothing more"
    );
    let gaps = gaps(&hook.posts());
    assert!(
        gaps[0] >= Duration::from_millis(1600) && gaps[0] < Duration::from_secs(10),
        "first retry within seconds: {gaps:?}"
    );
    assert!(
        gaps[1] > gaps[0] && gaps[2] > gaps[1],
        "backoff grows: {gaps:?}"
    );
    let state = store.channel_state("hook").await.unwrap();
    assert_eq!((state.pending, state.delivered, state.failed), (0, 1, 0));
    stop.cancel();
    assert_eq!(worker.await.unwrap().delivered, 1);
}

#[tokio::test(start_paused = true)]
async fn honours_retry_after_and_does_not_spend_attempts() {
    let store = Arc::new(Store::open_in_memory().unwrap());
    queue(&store, &["a"], &["hook"]).await;
    let hook = Scripted::new(&[
        (429, Some(7)),
        (429, Some(7)),
        (429, Some(7)),
        (429, Some(7)),
        (429, Some(7)),
        (429, Some(7)),
    ]);
    let stop = CancellationToken::new();
    start(&store, "hook", Arc::clone(&hook), &stop);
    run_until(|| hook.posts().len() >= 7).await;
    for gap in gaps(&hook.posts()) {
        assert!(
            gap >= Duration::from_secs(7),
            "retried before Retry-After: {gap:?}"
        );
    }
    assert_eq!(store.channel_state("hook").await.unwrap().delivered, 1);
    stop.cancel();
}

#[tokio::test(start_paused = true)]
async fn a_rejected_payload_fails_alone_and_the_queue_moves_on() {
    let store = Arc::new(Store::open_in_memory().unwrap());
    queue(&store, &["a", "b"], &["hook"]).await;
    let hook = Scripted::new(&[(400, None)]);
    let stop = CancellationToken::new();
    start(&store, "hook", Arc::clone(&hook), &stop);
    run_until(|| hook.posts().len() >= 2).await;
    assert_eq!(hook.keys(), ["a", "b"]);
    let state = store.channel_state("hook").await.unwrap();
    assert_eq!((state.pending, state.delivered, state.failed), (0, 1, 1));
    stop.cancel();
}

#[tokio::test(start_paused = true)]
async fn a_gone_webhook_suspends_the_channel_and_keeps_its_queue() {
    let store = Arc::new(Store::open_in_memory().unwrap());
    queue(&store, &["a", "b"], &["hook"]).await;
    let hook = Scripted::new(&[(404, None)]);
    let stop = CancellationToken::new();
    start(&store, "hook", Arc::clone(&hook), &stop);
    tokio::time::sleep(Duration::from_secs(60)).await;
    let state = store.channel_state("hook").await.unwrap();
    assert!(state.suspended_until.is_some(), "{state:?}");
    assert_eq!(state.pending, 2, "nothing is dropped while suspended");
    assert_eq!(hook.posts().len(), 1, "no posts while suspended");
    run_until(|| hook.posts().len() >= 3).await;
    let posts = hook.posts();
    assert!(
        posts[1].0 - posts[0].0 >= Duration::from_secs(3600),
        "tried again after the pause"
    );
    assert_eq!(hook.keys(), ["a", "a", "b"]);
    assert_eq!(store.channel_state("hook").await.unwrap().delivered, 2);
    stop.cancel();
}

#[tokio::test(start_paused = true)]
async fn a_delivery_failing_for_a_day_is_given_up_and_kept_as_failed() {
    let store = Arc::new(Store::open_in_memory().unwrap());
    queue(&store, &["a", "b"], &["hook"]).await;
    let hook = Scripted::new(&vec![(500, None); 1000]);
    let stop = CancellationToken::new();
    // A channel that is never suspended for failing: its delivery's own budget ends first.
    let policy = DeliveryPolicy {
        suspend_after: Duration::from_secs(24 * 3600),
        ..DeliveryPolicy::default()
    };
    start_channel(
        &store,
        with_policy("hook", policy),
        Arc::clone(&hook),
        &stop,
    );
    run_until(|| hook.keys().contains(&"b".to_owned())).await;
    let posts = hook.posts();
    let first_b = posts.iter().position(|(_, k)| k == "b").unwrap();
    let elapsed = posts[first_b].0 - posts[0].0;
    assert!(
        elapsed >= Duration::from_secs(23 * 3600) && elapsed < Duration::from_secs(26 * 3600),
        "{elapsed:?}"
    );
    assert_eq!(store.channel_state("hook").await.unwrap().failed, 1);
    stop.cancel();
}

#[tokio::test(start_paused = true)]
async fn entries_are_posted_oldest_first() {
    let store = Arc::new(Store::open_in_memory().unwrap());
    queue(&store, &["1", "2", "3", "4"], &["hook"]).await;
    let hook = Scripted::new(&[(500, None)]);
    let stop = CancellationToken::new();
    start(&store, "hook", Arc::clone(&hook), &stop);
    run_until(|| hook.posts().len() >= 5).await;
    assert_eq!(hook.keys(), ["1", "1", "2", "3", "4"]);
    stop.cancel();
}

#[tokio::test(start_paused = true)]
async fn a_hanging_channel_does_not_delay_the_others() {
    let store = Arc::new(Store::open_in_memory().unwrap());
    queue(&store, &["a", "b"], &["stuck", "fine"]).await;
    let stuck = Scripted::hanging();
    let fine = Scripted::new(&[]);
    let stop = CancellationToken::new();
    start(&store, "stuck", Arc::clone(&stuck), &stop);
    start(&store, "fine", Arc::clone(&fine), &stop);
    run_until(|| fine.posts().len() >= 2).await;
    assert_eq!(fine.keys(), ["a", "b"]);
    assert_eq!(store.channel_state("stuck").await.unwrap().pending, 2);
    stop.cancel();
}

#[tokio::test(start_paused = true)]
async fn a_posted_card_whose_delivery_cannot_be_recorded_is_never_posted_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let store = Arc::new(Store::open(&path).unwrap());
    queue(&store, &["a", "b"], &["hook"]).await;
    let saboteur = fill_the_disk(&path);
    let hook = Scripted::new(&[]);
    let stop = CancellationToken::new();
    start(&store, "hook", Arc::clone(&hook), &stop);

    run_until(|| !hook.posts().is_empty()).await;
    tokio::time::sleep(Duration::from_secs(10 * 60)).await;
    assert_eq!(
        hook.keys(),
        ["a"],
        "posted once while the write kept failing"
    );
    assert_eq!(store.channel_state("hook").await.unwrap().delivered, 0);

    saboteur.execute_batch("DROP TRIGGER full_disk;").unwrap();
    run_until(|| hook.posts().len() >= 2).await;
    assert_eq!(hook.keys(), ["a", "b"], "a is recorded, not posted again");
    let state = store.channel_state("hook").await.unwrap();
    assert_eq!((state.delivered, state.pending), (2, 0));
    stop.cancel();
}

/// Posts like a webhook that answers 200, but first records the delivery itself, as an earlier
/// try of the worker's write would have whose acknowledgement was lost.
struct RecordedMeanwhile {
    store: Arc<Store>,
    inner: Arc<Scripted>,
}

impl std::fmt::Display for RecordedMeanwhile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("recorded meanwhile")
    }
}

impl Destination for RecordedMeanwhile {
    fn send<'a>(&'a self, key: &'a str, payload: &'a Payload) -> BoxFuture<'a, Sent> {
        Box::pin(async move {
            let head = self.store.next_pending("hook").await.unwrap().unwrap();
            let at = chrono::Utc::now();
            self.store.mark_delivered(head.id, at).await.unwrap();
            self.inner.send(key, payload).await
        })
    }
}

#[tokio::test(start_paused = true)]
async fn a_delivery_recorded_already_ends_the_write_and_the_queue_moves_on() {
    let store = Arc::new(Store::open_in_memory().unwrap());
    queue(&store, &["a", "b"], &["hook"]).await;
    let hook = Scripted::new(&[]);
    let target = Arc::new(RecordedMeanwhile {
        store: Arc::clone(&store),
        inner: Arc::clone(&hook),
    });
    let stop = CancellationToken::new();
    let worker = start_channel(&store, common::hook::channel("hook"), target, &stop);
    run_until(|| hook.posts().len() >= 2).await;
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(hook.keys(), ["a", "b"], "each posted once, none retried");
    let state = store.channel_state("hook").await.unwrap();
    assert_eq!((state.delivered, state.pending, state.failed), (2, 0, 0));
    stop.cancel();
    worker.await.unwrap();
}
