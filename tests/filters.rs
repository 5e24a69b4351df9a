//! A feed's `include` and `exclude` patterns: what they keep out is recorded as seen and never
//! posted, on this poll or any later one.

// The shared fixtures are built with format!: clarity matters more than allocations there.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use common::{Doc, FeedServer, Setup, Sink, generic_config, rss, stderr};
use feedhook::poll::PollOutcome;
use feedhook::store::Store;

async fn setup(extra: &str) -> (FeedServer, Sink, Setup) {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    let setup = Setup::new(&generic_config(&sink, &[&feeds.url("/feed.xml")], extra));
    (feeds, sink, setup)
}

fn entries_seen(setup: &Setup) -> u64 {
    let store = Store::open(&setup.state_path()).expect("state opens");
    common::wait(store.feed_states())
        .expect("states")
        .remove(0)
        .entries_seen
}

#[tokio::test]
async fn an_excluded_entry_is_not_posted_now_nor_after_the_filter_is_removed() {
    let (feeds, sink, setup) = setup("exclude = ['sponsored']").await;
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    setup.once().await;
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[
            ("c", "Sponsored: buy things"),
            ("b", "B"),
            ("a", "A"),
        ])),
    );
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    assert_eq!(
        report.feeds[0].1,
        PollOutcome::Read {
            new_entries: 2,
            queued: 1,
            first_poll: false
        }
    );
    assert_eq!(sink.titles().await, ["B"]);
    assert_eq!(entries_seen(&setup), 3, "the sponsored entry is recorded");

    // Without the filter, the entry it kept out is still not new.
    setup.rewrite(&generic_config(&sink, &[&feeds.url("/feed.xml")], ""));
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[
            ("d", "D"),
            ("c", "Sponsored: buy things"),
            ("b", "B"),
            ("a", "A"),
        ])),
    );
    setup.once().await;
    assert_eq!(sink.titles().await, ["B", "D"]);
}

#[tokio::test]
async fn an_include_lets_only_matching_entries_through() {
    let (feeds, sink, setup) = setup("include = ['security', 'CVE-\\d+']").await;
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    setup.once().await;
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[
            ("e", "Fix for CVE-2026-1234"),
            ("d", "SECURITY advisory"),
            ("c", "New logo"),
            ("b", "Security fix"),
            ("a", "A"),
        ])),
    );
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    assert_eq!(
        sink.titles().await,
        ["Security fix", "SECURITY advisory", "Fix for CVE-2026-1234"]
    );
    setup.once().await;
    assert_eq!(sink.titles().await.len(), 3, "a later poll posts nothing");
}

#[tokio::test]
async fn the_first_poll_takes_its_backlog_from_the_entries_that_pass() {
    let (feeds, sink, setup) = setup("backlog = 3\nexclude = ['draft']").await;
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("d", "D"), ("c", "C"), ("b", "Draft B"), ("a", "A")])),
    );
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    assert_eq!(sink.titles().await, ["A", "C", "D"]);
    assert_eq!(entries_seen(&setup), 4);
}

#[tokio::test]
async fn the_summary_is_matched_as_text_without_its_markup() {
    // rss() gives each item the description "<p>About TITLE</p>", escaped in the XML.
    let (feeds, sink, setup) =
        setup("include = ['^about (release|security)']\nfilter_fields = [\"summary\"]").await;
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    setup.once().await;
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("c", "Security"), ("b", "Party"), ("a", "A")])),
    );
    setup.once().await;
    assert_eq!(sink.titles().await, ["Security"]);
}

#[tokio::test]
async fn check_names_a_pattern_that_does_not_compile() {
    let (_feeds, _sink, setup) = setup("exclude = ['ok', '(unclosed']").await;
    let output = setup.run(&["check"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let errors = stderr(&output);
    assert!(
        errors.contains("feeds[0].exclude[1]: invalid regex \"(unclosed\": unclosed group"),
        "{errors}"
    );
}
