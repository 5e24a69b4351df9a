//! A broken feed is that feed's problem alone: the others are read and delivered, and `once` names
//! the broken one on stderr and exits 1.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use common::{Doc, FeedServer, Setup, Sink, generic_config, rss, stderr};

#[tokio::test]
async fn broken_feeds_do_not_stop_the_others_and_are_named() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://{}/gone.xml", listener.local_addr().expect("addr"))
    };
    let good = feeds.url("/good.xml");
    let html = feeds.url("/page.html");
    let error = feeds.url("/error.xml");
    let truncated = feeds.url("/truncated.xml");
    let setup = Setup::new(&generic_config(
        &sink,
        &[&good, &html, &error, &truncated, &refused],
        "backlog = 1",
    ));
    feeds.serve("/good.xml", Doc::rss(rss(&[("a", "Good entry")])));
    feeds.serve(
        "/page.html",
        Doc::new("<!doctype html><html><head><title>Blog</title><link rel=\"alternate\" type=\"application/rss+xml\" href=\"/feed.xml\"></head><body>Hi</body></html>", "text/html"),
    );
    feeds.serve("/error.xml", Doc::status(500));
    let full = rss(&[("t", "Truncated")]);
    feeds.serve(
        "/truncated.xml",
        Doc::rss(full[..full.len() / 2].to_owned()),
    );

    let output = tokio::task::spawn_blocking(move || (setup.run(&["once"]), setup))
        .await
        .expect("join")
        .0;

    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    for named in [&html, &error, &truncated, &refused] {
        assert!(err.contains(named.as_str()), "{named} not named in:\n{err}");
    }
    assert!(err.contains("HTML page"), "{err}");
    assert!(
        err.contains("/feed.xml"),
        "the page's advertised feed is given as a hint:\n{err}"
    );
    assert!(err.contains("500"), "{err}");
    let summary = &err[err.find("once:").expect("a summary")..];
    assert!(!summary.contains(&good), "{summary}");
    assert_eq!(sink.titles().await, ["Good entry"]);
}
