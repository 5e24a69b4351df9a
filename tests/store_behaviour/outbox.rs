//! The outbox: order, settling, retries, dead letters, suspension, pruning.

use std::time::Duration;

use feedhook::store::{DeliveryId, PendingDelivery, Store, StoreError};

use super::{Poll, at, drain, entry};

/// `blog` polled once (nothing queued), then gaining `keys` for `channels`.
async fn with_pending(store: &Store, keys: &[&str], channels: &[&str]) {
    Poll::new("blog", &[], channels).run(store).await;
    Poll::new("blog", keys, channels).at(15).run(store).await;
}

async fn next(store: &Store, channel: &str) -> PendingDelivery {
    store
        .next_pending(channel)
        .await
        .unwrap()
        .expect("a pending delivery")
}

pub async fn deliveries_go_out_oldest_first_per_channel(store: &Store) {
    with_pending(store, &["a", "b"], &["ops", "dev"]).await;
    Poll::new("news", &[], &["ops"]).run(store).await;
    Poll::new("news", &["n1"], &["ops"]).at(20).run(store).await;
    Poll::new("blog", &["a", "b", "c"], &["ops", "dev"])
        .at(30)
        .run(store)
        .await;
    assert_eq!(drain(store, "ops").await, ["a", "b", "n1", "c"]);
    assert_eq!(drain(store, "dev").await, ["a", "b", "c"]);
    assert_eq!(store.next_pending("nobody").await.unwrap(), None);
}

pub async fn pending_carries_the_entry_and_its_feed(store: &Store) {
    with_pending(store, &["a"], &["ops"]).await;
    let pending = next(store, "ops").await;
    assert_eq!(pending.entry, entry("a"));
    assert_eq!(
        (pending.feed.as_str(), pending.channel.as_str()),
        ("blog", "ops")
    );
    assert_eq!(pending.feed_url, "https://example.com/feed.xml");
    assert_eq!(pending.feed_info.title.as_deref(), Some("The blog feed"));
    assert_eq!(
        (pending.attempts, pending.queued_at, pending.next_attempt_at),
        (0, at(15), at(15))
    );
}

pub async fn delivered_leaves_the_queue_and_dates_the_channel(store: &Store) {
    with_pending(store, &["a", "b"], &["ops"]).await;
    let first = next(store, "ops").await;
    store.mark_delivered(first.id, at(16)).await.unwrap();
    assert_eq!(next(store, "ops").await.entry.key, "b");
    let channel = store.channel_state("ops").await.unwrap();
    assert_eq!(channel.last_delivery_at, Some(at(16)));
    assert_eq!(
        (channel.pending, channel.delivered, channel.failed),
        (1, 1, 0)
    );
    assert_eq!(channel.oldest_pending_at, Some(at(15)));
}

pub async fn a_settled_delivery_cannot_be_settled_again(store: &Store) {
    with_pending(store, &["a"], &["ops"]).await;
    let id = next(store, "ops").await.id;
    store.mark_delivered(id, at(16)).await.unwrap();
    let not_pending = |result: Result<(), StoreError>| matches!(result, Err(StoreError::Database(ref m)) if m.contains("not pending"));
    assert!(not_pending(store.mark_delivered(id, at(17)).await));
    assert!(not_pending(store.mark_failed(id, at(17), "late").await));
    assert!(not_pending(
        store.mark_delivered(DeliveryId(999_999), at(17)).await
    ));
}

pub async fn retries_count_attempts(store: &Store) {
    with_pending(store, &["a"], &["ops"]).await;
    let id = next(store, "ops").await.id;
    assert_eq!(
        store.schedule_retry(id, at(20), "HTTP 502").await.unwrap(),
        1
    );
    assert_eq!(
        store
            .schedule_retry(id, at(40), "timeout\0body")
            .await
            .unwrap(),
        2
    );
    let pending = next(store, "ops").await;
    assert_eq!(
        (pending.id, pending.attempts, pending.next_attempt_at),
        (id, 2, at(40))
    );
}

pub async fn unanswered_posts_count_apart_from_attempts_until_a_requeue(store: &Store) {
    with_pending(store, &["a"], &["ops"]).await;
    let id = next(store, "ops").await.id;
    for (expected, minutes) in [(1, 30), (2, 90)] {
        let unanswered = store
            .schedule_unanswered(id, at(minutes), "timed out once sent")
            .await
            .unwrap();
        assert_eq!(unanswered, expected);
    }
    let pending = next(store, "ops").await;
    assert_eq!(
        (
            pending.unanswered,
            pending.attempts,
            pending.next_attempt_at
        ),
        (2, 0, at(90))
    );
    store
        .mark_failed(id, at(91), "outcome unknown")
        .await
        .unwrap();
    assert!(matches!(
        store.schedule_unanswered(id, at(95), "late").await,
        Err(StoreError::Database(ref m)) if m.contains("not pending")
    ));
    assert_eq!(store.requeue_failed(Some("ops"), at(92)).await.unwrap(), 1);
    assert_eq!(next(store, "ops").await.unanswered, 0);
}

pub async fn failed_deliveries_requeue_in_their_place(store: &Store) {
    with_pending(store, &["a", "b"], &["ops", "dev"]).await;
    let a = next(store, "ops").await.id;
    store.schedule_retry(a, at(20), "HTTP 500").await.unwrap();
    store
        .mark_failed(a, at(21), "HTTP 400: rejected")
        .await
        .unwrap();
    let dev_a = next(store, "dev").await.id;
    store.mark_failed(dev_a, at(21), "HTTP 400").await.unwrap();
    assert_eq!(next(store, "ops").await.entry.key, "b");
    assert_eq!(store.channel_state("ops").await.unwrap().failed, 1);
    assert_eq!(store.requeue_failed(Some("ops"), at(30)).await.unwrap(), 1);
    let again = next(store, "ops").await;
    assert_eq!(
        (
            again.entry.key.as_str(),
            again.attempts,
            again.next_attempt_at
        ),
        ("a", 0, at(30))
    );
    assert_eq!(store.requeue_failed(None, at(31)).await.unwrap(), 1);
    assert_eq!(drain(store, "dev").await, ["a", "b"]);
}

pub async fn suspension_keeps_the_queue(store: &Store) {
    with_pending(store, &["a"], &["ops"]).await;
    store
        .suspend_channel("ops", at(60), "HTTP 404: the webhook is gone")
        .await
        .unwrap();
    let names = vec!["ops".to_owned(), "idle".to_owned()];
    let states = store.channel_states(&names).await.unwrap();
    assert_eq!(states[0].suspended_until, Some(at(60)));
    assert_eq!(
        states[0].suspended_reason.as_deref(),
        Some("HTTP 404: the webhook is gone")
    );
    assert_eq!((states[0].pending, states[1].channel.as_str()), (1, "idle"));
    assert_eq!(states[1].suspended_until, None);
    store.resume_channel("ops").await.unwrap();
    store.resume_channel("idle").await.unwrap();
    let ops = store.channel_state("ops").await.unwrap();
    assert_eq!((ops.suspended_until, ops.pending), (None, 1));
}

pub async fn a_pause_is_kept_apart_from_suspension_and_lifted(store: &Store) {
    with_pending(store, &["a"], &["ops"]).await;
    store
        .suspend_channel("ops", at(60), "HTTP 410")
        .await
        .unwrap();
    store
        .pause_channel("ops", at(30), "Retry-After\0")
        .await
        .unwrap();
    store.resume_channel("ops").await.unwrap();
    let state = store.channel_state("ops").await.unwrap();
    assert_eq!(state.suspended_until, None);
    assert_eq!(
        (state.paused_until, state.pending),
        (Some(at(30)), 1),
        "resuming a suspension keeps the pause and the queue"
    );
    assert!(state.pause_reason.unwrap().starts_with("Retry-After"));
    store.lift_pause("ops").await.unwrap();
    store.lift_pause("idle").await.unwrap();
    let state = store.channel_state("ops").await.unwrap();
    assert_eq!((state.paused_until, state.pause_reason), (None, None));
}

pub async fn prune_forgets_settled_rows_and_unreferenced_entries(store: &Store) {
    with_pending(store, &["a", "b", "c"], &["ops"]).await;
    let a = next(store, "ops").await.id;
    store.mark_delivered(a, at(16)).await.unwrap();
    let b = next(store, "ops").await.id;
    store.mark_failed(b, at(16), "HTTP 400").await.unwrap();
    let day = Duration::from_secs(24 * 60 * 60);
    assert_eq!(
        store.prune(at(60), day).await.unwrap().total(),
        0,
        "nothing is old enough"
    );
    // A day and an hour (the most a seen mark lags) after the entries were seen: the two settled
    // deliveries and their entries go; `c` is still pending.
    let pruned = store
        .prune(at(15 + 24 * 60 + 60 + 1), day)
        .await
        .unwrap()
        .total();
    assert_eq!(pruned, 4);
    assert_eq!(
        store
            .feed_state("blog")
            .await
            .unwrap()
            .unwrap()
            .entries_seen,
        1
    );
    assert_eq!(drain(store, "ops").await, ["c"]);
    assert_eq!(store.prune(at(0), Duration::MAX).await.unwrap().total(), 0);
}

/// A listed entry's seen mark is rewritten at most hourly; pruning allows for that hour, so an
/// entry listed within the retention is never forgotten.
pub async fn an_entry_listed_within_the_retention_is_kept(store: &Store) {
    Poll::new("blog", &["a"], &["ops"]).run(store).await;
    // Listed again 59 minutes later: the mark may stay at 0.
    Poll::new("blog", &["a"], &["ops"]).at(59).run(store).await;
    let week = 7 * 24 * 60;
    let retention = Duration::from_secs(7 * 24 * 60 * 60);
    assert_eq!(
        store
            .prune(at(59 + week - 1), retention)
            .await
            .unwrap()
            .total(),
        0
    );
    assert_eq!(entries_seen(store).await, 1);
    // Listed again after 61 minutes: the mark moves, and the week counts from there.
    Poll::new("blog", &["a"], &["ops"]).at(61).run(store).await;
    assert_eq!(
        store
            .prune(at(60 + week + 1), retention)
            .await
            .unwrap()
            .total(),
        0
    );
    assert_eq!(entries_seen(store).await, 1);
    assert_eq!(
        store
            .prune(at(122 + week), retention)
            .await
            .unwrap()
            .total(),
        1
    );
    assert_eq!(entries_seen(store).await, 0);
}

async fn entries_seen(store: &Store) -> u64 {
    let state = store.feed_state("blog").await.unwrap();
    state.unwrap().entries_seen
}
