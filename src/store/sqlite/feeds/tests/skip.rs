//! `QueueLimits::skip`: new entries a feed's filters refuse are recorded as seen and never queued.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::parse::Entry;
use crate::store::sqlite::Db;
use crate::store::sqlite::testing::{Poll, at, pending_keys};
use crate::store::{PollSummary, SkipEntry};

fn store() -> Db {
    Db::open_in_memory().expect("memory store")
}

fn run_skipping(store: &Db, poll: &Poll, skip: &SkipEntry) -> PollSummary {
    let mut record = poll.record();
    record.limits.skip = Some(Arc::clone(skip));
    store.record_poll(&record).expect("record poll")
}

fn key_is(keys: &[&str]) -> SkipEntry {
    let keys: Vec<String> = keys.iter().map(|key| (*key).to_owned()).collect();
    Arc::new(move |entry: &Entry| keys.contains(&entry.key))
}

#[test]
fn skipped_entries_are_recorded_as_seen_and_not_queued() {
    let store = store();
    Poll::new("blog", &["a"], &["ops"]).run(&store);
    let poll = Poll::new("blog", &["a", "b", "c", "d"], &["ops"]).at(at(15));
    let summary = run_skipping(&store, &poll, &key_is(&["c"]));
    assert_eq!(
        (summary.new_entries, summary.queued, summary.filtered),
        (3, 2, 1)
    );
    assert_eq!(pending_keys(&store, "ops"), ["b", "d"]);
    let state = store.feed_state("blog").expect("read").expect("row");
    assert_eq!(state.entries_seen, 4);
}

#[test]
fn a_skipped_entry_is_not_queued_by_a_later_poll_without_the_filter() {
    let store = store();
    Poll::new("blog", &["a"], &["ops"]).run(&store);
    let poll = Poll::new("blog", &["a", "b"], &["ops"]).at(at(15));
    run_skipping(&store, &poll, &key_is(&["b"]));
    let summary = Poll::new("blog", &["a", "b"], &["ops"])
        .at(at(30))
        .run(&store);
    assert_eq!((summary.new_entries, summary.queued), (0, 0));
    assert!(pending_keys(&store, "ops").is_empty());
}

#[test]
fn the_first_poll_takes_its_backlog_from_the_entries_that_pass() {
    let store = store();
    let poll = Poll::new("blog", &["a", "b", "c", "d"], &["ops"]).backlog(2);
    let summary = run_skipping(&store, &poll, &key_is(&["d"]));
    assert!(summary.first_poll);
    assert_eq!((summary.queued, summary.filtered), (2, 1));
    assert_eq!(pending_keys(&store, "ops"), ["b", "c"]);
}

#[test]
fn skipped_entries_do_not_count_against_max_new() {
    let store = store();
    Poll::new("blog", &["a"], &["ops"]).run(&store);
    let poll = Poll::new("blog", &["a", "n1", "n2", "n3", "n4"], &["ops"]).at(at(15));
    let mut record = poll.record();
    let skip = key_is(&["n2", "n4"]);
    record.limits.max_new = 2;
    record.limits.skip = Some(skip);
    let summary = store.record_poll(&record).expect("record poll");
    assert_eq!((summary.held_back, summary.filtered), (0, 2));
    assert_eq!(pending_keys(&store, "ops"), ["n1", "n3"]);
}

#[test]
fn skip_is_asked_once_about_each_new_entry_only() {
    let store = store();
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&asked);
    let count: SkipEntry = Arc::new(move |_: &Entry| {
        counter.fetch_add(1, Ordering::Relaxed);
        false
    });
    run_skipping(&store, &Poll::new("blog", &["a", "b"], &["ops"]), &count);
    assert_eq!(asked.load(Ordering::Relaxed), 2);
    let poll = Poll::new("blog", &["a", "b", "c", "c"], &["ops"]).at(at(15));
    let summary = run_skipping(&store, &poll, &count);
    assert_eq!(
        asked.load(Ordering::Relaxed),
        3,
        "only c is new, and it is asked about once"
    );
    assert_eq!((summary.queued, summary.filtered), (1, 0));
}
