//! What a channel sees as a feed is added and then grows: nothing from the first poll (unless a
//! backlog is asked for), then exactly the new entries, oldest first, and never the same entry twice.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use common::{Doc, FeedServer, Setup, Sink, generic_config, rss};

async fn setup(extra_feed_keys: &str) -> (FeedServer, Sink, Setup) {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    let setup = Setup::new(&generic_config(
        &sink,
        &[&feeds.url("/feed.xml")],
        extra_feed_keys,
    ));
    (feeds, sink, setup)
}

#[tokio::test]
async fn first_poll_posts_nothing() {
    let (feeds, sink, setup) = setup("").await;
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("c", "Third"), ("b", "Second"), ("a", "First")])),
    );
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    assert!(sink.titles().await.is_empty());
}

#[tokio::test]
async fn next_poll_posts_exactly_the_new_entries_oldest_first() {
    let (feeds, sink, setup) = setup("").await;
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("b", "Second"), ("a", "First")])),
    );
    setup.once().await;
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[
            ("d", "Fourth"),
            ("c", "Third"),
            ("b", "Second"),
            ("a", "First"),
        ])),
    );
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    assert_eq!(sink.titles().await, ["Third", "Fourth"]);
    setup.once().await;
    assert_eq!(
        sink.titles().await,
        ["Third", "Fourth"],
        "a third poll posts nothing more"
    );
}

#[tokio::test]
async fn backlog_posts_the_newest_n_oldest_first() {
    let (feeds, sink, setup) = setup("backlog = 2").await;
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[
            ("d", "Fourth"),
            ("c", "Third"),
            ("b", "Second"),
            ("a", "First"),
        ])),
    );
    setup.once().await;
    assert_eq!(sink.titles().await, ["Third", "Fourth"]);
}

#[tokio::test]
async fn reordering_removing_readding_and_editing_post_nothing() {
    let (feeds, sink, setup) = setup("").await;
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("c", "Third"), ("b", "Second"), ("a", "First")])),
    );
    setup.once().await;
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("a", "First"), ("c", "Third"), ("b", "Second")])),
    );
    setup.once().await;
    feeds.serve("/feed.xml", Doc::rss(rss(&[("c", "Third")])));
    setup.once().await;
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[
            ("c", "Third, edited"),
            ("b", "Second"),
            ("a", "First (updated)"),
        ])),
    );
    setup.once().await;
    assert!(sink.titles().await.is_empty(), "{:?}", sink.titles().await);
}

#[tokio::test]
async fn guidless_entries_dedupe_by_link() {
    let (feeds, sink, setup) = setup("").await;
    let doc = |titles: &[(&str, &str)]| {
        let items: String = titles
            .iter()
            .map(|(slug, title)| {
                format!(
                    "<item><title>{title}</title><link>https://example.com/{slug}</link></item>"
                )
            })
            .collect();
        Doc::rss(format!(
            "<rss version=\"2.0\"><channel><title>t</title><link>https://example.com/</link><description>d</description>{items}</channel></rss>"
        ))
    };
    feeds.serve("/feed.xml", doc(&[("a", "First")]));
    setup.once().await;
    feeds.serve(
        "/feed.xml",
        doc(&[("b", "Second"), ("a", "First, retitled")]),
    );
    setup.once().await;
    assert_eq!(sink.titles().await, ["Second"]);
}

#[tokio::test]
async fn second_poll_sends_if_none_match_and_handles_304() {
    let (feeds, sink, setup) = setup("").await;
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "First")])));
    setup.once().await;
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    assert!(
        matches!(
            report.feeds[0].1,
            feedhook::daemon::PollOutcome::NotModified
        ),
        "{report:?}"
    );
    let requests = feeds.requests("/feed.xml").await;
    assert_eq!(requests.len(), 2);
    assert!(requests[0].headers.get("if-none-match").is_none());
    assert!(requests[1].headers.get("if-none-match").is_some());
    assert!(sink.titles().await.is_empty());
}

#[tokio::test]
async fn a_channel_added_later_gets_only_later_entries() {
    let feeds = FeedServer::start().await;
    let (first, second) = (Sink::start().await, Sink::start().await);
    let url = feeds.url("/feed.xml");
    let one = format!(
        "[channels.one]\nkind = \"generic\"\nurl = \"{}\"\n\n[[feeds]]\nurl = \"{url}\"\nchannels = [\"one\"]\n",
        first.url()
    );
    let setup = Setup::new(&one);
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "First")])));
    setup.once().await;
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("b", "Second"), ("a", "First")])),
    );
    setup.once().await;
    let both = format!(
        "[channels.one]\nkind = \"generic\"\nurl = \"{}\"\n\n[channels.two]\nkind = \"generic\"\nurl = \"{}\"\n\n[[feeds]]\nurl = \"{url}\"\nchannels = [\"one\", \"two\"]\n",
        first.url(),
        second.url()
    );
    setup.rewrite(&both);
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("c", "Third"), ("b", "Second"), ("a", "First")])),
    );
    setup.once().await;
    assert_eq!(first.titles().await, ["Second", "Third"]);
    assert_eq!(second.titles().await, ["Third"]);
}
