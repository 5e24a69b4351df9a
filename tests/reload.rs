//! SIGHUP reloads the config: a new feed starts polling, an invalid file is refused and the running
//! config keeps going, a removed channel's deliveries are parked until it comes back or the
//! retention period ends.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use std::sync::Arc;

use common::process::{Log, PATIENCE, signal, spawn_run, wait_for};
use common::{Doc, FeedServer, Setup, Sink, generic_config, rss};
use feedhook::daemon::{self, systemd::Notifier};
use feedhook::schedule::Clock;
use feedhook::store::Store;
use tokio_util::sync::CancellationToken;

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

/// Two channels on one feed: `keep` posts to `sink`, `gone` to `gone_hook`.
fn two_channel_config(sink: &Sink, gone_hook: &str, feeds: &[(&str, &str)]) -> String {
    let mut config = format!(
        "[channels.keep]\nkind = \"generic\"\nurl = \"{}\"\n\n\
         [channels.gone]\nkind = \"generic\"\nurl = \"{gone_hook}\"\n\n",
        sink.url()
    );
    for (url, channels) in feeds {
        config.push_str(&format!(
            "[[feeds]]\nurl = \"{url}\"\nchannels = {channels}\ninterval = \"1h\"\nbacklog = 5\n\n"
        ));
    }
    config
}

/// The config without the `gone` channel.
fn without_gone(sink: &Sink, feed: &str) -> String {
    format!(
        "[channels.keep]\nkind = \"generic\"\nurl = \"{}\"\n\n\
         [[feeds]]\nurl = \"{feed}\"\nchannels = [\"keep\"]\ninterval = \"1h\"\nbacklog = 5\n",
        sink.url()
    )
}

/// Starts the daemon with `gone` failing (its webhook refuses connections) until both entries are
/// pending for it, then reloads without it: they are parked. Returns the daemon, its log and the
/// address `gone` posted to.
async fn park_gone(
    setup_config: impl FnOnce(&str) -> Setup,
    sink: &Sink,
) -> (std::process::Child, Log, Setup, std::net::SocketAddr) {
    let address = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr");
    let setup = setup_config(&format!("http://{address}/hook/secret-token"));
    let mut child = spawn_run(&setup);
    let log = Log::follow(&mut child);
    wait_for(
        "both entries posted to keep and tried on gone",
        PATIENCE,
        async || {
            sink.titles().await.len() == 2
                && setup
                    .channel_state("gone")
                    .is_some_and(|gone| gone.pending == 2 && gone.failing_since.is_some())
        },
    )
    .await;
    (child, log, setup, address)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_removed_channel_is_parked_and_posts_oldest_first_when_it_comes_back() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    feeds.serve("/one.xml", Doc::rss(rss(&[("b", "B"), ("a", "A")])));
    feeds.serve("/two.xml", Doc::rss(rss(&[("c", "C")])));
    let (one, two) = (feeds.url("/one.xml"), feeds.url("/two.xml"));
    let both = r#"["keep", "gone"]"#;
    let (child, log, setup, address) = park_gone(
        |hook| Setup::new(&two_channel_config(&sink, hook, &[(&one, both)])),
        &sink,
    )
    .await;

    setup.rewrite(&without_gone(&sink, &one));
    signal(&child, "HUP");
    log.wait_for("parked 2 deliveries: channel removed from the config; kept until")
        .await;
    assert!(log.contains("channel=gone"), "{}", log.text());
    let gone = setup.channel_state("gone").expect("state");
    assert_eq!((gone.pending, gone.parked, gone.failed), (0, 2, 0));

    let status = setup.run(&["status"]);
    let table = String::from_utf8_lossy(&status.stdout).into_owned();
    assert!(
        table.contains("gone") && table.contains("removed from the config: 2 parked, kept until"),
        "{table}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&setup.run(&["status", "--json"]).stdout).expect("json");
    let listed = json["channels"]
        .as_array()
        .expect("channels")
        .iter()
        .find(|c| c["name"] == "gone")
        .expect("the removed channel is listed")
        .clone();
    assert_eq!(
        (&listed["configured"], &listed["parked"]),
        (&false.into(), &2.into())
    );
    assert!(listed["parked_kept_until"].is_string(), "{listed}");
    let retry = setup.run(&["retry", "gone"]);
    assert!(!retry.status.success());
    let said = common::stderr(&retry);
    assert!(
        said.contains("\"gone\" is not configured") && said.contains("2 deliveries are parked"),
        "{said}"
    );

    // Back, now answering, with a new feed whose entry is queued after the restored ones.
    let gone_sink = Sink::start_on(std::net::TcpListener::bind(address).expect("rebind")).await;
    setup.rewrite(&two_channel_config(
        &sink,
        &gone_sink.url(),
        &[(&one, both), (&two, r#"["gone"]"#)],
    ));
    signal(&child, "HUP");
    wait_for(
        "the restored deliveries and the new one",
        PATIENCE,
        async || gone_sink.titles().await.len() >= 3,
    )
    .await;
    assert_eq!(gone_sink.titles().await, ["A", "B", "C"]);
    assert!(
        log.contains("restored 2 parked deliveries"),
        "{}",
        log.text()
    );
    let gone = setup.channel_state("gone").expect("state");
    assert_eq!((gone.parked, gone.delivered, gone.failed), (0, 3, 0));
    stop(child, log);
}

#[tokio::test(flavor = "multi_thread")]
async fn parked_deliveries_are_pruned_once_the_retention_period_has_passed() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    feeds.serve("/one.xml", Doc::rss(rss(&[("b", "B"), ("a", "A")])));
    let one = feeds.url("/one.xml");
    let both = r#"["keep", "gone"]"#;
    let (child, log, setup, _) = park_gone(
        |hook| Setup::new(&two_channel_config(&sink, hook, &[(&one, both)])),
        &sink,
    )
    .await;
    setup.rewrite(&without_gone(&sink, &one));
    signal(&child, "HUP");
    log.wait_for("parked 2 deliveries").await;
    stop(child, log);

    // The daemon again, its clock a retention period (default 90 days) and a day later.
    let config = setup.config();
    let later = chrono::Utc::now()
        + chrono::TimeDelta::from_std(config.store.retention).expect("a retention in range")
        + chrono::TimeDelta::days(1);
    let store = Arc::new(Store::open_exclusive(&config.store.path).expect("the state opens"));
    let stop_daemon = CancellationToken::new();
    let started = daemon::start(
        &config,
        Arc::clone(&store),
        Clock::starting_at(later),
        None,
        stop_daemon.clone(),
        Arc::new(Notifier::absent()),
    )
    .await
    .expect("starts");
    wait_for("the parked deliveries pruned", PATIENCE, async || {
        store.channel_state("gone").await.expect("state").parked == 0
    })
    .await;
    stop_daemon.cancel();
    started.run().await.expect("stops");
    assert!(store.parked_channels().await.expect("read").is_empty());
    drop(store);
    let status = setup.run(&["status"]);
    let table = String::from_utf8_lossy(&status.stdout).into_owned();
    assert!(!table.contains("gone"), "{table}");
}

fn stop(mut child: std::process::Child, log: Log) {
    signal(&child, "TERM");
    assert_eq!(child.wait().expect("exits").code(), Some(0));
    drop(log.finish());
}
