//! Recording polls: the first poll, dedupe, validators, health, 304 notes.

use feedhook::fetch::Validators;
use feedhook::store::{LastResult, PollSummary, Store};

use super::{Poll, at, drain, entry};

pub async fn first_poll_with_backlog_zero_queues_nothing(store: &Store) {
    let summary = Poll::new("blog", &["a", "b", "c"], &["ops"])
        .run(store)
        .await;
    assert!(summary.first_poll);
    assert_eq!((summary.new_entries, summary.queued), (3, 0));
    assert_eq!(store.channel_state("ops").await.unwrap().pending, 0);
    let state = store.feed_state("blog").await.unwrap().unwrap();
    assert_eq!(state.entries_seen, 3);
    assert_eq!(state.last_result.as_deref(), Some("ok"));
}

pub async fn first_poll_queues_the_newest_backlog_oldest_first_per_channel(store: &Store) {
    let summary = Poll::new("blog", &["a", "b", "c", "d"], &["ops", "dev", "ops"])
        .backlog(2)
        .run(store)
        .await;
    assert_eq!(summary.queued, 4);
    assert_eq!(drain(store, "ops").await, ["c", "d"]);
    assert_eq!(drain(store, "dev").await, ["c", "d"]);
}

pub async fn second_poll_queues_exactly_the_new_entries(store: &Store) {
    Poll::new("blog", &["a", "b"], &["ops"]).run(store).await;
    let summary = Poll::new("blog", &["c", "a", "b", "d"], &["ops"])
        .at(15)
        .run(store)
        .await;
    assert!(!summary.first_poll);
    assert_eq!((summary.new_entries, summary.queued), (2, 2));
    assert_eq!(drain(store, "ops").await, ["c", "d"]);
    let again = Poll::new("blog", &["a", "b", "c", "d"], &["ops"])
        .at(30)
        .run(store)
        .await;
    assert_eq!(again, PollSummary::default());
}

pub async fn a_key_repeated_in_a_document_counts_once(store: &Store) {
    Poll::new("blog", &[], &["ops"]).run(store).await;
    let summary = Poll::new("blog", &["a", "b", "a"], &["ops"])
        .at(15)
        .run(store)
        .await;
    assert_eq!((summary.new_entries, summary.queued), (2, 2));
    assert_eq!(drain(store, "ops").await, ["a", "b"]);
}

pub async fn keys_are_per_feed(store: &Store) {
    Poll::new("blog", &["a"], &["ops"]).run(store).await;
    Poll::new("news", &[], &["ops"]).run(store).await;
    let summary = Poll::new("news", &["a"], &["ops"]).at(15).run(store).await;
    assert_eq!(summary.queued, 1);
}

pub async fn validators_are_replaced_by_each_document(store: &Store) {
    let mut poll = Poll::new("blog", &["a"], &["ops"]);
    poll.0.validators = Validators {
        etag: Some("\"v1\"".into()),
        last_modified: Some("Tue, 14 Nov 2023 22:13:20 GMT".into()),
    };
    poll.run(store).await;
    let mut second = Poll::new("blog", &["a"], &["ops"]).at(15);
    second.0.validators.etag = Some("\"v2\"".into());
    second.run(store).await;
    let state = store.poll_state("blog").await.unwrap().unwrap();
    assert_eq!(
        state.validators,
        Validators {
            etag: Some("\"v2\"".into()),
            last_modified: None
        }
    );
}

pub async fn a_new_url_drops_the_validators(store: &Store) {
    let mut poll = Poll::new("blog", &["a"], &["ops"]);
    poll.0.validators.etag = Some("\"v1\"".into());
    poll.run(store).await;
    let url = "https://example.com/feed.xml";
    store
        .record_not_modified("blog", url, at(15), at(30))
        .await
        .unwrap();
    let kept = store.poll_state("blog").await.unwrap().unwrap();
    assert_eq!(kept.validators.etag.as_deref(), Some("\"v1\""));
    assert!(kept.is_steady(url));
    let moved = "https://example.com/moved.xml";
    store
        .record_not_modified("blog", moved, at(30), at(45))
        .await
        .unwrap();
    let state = store.poll_state("blog").await.unwrap().unwrap();
    assert_eq!(
        (state.url.as_str(), state.validators),
        (moved, Validators::default())
    );
}

pub async fn failures_count_up_and_a_document_resets_them(store: &Store) {
    let url = "https://example.com/feed.xml";
    assert_eq!(
        store
            .record_failure("blog", url, at(0), "timeout", at(5))
            .await
            .unwrap(),
        1
    );
    store
        .record_wait("blog", url, at(5), "429", at(20))
        .await
        .unwrap();
    assert_eq!(
        store
            .record_failure("blog", url, at(20), "500", at(25))
            .await
            .unwrap(),
        2
    );
    let state = store.feed_state("blog").await.unwrap().unwrap();
    assert_eq!(state.last_error.as_deref(), Some("500"));
    assert_eq!(
        (state.last_poll_at, state.next_due_at),
        (Some(at(20)), Some(at(25)))
    );
    let polled = store.poll_state("blog").await.unwrap().unwrap();
    assert_eq!(polled.last_result, Some(LastResult::Error));
    Poll::new("blog", &["a"], &["ops"]).at(30).run(store).await;
    let state = store.feed_state("blog").await.unwrap().unwrap();
    assert_eq!((state.consecutive_failures, state.last_error), (0, None));
}

pub async fn a_first_outcome_without_a_document_keeps_the_first_poll_first(store: &Store) {
    let url = "https://example.com/feed.xml";
    store
        .record_failure("blog", url, at(0), "timeout", at(5))
        .await
        .unwrap();
    let summary = Poll::new("blog", &["a", "b"], &["ops"])
        .at(5)
        .run(store)
        .await;
    assert!(summary.first_poll);
    assert_eq!(summary.queued, 0);
}

pub async fn notes_move_times_forward_only(store: &Store) {
    Poll::new("blog", &["a"], &["ops"]).run(store).await;
    Poll::new("news", &["n"], &["ops"]).run(store).await;
    assert!(!store.has_notes());
    store.note_not_modified("blog", at(20), at(35));
    store.note_not_modified("blog", at(40), at(55));
    store.note_not_modified("news", at(-10), at(5));
    assert!(store.has_notes());
    assert_eq!(store.flush_notes().await.unwrap(), 3);
    assert!(!store.has_notes());
    let blog = store.poll_state("blog").await.unwrap().unwrap();
    assert_eq!(blog.next_due_at, Some(at(55)));
    let states = store.poll_states().await.unwrap();
    assert_eq!(
        states["news"].next_due_at,
        Some(at(15)),
        "an older note changes nothing"
    );
    assert_eq!(store.flush_notes().await.unwrap(), 0);
}

pub async fn feed_states_list_every_feed_by_name(store: &Store) {
    Poll::new("news", &["n"], &["ops"]).run(store).await;
    Poll::new("blog", &["a", "b"], &["ops"]).run(store).await;
    let states = store.feed_states().await.unwrap();
    let names: Vec<(&str, u64)> = states
        .iter()
        .map(|s| (s.feed.as_str(), s.entries_seen))
        .collect();
    assert_eq!(names, [("blog", 2), ("news", 1)]);
    assert_eq!(states[0].info.title.as_deref(), Some("The blog feed"));
    assert_eq!(store.feed_state("gone").await.unwrap(), None);
}

pub async fn entries_with_any_text_round_trip(store: &Store) {
    Poll::new("blog", &[], &["ops"]).run(store).await;
    let mut poll = Poll::new("blog", &[], &["ops"]).at(15);
    let mut odd = entry("nul\u{0}key");
    odd.title = Some("a\u{0}b \u{1F600} 'quoted' \"double\" \\".into());
    odd.published = Some(at(3) + chrono::TimeDelta::milliseconds(7));
    poll.0.entries.push(odd.clone());
    poll.run(store).await;
    let pending = store.next_pending("ops").await.unwrap().unwrap();
    assert_eq!(pending.entry, odd);
}
