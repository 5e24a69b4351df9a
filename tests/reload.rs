//! SIGHUP reloads the config: a new feed starts polling, an invalid file is refused and the running
//! config keeps going.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use common::process::{Log, PATIENCE, signal, spawn_run, wait_for};
use common::{Doc, FeedServer, Setup, Sink, generic_config, rss};

#[tokio::test(flavor = "multi_thread")]
async fn sighup_adds_a_feed_and_an_invalid_config_is_refused() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    feeds.serve("/one.xml", Doc::rss(rss(&[("a", "A")])));
    feeds.serve("/two.xml", Doc::rss(rss(&[("b", "B")])));
    let (one, two) = (feeds.url("/one.xml"), feeds.url("/two.xml"));
    let setup = Setup::new(&generic_config(&sink, &[&one], "interval = \"1h\""));
    let mut child = spawn_run(&setup);
    let log = Log::follow(&mut child);
    wait_for("the first feed", PATIENCE, async || {
        !feeds.requests("/one.xml").await.is_empty()
    })
    .await;

    std::fs::write(&setup.config_path, "[[feeds]\nthis is not toml").expect("write");
    signal(&child, "HUP");
    log.wait_for("still running the previous one").await;
    assert!(
        child.try_wait().expect("try_wait").is_none(),
        "an invalid config does not stop the daemon"
    );

    setup.rewrite(&generic_config(
        &sink,
        &[&one, &two],
        "interval = \"1h\"\nbacklog = 1",
    ));
    signal(&child, "HUP");
    wait_for(
        "the added feed's first poll and post",
        PATIENCE,
        async || sink.titles().await.contains(&"B".to_owned()),
    )
    .await;
    signal(&child, "TERM");
    let status = child.wait().expect("exits");
    assert_eq!(status.code(), Some(0));
    let log = log.finish();
    assert!(log.contains(&format!("feed {two} added")), "{log}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reload_that_cannot_start_goes_back_to_the_previous_config() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    feeds.serve("/one.xml", Doc::rss(rss(&[("a", "A")])));
    let one = feeds.url("/one.xml");
    let config = generic_config(&sink, &[&one], "interval = \"1h\"");
    let setup = Setup::new(&config);
    let mut child = spawn_run(&setup);
    let log = Log::follow(&mut child);
    wait_for("the first feed", PATIENCE, async || {
        !feeds.requests("/one.xml").await.is_empty()
    })
    .await;

    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = taken.local_addr().expect("addr");
    setup.rewrite(&format!("[http]\nlisten = \"{address}\"\n\n{config}"));
    signal(&child, "HUP");
    log.wait_for("going back to the previous one").await;
    assert!(
        child.try_wait().expect("try_wait").is_none(),
        "still running on the previous config"
    );
    signal(&child, "TERM");
    assert_eq!(child.wait().expect("exits").code(), Some(0));
    drop(taken);
}
