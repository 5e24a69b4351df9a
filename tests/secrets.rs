//! Webhook URLs are secrets: whatever goes wrong, at any log level, no output shows one whole.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use common::{Doc, FeedServer, Setup, Sink, generic_config, rss, stderr};

async fn once_output(sink_url: &str, answers: &[u16], sink: &Sink, feeds: &FeedServer) -> String {
    sink.answer(answers);
    let config = generic_config(sink, &[&feeds.url("/feed.xml")], "backlog = 1")
        .replace(&sink.url(), sink_url);
    let setup = Setup::new(&config);
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    let output = tokio::task::spawn_blocking(move || setup.run(&["--log-level", "trace", "once"]))
        .await
        .expect("join");
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        stderr(&output)
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_gone_webhook_is_logged_without_its_secret() {
    let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
    let out = once_output(&sink.url(), &[404], &sink, &feeds).await;
    assert!(out.contains("suspended"), "{out}");
    assert!(!out.contains("secret-token"), "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_webhook_is_logged_without_its_secret() {
    let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
    let out = once_output(&sink.url(), &[500; 40], &sink, &feeds).await;
    assert!(out.contains("HTTP 500"), "{out}");
    assert!(!out.contains("secret-token"), "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_webhook_is_logged_without_its_secret() {
    let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        format!(
            "http://{}/hook/secret-token",
            listener.local_addr().expect("addr")
        )
    };
    let out = once_output(&refused, &[], &sink, &feeds).await;
    assert!(out.contains("cannot connect"), "{out}");
    assert!(!out.contains("secret-token"), "{out}");
}
