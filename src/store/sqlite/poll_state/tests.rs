use super::*;
use crate::store::sqlite::testing::{Poll, at};

const URL: &str = "https://example.com/feed.xml";

#[test]
fn a_feed_never_polled_has_no_poll_state() {
    let store = Db::open_in_memory().expect("store");
    assert_eq!(store.poll_state("blog").expect("read"), None);
}

#[test]
fn poll_state_agrees_with_the_full_feed_state() {
    let store = Db::open_in_memory().expect("store");
    Poll::new("blog", &["a", "b"], &["team"])
        .etag("v1")
        .run(&store);
    store
        .record_failure("blog", URL, at(1), "HTTP 500", at(16))
        .expect("failure");
    let full = store.feed_state("blog").expect("read").expect("row");
    let light = store.poll_state("blog").expect("read").expect("row");
    assert_eq!(light.url, full.url);
    assert_eq!(light.validators, full.validators);
    assert_eq!(light.validators.etag.as_deref(), Some("v1"));
    assert_eq!(light.consecutive_failures, 1);
    assert_eq!(light.last_result, Some(LastResult::Error));
    assert_eq!(
        full.last_result.as_deref(),
        Some(LastResult::Error.as_str())
    );
}

#[test]
fn poll_states_lists_every_remembered_feed() {
    let store = Db::open_in_memory().expect("store");
    store
        .record_not_modified("blog", URL, at(0), at(5))
        .expect("304");
    let states = store.poll_states().expect("read");
    assert_eq!(states.len(), 1);
    assert_eq!(states["blog"].next_due_at, Some(at(5)));
    assert_eq!(states["blog"].last_result, Some(LastResult::NotModified));
    assert!(states["blog"].is_steady(URL));
    assert!(!states["blog"].is_steady("https://moved.example/feed"));
}

fn times(store: &Db) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    let state = store.feed_state("blog").expect("read").expect("row");
    (state.last_poll_at, state.next_due_at)
}

#[test]
fn notes_are_written_at_the_flush_and_only_then() {
    let store = Db::open_in_memory().expect("store");
    store
        .record_not_modified("blog", URL, at(0), at(5))
        .expect("304");
    assert!(!store.has_notes());
    store.note_not_modified("blog", at(5), at(10));
    assert!(store.has_notes());
    assert_eq!(times(&store), (Some(at(0)), Some(at(5))));
    assert_eq!(store.flush_notes().expect("flush"), 1);
    assert!(!store.has_notes());
    assert_eq!(times(&store), (Some(at(5)), Some(at(10))));
    assert_eq!(store.flush_notes().expect("flush"), 0);
}

#[test]
fn a_note_never_undoes_a_later_outcome() {
    let store = Db::open_in_memory().expect("store");
    store.note_not_modified("blog", at(5), at(10));
    store
        .record_failure("blog", URL, at(10), "HTTP 500", at(25))
        .expect("failure");
    store.flush_notes().expect("flush");
    let state = store.feed_state("blog").expect("read").expect("row");
    assert_eq!(
        (state.last_poll_at, state.next_due_at),
        (Some(at(10)), Some(at(25)))
    );
    assert_eq!(state.last_result.as_deref(), Some("error"));
}

#[test]
fn a_note_for_a_forgotten_feed_writes_nothing() {
    let store = Db::open_in_memory().expect("store");
    store.note_not_modified("gone", at(5), at(10));
    assert_eq!(store.flush_notes().expect("flush"), 1);
    assert_eq!(store.feed_state("gone").expect("read"), None);
}
