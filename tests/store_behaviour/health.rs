//! A channel's health: the failing streak, suspension for failing, and the backlog cut to the
//! flood cap when it recovers.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use feedhook::parse::{Entry, FeedInfo};
use feedhook::store::Store;

use super::{Poll, at};

/// The entry keys pending for `channel`, in order, read through the API: each head is set aside
/// as failed to reach the next, then all are requeued in their places.
async fn pending_keys(store: &Store, channel: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let state = store.channel_state(channel).await.unwrap();
    while let Some(pending) = store.next_pending(channel).await.unwrap() {
        keys.push(pending.entry.key.clone());
        store
            .mark_failed(pending.id, at(500), "read")
            .await
            .unwrap();
    }
    assert_eq!(keys.len() as u64, state.pending);
    store.requeue_failed(Some(channel), at(500)).await.unwrap();
    keys
}

fn note(channel: &str, feed: &str, _: &FeedInfo, held: &[&Entry], _: DateTime<Utc>) -> Entry {
    let keys: Vec<&str> = held.iter().map(|entry| entry.key.as_str()).collect();
    Entry {
        key: String::new(),
        title: Some(format!("{channel}/{feed}: {}", keys.join(","))),
        ..Entry::default()
    }
}

fn caps(pairs: &[(&str, usize)]) -> Arc<HashMap<String, usize>> {
    Arc::new(
        pairs
            .iter()
            .map(|(feed, cap)| ((*feed).to_owned(), *cap))
            .collect(),
    )
}

pub async fn a_failing_streak_starts_at_its_first_failure_and_ends_with_a_delivery(store: &Store) {
    Poll::new("blog", &[], &["ops"]).run(store).await;
    Poll::new("blog", &["a", "b"], &["ops"])
        .at(1)
        .run(store)
        .await;
    assert_eq!(
        store.note_channel_failing("ops", at(2)).await.unwrap(),
        at(2)
    );
    assert_eq!(
        store.note_channel_failing("ops", at(9)).await.unwrap(),
        at(2),
        "the streak keeps its start"
    );
    let head = store.next_pending("ops").await.unwrap().unwrap();
    store
        .suspend_failing("ops", head.id, at(70), "HTTP 500")
        .await
        .unwrap();
    store
        .suspend_failing("ops", head.id, at(80), "HTTP 502\0")
        .await
        .unwrap();
    let state = store.channel_state("ops").await.unwrap();
    assert_eq!(
        (state.failing_since, state.probes, state.suspended_until),
        (Some(at(2)), 2, Some(at(80)))
    );
    assert!(state.suspended_reason.unwrap().starts_with("HTTP 502"));
    let waiting = store.next_pending("ops").await.unwrap().unwrap();
    assert_eq!((waiting.next_attempt_at, waiting.attempts), (at(80), 2));
    assert_eq!(state.pending, 2, "everything is kept");

    store.resume_channel("ops").await.unwrap();
    let state = store.channel_state("ops").await.unwrap();
    assert_eq!(
        (state.failing_since, state.probes),
        (Some(at(2)), 2),
        "a resume is not a recovery"
    );
    store.mark_delivered(head.id, at(81)).await.unwrap();
    let state = store.channel_state("ops").await.unwrap();
    assert_eq!((state.failing_since, state.probes), (None, 0));
}

pub async fn suspending_a_settled_head_changes_nothing(store: &Store) {
    Poll::new("blog", &[], &["ops"]).run(store).await;
    Poll::new("blog", &["a"], &["ops"]).at(1).run(store).await;
    let head = store.next_pending("ops").await.unwrap().unwrap();
    store.mark_delivered(head.id, at(2)).await.unwrap();
    assert!(
        store
            .suspend_failing("ops", head.id, at(70), "HTTP 500")
            .await
            .is_err()
    );
    let state = store.channel_state("ops").await.unwrap();
    assert_eq!((state.suspended_until, state.probes), (None, 0));
}

pub async fn the_oldest_beyond_the_cap_become_one_card_in_the_place_of_the_oldest(store: &Store) {
    Poll::new("blog", &[], &["ops", "other"]).run(store).await;
    Poll::new("blog", &["a", "b", "c", "d", "e"], &["ops", "other"])
        .at(1)
        .run(store)
        .await;
    let summarised = store
        .summarise_backlog("ops", caps(&[("blog", 2)]), note, at(60))
        .await
        .unwrap();
    assert_eq!(summarised, [("blog".to_owned(), 3)]);
    let first = store.next_pending("ops").await.unwrap().unwrap();
    assert_eq!(first.entry.title.as_deref(), Some("ops/blog: a,b,c"));
    let keys = pending_keys(store, "ops").await;
    assert_eq!(keys.len(), 3);
    assert!(keys[0].starts_with("feedhook:backlog:ops:"), "{keys:?}");
    assert_eq!(keys[1..], ["d", "e"]);
    let state = store.channel_state("ops").await.unwrap();
    assert_eq!((state.pending, state.delivered), (3, 2));
    assert_eq!(
        pending_keys(store, "other").await,
        ["a", "b", "c", "d", "e"],
        "another channel keeps its own queue"
    );
}

pub async fn a_backlog_within_the_cap_or_uncapped_is_left_alone(store: &Store) {
    Poll::new("blog", &[], &["ops"]).run(store).await;
    Poll::new("blog", &["a", "b", "c"], &["ops"])
        .at(1)
        .run(store)
        .await;
    for limits in [caps(&[("blog", 3)]), caps(&[("blog", 0)]), caps(&[])] {
        let summarised = store
            .summarise_backlog("ops", limits, note, at(60))
            .await
            .unwrap();
        assert!(summarised.is_empty());
        assert_eq!(pending_keys(store, "ops").await, ["a", "b", "c"]);
    }
}
