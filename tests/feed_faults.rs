//! How feedhook treats feed hosts that ask it to slow down, move, or publish odd documents.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use std::time::Duration;

use chrono::Utc;
use common::{Doc, FeedServer, Setup, Sink, generic_config, rss};
use feedhook::daemon::PollOutcome;
use feedhook::store::Store;

async fn setup(extra: &str) -> (FeedServer, Sink, Setup) {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    let setup = Setup::new(&generic_config(&sink, &[&feeds.url("/feed.xml")], extra));
    (feeds, sink, setup)
}

fn state(setup: &Setup) -> feedhook::store::FeedState {
    let store = Store::open(&setup.state_path()).expect("state opens");
    common::wait(store.feed_states()).expect("states").remove(0)
}

#[tokio::test]
async fn a_429_from_the_feed_host_is_a_wait_not_a_failure() {
    let (feeds, _sink, setup) = setup("interval = \"1m\"").await;
    feeds.serve(
        "/feed.xml",
        Doc::status(429).with_header("retry-after", "3600"),
    );
    let report = setup.once().await;
    assert_eq!(
        report.feeds[0].1,
        PollOutcome::Waiting(Duration::from_secs(3600))
    );
    let state = state(&setup);
    assert_eq!(state.consecutive_failures, 0);
    let wait = state.next_due_at.expect("next due") - Utc::now();
    assert!(wait.num_seconds() >= 3590, "{wait:?}");
}

#[tokio::test]
async fn cache_control_max_age_pushes_the_next_poll_later() {
    let (feeds, _sink, setup) = setup("interval = \"1m\"").await;
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("a", "A")])).with_header("cache-control", "public, max-age=7200"),
    );
    setup.once().await;
    let wait = state(&setup).next_due_at.expect("next due") - Utc::now();
    assert!(wait.num_seconds() >= 7190, "{wait:?}");
}

#[tokio::test]
async fn a_failing_feed_counts_failures_and_recovers_by_itself() {
    let (feeds, sink, setup) = setup("").await;
    feeds.serve("/feed.xml", Doc::status(500));
    setup.once().await;
    setup.once().await;
    assert_eq!(state(&setup).consecutive_failures, 2);
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    setup.once().await;
    feeds.serve("/feed.xml", Doc::rss(rss(&[("b", "B"), ("a", "A")])));
    setup.once().await;
    assert_eq!(state(&setup).consecutive_failures, 0);
    assert_eq!(sink.titles().await, ["B"]);
}

#[tokio::test]
async fn a_moved_feed_keeps_its_identity_and_seen_entries() {
    let (feeds, sink, setup) = setup("name = \"blog\"").await;
    feeds.serve(
        "/feed.xml",
        Doc::status(301).with_header("location", "/new.xml"),
    );
    feeds.serve("/new.xml", Doc::rss(rss(&[("a", "A")])));
    setup.once().await;
    feeds.serve("/new.xml", Doc::rss(rss(&[("b", "B"), ("a", "A")])));
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    assert_eq!(sink.titles().await, ["B"]);
    assert_eq!(state(&setup).feed, "blog");
}

#[tokio::test]
async fn two_entries_sharing_a_guid_are_handled_the_same_way_every_poll() {
    let (feeds, sink, setup) = setup("backlog = 5").await;
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[
            ("same", "Newer twin"),
            ("same", "Older twin"),
            ("a", "A"),
        ])),
    );
    setup.once().await;
    setup.once().await;
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[
            ("same", "Newer twin"),
            ("same", "Older twin"),
            ("a", "A"),
            ("z", "Z"),
        ])),
    );
    setup.once().await;
    let titles = sink.titles().await;
    assert_eq!(
        titles.iter().filter(|t| t.contains("twin")).count(),
        1,
        "{titles:?}"
    );
    assert_eq!(
        titles,
        ["A", "Older twin", "Z"],
        "the first of the twins in posting order wins"
    );
}

#[tokio::test]
async fn a_mass_change_posts_at_most_max_new_and_one_summary_card() {
    let (feeds, sink, setup) = setup("max_new_per_poll = 2").await;
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    setup.once().await;
    let renamed = [
        ("n1", "N1"),
        ("n2", "N2"),
        ("n3", "N3"),
        ("n4", "N4"),
        ("n5", "N5"),
        ("n6", "N6"),
    ];
    let mut items: Vec<(&str, &str)> = renamed.iter().rev().copied().collect();
    items.push(("a", "A"));
    feeds.serve("/feed.xml", Doc::rss(rss(&items)));
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    assert_eq!(
        sink.titles().await,
        ["…and 4 more from Test feed", "N5", "N6"]
    );
    let note = &sink.bodies().await[0]["entry"]["summary_text"];
    assert!(
        note.as_str()
            .is_some_and(|t| t.contains("N4") && t.contains("N1")),
        "{note}"
    );
}

#[tokio::test]
async fn entries_older_than_max_age_are_recorded_and_not_posted() {
    let (feeds, sink, setup) = setup("max_age = \"30d\"").await;
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    setup.once().await;
    feeds.serve("/feed.xml", Doc::rss(rss(&[("b", "Old news"), ("a", "A")])));
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    assert!(
        sink.titles().await.is_empty(),
        "dated January 2026, far older than 30 days"
    );
    assert_eq!(state(&setup).entries_seen, 2);
}

#[tokio::test]
async fn every_not_modified_poll_is_recorded_by_the_time_the_run_ends() {
    let (feeds, _sink, setup) = setup("").await;
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    setup.once().await;
    let mut last_polls = Vec::new();
    // The second poll turns the feed's last result to not_modified; from the third on, a 304
    // changes only the feed's times, which are written together after the polls.
    for _ in 0..3 {
        let report = setup.once().await;
        assert_eq!(report.feeds[0].1, PollOutcome::NotModified);
        let state = state(&setup);
        assert_eq!(state.last_result.as_deref(), Some("not_modified"));
        assert_eq!(state.consecutive_failures, 0);
        last_polls.push(state.last_poll_at.expect("polled"));
    }
    assert!(
        last_polls.windows(2).all(|pair| pair[0] < pair[1]),
        "{last_polls:?}"
    );
    assert_eq!(feeds.requests("/feed.xml").await.len(), 4);
}
