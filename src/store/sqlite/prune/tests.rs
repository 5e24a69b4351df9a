use super::*;
use crate::store::sqlite::testing::{Poll, at, delivery_count, pending_keys};

const DAY_MINUTES: i64 = 24 * 60;
const WEEK: Duration = Duration::from_secs(7 * 24 * 3600);

fn day(n: i64) -> DateTime<Utc> {
    at(n * DAY_MINUTES)
}

fn entries_seen(store: &Db) -> u64 {
    store
        .feed_state("blog")
        .expect("read")
        .expect("row")
        .entries_seen
}

#[test]
fn entries_still_in_the_feed_are_kept() {
    let store = Db::open_in_memory().expect("memory store");
    Poll::new("blog", &["a", "b"], &["ops"]).run(&store);
    Poll::new("blog", &["a", "b"], &["ops"])
        .at(day(30))
        .run(&store);
    assert_eq!(store.prune(day(31), WEEK).expect("prune").total(), 0);
    assert_eq!(entries_seen(&store), 2);
}

#[test]
fn entries_gone_longer_than_the_retention_are_forgotten() {
    let store = Db::open_in_memory().expect("memory store");
    Poll::new("blog", &["a", "b"], &["ops"]).run(&store);
    Poll::new("blog", &["b"], &["ops"]).at(day(5)).run(&store);
    // a was last listed on day 0, b on day 5.
    assert_eq!(store.prune(day(6), WEEK).expect("prune").total(), 0);
    assert_eq!(store.prune(day(8), WEEK).expect("prune").total(), 1);
    assert_eq!(entries_seen(&store), 1);
    // After its retention a returning entry is new again.
    let summary = Poll::new("blog", &["a", "b"], &["ops"])
        .at(day(9))
        .run(&store);
    assert_eq!(summary.queued, 1);
}

#[test]
fn entries_with_pending_deliveries_are_kept() {
    let store = Db::open_in_memory().expect("memory store");
    Poll::new("blog", &[], &["ops"]).run(&store);
    Poll::new("blog", &["a"], &["ops"]).at(day(0)).run(&store);
    Poll::new("blog", &[], &["ops"]).at(day(1)).run(&store);
    assert_eq!(store.prune(day(30), WEEK).expect("prune").total(), 0);
    assert_eq!(pending_keys(&store, "ops"), ["a"]);
    assert!(store.next_pending("ops").expect("read").is_some());
}

#[test]
fn settled_deliveries_and_then_their_entries_are_removed() {
    let store = Db::open_in_memory().expect("memory store");
    Poll::new("blog", &[], &["ops"]).run(&store);
    Poll::new("blog", &["a", "b"], &["ops"])
        .at(day(0))
        .run(&store);
    let a = store.next_pending("ops").expect("read").expect("a");
    store.mark_delivered(a.id, day(0)).expect("deliver");
    let b = store.next_pending("ops").expect("read").expect("b");
    store.mark_failed(b.id, day(2), "HTTP 400").expect("fail");
    Poll::new("blog", &[], &["ops"]).at(day(3)).run(&store);

    // Day 8: a's delivery (day 0) and entry (last seen day 0) go; b failed on day 2, so its
    // dead letter stays and keeps its entry.
    assert_eq!(store.prune(day(8), WEEK).expect("prune").total(), 2);
    assert_eq!(delivery_count(&store), 1);
    assert_eq!(entries_seen(&store), 1);

    assert_eq!(store.prune(day(10), WEEK).expect("prune").total(), 2);
    assert_eq!(delivery_count(&store), 0);
    assert_eq!(entries_seen(&store), 0);
}

#[test]
fn an_endless_retention_keeps_everything() {
    let store = Db::open_in_memory().expect("memory store");
    Poll::new("blog", &["a"], &["ops"]).run(&store);
    assert_eq!(
        store
            .prune(day(1000), Duration::MAX)
            .expect("prune")
            .total(),
        0
    );
    assert_eq!(entries_seen(&store), 1);
}

/// The `last_seen_at` mark of `key` in the blog feed, in minutes after the tests' origin.
fn seen_mark(store: &Db, key: &str) -> i64 {
    let millis: i64 = store
        .with_conn(|conn| {
            Ok(conn.query_row(
                "SELECT last_seen_at FROM entries WHERE feed = 'blog' AND key = ?1",
                [key],
                |row| row.get(0),
            )?)
        })
        .expect("read the mark");
    (millis - at(0).timestamp_millis()) / 60_000
}

#[test]
fn a_listed_entry_is_marked_seen_again_at_most_hourly() {
    let store = Db::open_in_memory().expect("memory store");
    Poll::new("blog", &["a"], &["ops"]).run(&store);
    Poll::new("blog", &["a"], &["ops"]).at(at(59)).run(&store);
    assert_eq!(seen_mark(&store, "a"), 0);
    Poll::new("blog", &["a"], &["ops"]).at(at(61)).run(&store);
    assert_eq!(seen_mark(&store, "a"), 61);
}

#[test]
fn an_entry_listed_within_the_retention_is_kept_though_its_mark_is_older() {
    let store = Db::open_in_memory().expect("memory store");
    Poll::new("blog", &["a"], &["ops"]).run(&store);
    // Listed again 59 minutes later: the mark stays at 0.
    Poll::new("blog", &["a"], &["ops"]).at(at(59)).run(&store);
    let week = 7 * DAY_MINUTES;
    assert_eq!(
        store.prune(at(59 + week - 1), WEEK).expect("prune").total(),
        0
    );
    assert_eq!(entries_seen(&store), 1);
    // A week and an hour after the mark, it is forgotten.
    assert_eq!(
        store.prune(at(60 + week + 1), WEEK).expect("prune").total(),
        1
    );
    assert_eq!(entries_seen(&store), 0);
}
