//! `QueueLimits`: what a poll holds back, and that what it holds back is still seen.

use std::sync::Arc;

use feedhook::parse::{Entry, FeedInfo};
use feedhook::store::Store;

use super::{Poll, at, drain, entry};

fn note(
    feed: &str,
    _info: &FeedInfo,
    held: &[&Entry],
    _at: chrono::DateTime<chrono::Utc>,
) -> Entry {
    entry(&format!("note:{feed}:{}", held.len()))
}

pub async fn max_new_holds_back_the_oldest_behind_one_note(store: &Store) {
    Poll::new("blog", &["a"], &["ops"]).run(store).await;
    let mut poll = Poll::new("blog", &["a", "b", "c", "d", "e"], &["ops"]).at(15);
    poll.0.limits.max_new = 2;
    poll.0.limits.overflow_note = Some(note);
    let summary = poll.run(store).await;
    assert_eq!(
        (summary.new_entries, summary.held_back, summary.queued),
        (4, 2, 3)
    );
    assert_eq!(drain(store, "ops").await, ["note:blog:2", "d", "e"]);
    let again = Poll::new("blog", &["a", "b", "c", "d", "e"], &["ops"]).at(30);
    assert_eq!(again.run(store).await.queued, 0, "held back is still seen");
}

pub async fn entries_older_than_not_before_are_seen_not_queued(store: &Store) {
    Poll::new("blog", &[], &["ops"]).run(store).await;
    let mut poll = Poll::new("blog", &[], &["ops"]).at(15);
    for (key, published) in [
        ("old", Some(at(-100))),
        ("new", Some(at(10))),
        ("undated", None),
    ] {
        poll.0.entries.push(Entry {
            published,
            ..entry(key)
        });
    }
    poll.0.limits.not_before = Some(at(0));
    let summary = poll.run(store).await;
    assert_eq!((summary.too_old, summary.queued), (1, 2));
    assert_eq!(drain(store, "ops").await, ["new", "undated"]);
    assert_eq!(
        store
            .feed_state("blog")
            .await
            .unwrap()
            .unwrap()
            .entries_seen,
        3
    );
}

pub async fn skipped_entries_are_seen_and_never_queued(store: &Store) {
    let skip_c = || -> feedhook::store::SkipEntry { Arc::new(|entry: &Entry| entry.key == "c") };
    let mut first = Poll::new("blog", &["a", "c"], &["ops"]).backlog(5);
    first.0.limits.skip = Some(skip_c());
    let summary = first.run(store).await;
    assert_eq!((summary.filtered, summary.queued), (1, 1));
    let mut poll = Poll::new("blog", &["a", "b", "c", "d"], &["ops"]).at(15);
    poll.0.limits.skip = Some(skip_c());
    let summary = poll.run(store).await;
    assert_eq!(
        (summary.new_entries, summary.queued, summary.filtered),
        (2, 2, 0)
    );
    assert_eq!(drain(store, "ops").await, ["a", "b", "d"]);
}
