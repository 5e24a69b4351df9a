use rusqlite::StatementStatus;

use crate::store::sqlite::Db;
use crate::store::sqlite::testing::{Poll, at, entry, pending_keys};
use crate::store::{DeliveryId, PendingDelivery, StoreError};

/// A store where `blog` was polled once (nothing queued) and then gained `keys` for `channels`.
fn store_with_pending(keys: &[&str], channels: &[&str]) -> Db {
    let store = Db::open_in_memory().expect("memory store");
    Poll::new("blog", &[], channels).run(&store);
    Poll::new("blog", keys, channels).at(at(15)).run(&store);
    store
}

fn next(store: &Db, channel: &str) -> PendingDelivery {
    store
        .next_pending(channel)
        .expect("read")
        .expect("a pending delivery")
}

#[test]
fn next_pending_carries_the_entry_and_its_feed() {
    let store = store_with_pending(&["a"], &["ops"]);
    let pending = next(&store, "ops");
    assert_eq!(pending.entry, entry("a"));
    assert_eq!(pending.feed, "blog");
    assert_eq!(pending.channel, "ops");
    assert_eq!(pending.feed_url, "https://example.com/feed.xml");
    assert_eq!(pending.feed_info.title.as_deref(), Some("The blog feed"));
    assert_eq!(pending.attempts, 0);
    assert_eq!(pending.queued_at, at(15));
    assert_eq!(pending.next_attempt_at, at(15));
}

#[test]
fn empty_channel_has_nothing_pending() {
    let store = store_with_pending(&["a"], &["ops"]);
    assert_eq!(store.next_pending("dev").expect("read"), None);
}

#[test]
fn next_pending_follows_queue_order_per_channel() {
    let store = store_with_pending(&["a", "b"], &["ops", "dev"]);
    Poll::new("news", &[], &["ops"]).run(&store);
    Poll::new("news", &["n1"], &["ops"]).at(at(20)).run(&store);
    Poll::new("blog", &["a", "b", "c"], &["ops", "dev"])
        .at(at(30))
        .run(&store);

    let mut ops = Vec::new();
    while let Some(pending) = store.next_pending("ops").expect("read") {
        ops.push(pending.entry.key.clone());
        store.mark_delivered(pending.id, at(40)).expect("deliver");
    }
    assert_eq!(ops, ["a", "b", "n1", "c"]);
    assert_eq!(pending_keys(&store, "dev"), ["a", "b", "c"]);
}

#[test]
fn delivered_leaves_the_queue_and_dates_the_channel() {
    let store = store_with_pending(&["a", "b"], &["ops"]);
    let first = next(&store, "ops");
    store.mark_delivered(first.id, at(16)).expect("deliver");
    assert_eq!(next(&store, "ops").entry.key, "b");
    let channel = store.channel_state("ops").expect("read");
    assert_eq!(channel.last_delivery_at, Some(at(16)));
    assert_eq!((channel.pending, channel.delivered), (1, 1));
}

#[test]
fn a_delivery_cannot_be_marked_delivered_twice() {
    let store = store_with_pending(&["a"], &["ops"]);
    let id = next(&store, "ops").id;
    store.mark_delivered(id, at(16)).expect("deliver");
    let err = store
        .mark_delivered(id, at(17))
        .expect_err("already delivered");
    assert!(
        matches!(err, StoreError::NotPending(not) if not == id.0),
        "{err:?}"
    );
}

#[test]
fn unknown_delivery_is_an_error() {
    let store = store_with_pending(&["a"], &["ops"]);
    assert!(store.schedule_retry(DeliveryId(999), at(20), "x").is_err());
    assert!(store.mark_failed(DeliveryId(999), at(20), "x").is_err());
}

#[test]
fn retry_counts_an_attempt_and_keeps_the_delivery_first() {
    let store = store_with_pending(&["a", "b"], &["ops"]);
    let id = next(&store, "ops").id;
    assert_eq!(
        store.schedule_retry(id, at(20), "HTTP 502").expect("retry"),
        1
    );
    assert_eq!(
        store.schedule_retry(id, at(25), "timeout").expect("retry"),
        2
    );
    let pending = next(&store, "ops");
    assert_eq!(
        pending.id, id,
        "a later next_attempt_at does not let b overtake"
    );
    assert_eq!(pending.attempts, 2);
    assert_eq!(pending.next_attempt_at, at(25));
}

#[test]
fn failed_delivery_is_dead_lettered_and_the_queue_moves_on() {
    let store = store_with_pending(&["a", "b"], &["ops"]);
    let id = next(&store, "ops").id;
    store
        .mark_failed(id, at(20), "HTTP 400: bad card")
        .expect("fail");
    assert_eq!(next(&store, "ops").entry.key, "b");
    let channel = store.channel_state("ops").expect("read");
    assert_eq!((channel.pending, channel.failed), (1, 1));
    assert_eq!(channel.last_delivery_at, None);
}

#[test]
fn requeued_dead_letters_go_out_first_with_fresh_attempts() {
    let store = store_with_pending(&["a", "b"], &["ops", "dev"]);
    for channel in ["ops", "dev"] {
        let id = next(&store, channel).id;
        store.schedule_retry(id, at(20), "HTTP 500").expect("retry");
        store.mark_failed(id, at(21), "gave up").expect("fail");
    }
    assert_eq!(
        store.requeue_failed(Some("ops"), at(30)).expect("requeue"),
        1
    );
    let pending = next(&store, "ops");
    assert_eq!((pending.entry.key.as_str(), pending.attempts), ("a", 0));
    assert_eq!(pending.next_attempt_at, at(30));
    assert_eq!(
        next(&store, "dev").entry.key,
        "b",
        "dev's dead letter stays"
    );

    assert_eq!(store.requeue_failed(None, at(31)).expect("requeue all"), 1);
    assert_eq!(next(&store, "dev").entry.key, "a");
}

#[test]
fn an_unreadable_stored_entry_is_dead_lettered_instead_of_blocking() {
    let store = store_with_pending(&["a", "b"], &["ops"]);
    store
        .with_conn(|c| {
            c.execute("UPDATE entries SET entry = '{not json' WHERE key = 'a'", [])?;
            Ok(())
        })
        .expect("corrupt one entry");
    assert_eq!(next(&store, "ops").entry.key, "b");
    assert_eq!(store.channel_state("ops").expect("read").failed, 1);
}

#[test]
fn a_post_left_unanswered_is_counted_apart_from_failed_attempts_and_reset_by_a_requeue() {
    let store = store_with_pending(&["a"], &["ops"]);
    let id = next(&store, "ops").id;
    assert_eq!(
        store
            .schedule_unanswered(id, at(30), "timed out")
            .expect("note"),
        1
    );
    assert_eq!(
        store
            .schedule_unanswered(id, at(90), "timed out")
            .expect("note"),
        2
    );
    let pending = next(&store, "ops");
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
        .expect("fail");
    assert_eq!(
        store.requeue_failed(Some("ops"), at(92)).expect("requeue"),
        1
    );
    assert_eq!(next(&store, "ops").unanswered, 0);
}

#[test]
fn a_worker_reads_its_next_delivery_without_the_statement_being_prepared_again() {
    let store = store_with_pending(&["a", "b", "c"], &["ops", "dev"]);
    for channel in ["ops", "dev", "ops", "dev"] {
        let pending = next(&store, channel);
        store.mark_delivered(pending.id, at(40)).expect("deliver");
    }
    let (runs, prepared_again) = store
        .with_conn(|conn| {
            let statement = conn.prepare_cached(super::OLDEST_PENDING)?;
            Ok((
                statement.get_status(StatementStatus::Run),
                statement.get_status(StatementStatus::RePrepare),
            ))
        })
        .expect("statement status");
    assert!(runs >= 4, "the worker's read ran {runs} times");
    assert_eq!(prepared_again, 0);
}
