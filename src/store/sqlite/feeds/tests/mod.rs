mod skip;

use chrono::TimeDelta;

use crate::fetch::Validators;
use crate::store::StoreError;
use crate::store::sqlite::Db;
use crate::store::sqlite::testing::{Poll, at, delivery_count, entry, pending_keys};

fn store() -> Db {
    Db::open_in_memory().expect("memory store")
}

#[test]
fn first_poll_with_backlog_zero_queues_nothing() {
    let store = store();
    let summary = Poll::new("blog", &["a", "b", "c"], &["ops"]).run(&store);
    assert!(summary.first_poll);
    assert_eq!(summary.new_entries, 3);
    assert_eq!(summary.queued, 0);
    assert_eq!(delivery_count(&store), 0);
    let state = store.feed_state("blog").expect("read").expect("row");
    assert_eq!(state.entries_seen, 3);
}

#[test]
fn first_poll_with_backlog_two_queues_the_newest_two_oldest_first_per_channel() {
    let store = store();
    let summary = Poll::new("blog", &["a", "b", "c", "d"], &["ops", "dev"])
        .backlog(2)
        .run(&store);
    assert_eq!(summary.queued, 4);
    assert_eq!(pending_keys(&store, "ops"), ["c", "d"]);
    assert_eq!(pending_keys(&store, "dev"), ["c", "d"]);
}

#[test]
fn backlog_larger_than_the_feed_queues_every_entry() {
    let store = store();
    let summary = Poll::new("blog", &["a", "b"], &["ops"])
        .backlog(10)
        .run(&store);
    assert_eq!(summary.queued, 2);
    assert_eq!(pending_keys(&store, "ops"), ["a", "b"]);
}

#[test]
fn second_poll_queues_exactly_the_new_entries() {
    let store = store();
    Poll::new("blog", &["a", "b"], &["ops"])
        .backlog(1)
        .run(&store);
    let summary = Poll::new("blog", &["a", "b", "c", "d"], &["ops"])
        .backlog(1)
        .at(at(15))
        .run(&store);
    assert!(!summary.first_poll);
    assert_eq!(summary.new_entries, 2);
    assert_eq!(summary.queued, 2);
    assert_eq!(pending_keys(&store, "ops"), ["b", "c", "d"]);
}

#[test]
fn second_poll_of_the_same_document_queues_nothing() {
    let store = store();
    Poll::new("blog", &["a", "b"], &["ops"]).run(&store);
    let summary = Poll::new("blog", &["a", "b"], &["ops"])
        .at(at(15))
        .run(&store);
    assert_eq!(summary, crate::store::PollSummary::default());
    assert_eq!(delivery_count(&store), 0);
}

#[test]
fn reordered_entries_queue_nothing() {
    let store = store();
    Poll::new("blog", &["a", "b", "c"], &["ops"]).run(&store);
    let summary = Poll::new("blog", &["c", "a", "b"], &["ops"])
        .at(at(15))
        .run(&store);
    assert_eq!(summary.queued, 0);
    assert_eq!(delivery_count(&store), 0);
}

#[test]
fn entry_removed_and_readded_is_not_queued_again() {
    let store = store();
    Poll::new("blog", &["a", "b", "c"], &["ops"]).run(&store);
    Poll::new("blog", &["a", "c"], &["ops"])
        .at(at(15))
        .run(&store);
    let summary = Poll::new("blog", &["a", "b", "c"], &["ops"])
        .at(at(30))
        .run(&store);
    assert_eq!(summary.new_entries, 0);
    assert_eq!(delivery_count(&store), 0);
}

#[test]
fn two_channels_get_one_delivery_each_per_new_entry() {
    let store = store();
    Poll::new("blog", &["a"], &["ops", "dev"]).run(&store);
    let summary = Poll::new("blog", &["a", "b"], &["ops", "dev"])
        .at(at(15))
        .run(&store);
    assert_eq!(summary.new_entries, 1);
    assert_eq!(summary.queued, 2);
    assert_eq!(pending_keys(&store, "ops"), ["b"]);
    assert_eq!(pending_keys(&store, "dev"), ["b"]);
}

#[test]
fn a_channel_named_twice_gets_one_delivery() {
    let store = store();
    Poll::new("blog", &[], &["ops", "ops"]).run(&store);
    let summary = Poll::new("blog", &["a"], &["ops", "ops"])
        .at(at(15))
        .run(&store);
    assert_eq!(summary.queued, 1);
    assert_eq!(pending_keys(&store, "ops"), ["a"]);
}

#[test]
fn a_channel_added_later_gets_only_later_entries() {
    let store = store();
    Poll::new("blog", &["a"], &["ops"]).run(&store);
    Poll::new("blog", &["a", "b"], &["ops"])
        .at(at(15))
        .run(&store);
    Poll::new("blog", &["a", "b", "c"], &["ops", "dev"])
        .at(at(30))
        .run(&store);
    assert_eq!(pending_keys(&store, "ops"), ["b", "c"]);
    assert_eq!(pending_keys(&store, "dev"), ["c"]);
}

#[test]
fn entries_seen_without_channels_are_not_queued_later() {
    let store = store();
    Poll::new("blog", &["a"], &[]).run(&store);
    let summary = Poll::new("blog", &["a", "b"], &[]).at(at(15)).run(&store);
    assert_eq!((summary.new_entries, summary.queued), (1, 0));
    Poll::new("blog", &["a", "b"], &["ops"])
        .at(at(30))
        .run(&store);
    assert!(pending_keys(&store, "ops").is_empty());
}

#[test]
fn duplicate_keys_in_one_document_are_kept_once_and_queued_once() {
    let store = store();
    Poll::new("blog", &["a"], &["ops"]).run(&store);
    let mut poll = Poll::new("blog", &["a", "b", "b"], &["ops"]).at(at(15));
    poll.entries[2].title = Some("a later copy".to_owned());
    let summary = poll.run(&store);
    assert_eq!((summary.new_entries, summary.queued), (1, 1));
    assert_eq!(pending_keys(&store, "ops"), ["b"]);
    let pending = store.next_pending("ops").expect("read").expect("pending");
    assert_eq!(pending.entry, entry("b"), "the first occurrence is kept");
}

#[test]
fn poll_replaces_validators_and_feed_info() {
    let store = store();
    Poll::new("blog", &["a"], &["ops"]).etag("v1").run(&store);
    let mut poll = Poll::new("blog", &["a"], &["ops"]).at(at(15));
    poll.validators = Validators {
        etag: None,
        last_modified: Some("Tue, 14 Nov 2023 22:13:20 GMT".to_owned()),
    };
    poll.info.title = Some("Renamed".to_owned());
    poll.run(&store);
    let state = store.feed_state("blog").expect("read").expect("row");
    assert_eq!(
        state.validators, poll.validators,
        "a missing ETag is not carried over"
    );
    assert_eq!(state.info.title.as_deref(), Some("Renamed"));
    assert_eq!(state.last_poll_at, Some(at(15)));
    assert_eq!(state.next_due_at, Some(at(30)));
    assert_eq!(state.last_result.as_deref(), Some("ok"));
}

#[test]
fn failure_counter_increments_and_resets_on_success() {
    let store = store();
    Poll::new("blog", &["a"], &["ops"]).run(&store);
    let url = "https://example.com/feed.xml";
    assert_eq!(
        store
            .record_failure("blog", url, at(15), "timed out", at(20))
            .expect("1"),
        1
    );
    assert_eq!(
        store
            .record_failure("blog", url, at(20), "HTTP 500", at(30))
            .expect("2"),
        2
    );
    let state = store.feed_state("blog").expect("read").expect("row");
    assert_eq!(state.consecutive_failures, 2);
    assert_eq!(state.last_result.as_deref(), Some("error"));
    assert_eq!(state.last_error.as_deref(), Some("HTTP 500"));
    assert_eq!(state.next_due_at, Some(at(30)));

    Poll::new("blog", &["a"], &["ops"]).at(at(30)).run(&store);
    let state = store.feed_state("blog").expect("read").expect("row");
    assert_eq!(state.consecutive_failures, 0);
    assert_eq!(state.last_error, None);
}

#[test]
fn not_modified_resets_failures_and_keeps_validators() {
    let store = store();
    Poll::new("blog", &["a"], &["ops"]).etag("v1").run(&store);
    let url = "https://example.com/feed.xml";
    store
        .record_failure("blog", url, at(15), "reset", at(20))
        .expect("fail");
    store
        .record_not_modified("blog", url, at(20), at(35))
        .expect("304");
    let state = store.feed_state("blog").expect("read").expect("row");
    assert_eq!(state.consecutive_failures, 0);
    assert_eq!(state.last_result.as_deref(), Some("not_modified"));
    assert_eq!(state.last_error, None);
    assert_eq!(state.validators.etag.as_deref(), Some("v1"));
    assert_eq!(state.last_poll_at, Some(at(20)));
    assert_eq!(state.entries_seen, 1);
}

#[test]
fn waiting_as_asked_is_not_a_failure() {
    let store = store();
    let url = "https://example.com/feed.xml";
    store
        .record_failure("blog", url, at(0), "HTTP 503", at(5))
        .expect("fail");
    store
        .record_wait("blog", url, at(5), "HTTP 429, Retry-After 3600", at(65))
        .expect("wait");
    let state = store.feed_state("blog").expect("read").expect("row");
    assert_eq!(state.consecutive_failures, 1);
    assert_eq!(state.last_result.as_deref(), Some("wait"));
    assert_eq!(
        state.last_error.as_deref(),
        Some("HTTP 429, Retry-After 3600")
    );
    assert_eq!(state.next_due_at, Some(at(65)));
}

#[test]
fn failures_before_the_first_document_keep_the_feed_uninitialised() {
    let store = store();
    let url = "https://example.com/feed.xml";
    store
        .record_failure("blog", url, at(0), "DNS", at(5))
        .expect("fail");
    store
        .record_not_modified("blog", url, at(5), at(10))
        .expect("304");
    let summary = Poll::new("blog", &["a", "b"], &["ops"])
        .at(at(10))
        .run(&store);
    assert!(summary.first_poll);
    assert_eq!(summary.queued, 0);
}

#[test]
fn feed_states_lists_every_feed_by_name_with_entry_counts() {
    let store = store();
    Poll::new("zines", &["a"], &["ops"]).run(&store);
    Poll::new("blog", &["a", "b"], &["ops"]).run(&store);
    let states = store.feed_states().expect("read");
    let summary: Vec<_> = states
        .iter()
        .map(|s| (s.feed.as_str(), s.entries_seen))
        .collect();
    assert_eq!(summary, [("blog", 2), ("zines", 1)]);
    assert_eq!(states[0].info.title.as_deref(), Some("The blog feed"));
}

#[test]
fn unknown_feed_has_no_state() {
    assert_eq!(store().feed_state("nope").expect("read"), None);
}

#[test]
fn the_same_key_in_two_feeds_is_two_entries() {
    let store = store();
    Poll::new("one", &["x"], &["ops"]).run(&store);
    Poll::new("two", &[], &["ops"]).run(&store);
    let summary = Poll::new("two", &["x"], &["ops"]).at(at(15)).run(&store);
    assert_eq!(summary.queued, 1);
}

/// Makes the next poll need more pages than the database may grow by, after one good poll.
fn poll_that_overflows(store: &Db) -> Poll {
    Poll::new("blog", &["a"], &["ops"]).etag("v1").run(store);
    store.set_max_page_count_for_tests(1).expect("cap the file");
    let mut poll = Poll::new("blog", &["a", "b", "c"], &["ops"])
        .etag("v2")
        .at(at(15));
    poll.entries[2].summary_html = Some("x".repeat(256 * 1024));
    poll
}

fn assert_rolled_back(store: &Db, err: &StoreError) {
    assert!(matches!(err, StoreError::DiskFull(_)), "{err:?}");
    let state = store.feed_state("blog").expect("read").expect("row");
    assert_eq!(
        state.validators.etag.as_deref(),
        Some("v1"),
        "validators advanced"
    );
    assert_eq!(state.entries_seen, 1, "entries marked seen");
    assert_eq!(state.last_poll_at, Some(at(0)));
    assert_eq!(delivery_count(store), 0, "deliveries queued");
}

#[test]
fn a_full_disk_midway_rolls_the_whole_poll_back() {
    let store = store();
    let poll = poll_that_overflows(&store);
    let err = store.record_poll(&poll.record()).expect_err("disk full");
    assert_rolled_back(&store, &err);

    // Once space is back, the same poll records everything.
    store.set_max_page_count_for_tests(1 << 30).expect("uncap");
    let summary = poll.run(&store);
    assert_eq!((summary.new_entries, summary.queued), (2, 2));
}

#[test]
fn a_full_disk_midway_rolls_back_in_a_file_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("feedhook.db");
    let store = Db::open(&path).expect("open");
    let poll = poll_that_overflows(&store);
    let err = store.record_poll(&poll.record()).expect_err("disk full");
    assert_rolled_back(&store, &err);
    drop(store);
    let reopened = Db::open(&path).expect("reopen");
    assert_rolled_back(&reopened, &StoreError::DiskFull(String::new()));
}

#[test]
fn next_due_is_stored_at_millisecond_precision() {
    let store = store();
    let mut poll = Poll::new("blog", &[], &[]);
    let due = at(0) + TimeDelta::milliseconds(1234);
    poll.polled_at = due;
    store
        .record_poll(&crate::store::PollRecord {
            next_due_at: due,
            ..poll.record()
        })
        .expect("record");
    let state = store.feed_state("blog").expect("read").expect("row");
    assert_eq!(state.next_due_at, Some(due));
}

#[test]
fn an_outcome_from_a_new_url_drops_the_old_urls_validators() {
    let store = store();
    Poll::new("blog", &["a"], &["ops"]).etag("v1").run(&store);
    store
        .record_failure(
            "blog",
            "https://moved.example/feed",
            at(20),
            "HTTP 500",
            at(30),
        )
        .expect("failure");
    let state = store.feed_state("blog").expect("read").expect("row");
    assert_eq!(state.url, "https://moved.example/feed");
    assert_eq!(state.validators, Validators::default());
}

#[test]
fn an_outcome_from_the_same_url_keeps_the_validators() {
    let store = store();
    Poll::new("blog", &["a"], &["ops"]).etag("v1").run(&store);
    store
        .record_failure(
            "blog",
            "https://example.com/feed.xml",
            at(20),
            "HTTP 500",
            at(30),
        )
        .expect("failure");
    let state = store.feed_state("blog").expect("read").expect("row");
    assert_eq!(state.validators.etag.as_deref(), Some("v1"));
}
