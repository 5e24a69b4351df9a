//! The real binary, killed and stopped: a SIGKILL mid-delivery loses nothing and repeats at most the
//! post in flight; SIGTERM exits 0 promptly.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use std::time::Duration;

use common::process::{PATIENCE, signal, spawn_run, wait_exit, wait_for};
use common::{Doc, FeedServer, Setup, Sink, generic_config, rss};

#[tokio::test(flavor = "multi_thread")]
async fn sigkill_while_posting_loses_nothing_and_repeats_at_most_the_post_in_flight() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    let setup = Setup::new(&generic_config(
        &sink,
        &[&feeds.url("/feed.xml")],
        "backlog = 5\ninterval = \"1h\"",
    ));
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[
            ("e", "E"),
            ("d", "D"),
            ("c", "C"),
            ("b", "B"),
            ("a", "A"),
        ])),
    );
    sink.delay(Duration::from_secs(30));

    let mut first = spawn_run(&setup);
    wait_for("the first post", Duration::from_secs(30), async || {
        !sink.bodies().await.is_empty()
    })
    .await;
    first.kill().expect("SIGKILL");
    first.wait().expect("reaped");

    sink.delay(Duration::ZERO);
    let mut second = spawn_run(&setup);
    wait_for("all five entries", Duration::from_secs(30), async || {
        let titles = sink.titles().await;
        ["A", "B", "C", "D", "E"]
            .iter()
            .all(|t| titles.iter().any(|x| x == t))
    })
    .await;
    signal(&second, "TERM");
    assert_eq!(wait_exit(&mut second, Duration::from_secs(15)), Some(0));

    let titles = sink.titles().await;
    assert_eq!(
        titles,
        ["A", "A", "B", "C", "D", "E"],
        "only the post in flight is repeated"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_exits_zero_promptly() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    let setup = Setup::new(&generic_config(
        &sink,
        &[&feeds.url("/feed.xml")],
        "interval = \"1h\"",
    ));
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    let mut child = spawn_run(&setup);
    wait_for("the first poll to be recorded", PATIENCE, async || {
        setup.feed_states().iter().any(|f| f.last_poll_at.is_some())
    })
    .await;
    signal(&child, "TERM");
    assert_eq!(wait_exit(&mut child, Duration::from_secs(5)), Some(0));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_run_of_a_killed_daemon_does_not_repost() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    let (one, two) = (feeds.url("/one.xml"), feeds.url("/two.xml"));
    let keys = "backlog = 2\ninterval = \"1h\"";
    let setup = Setup::new(&generic_config(&sink, &[&one], keys));
    feeds.serve("/one.xml", Doc::rss(rss(&[("b", "B"), ("a", "A")])));
    let mut first = spawn_run(&setup);
    wait_for("both entries recorded as delivered", PATIENCE, async || {
        setup
            .channel_state("hook")
            .is_some_and(|c| c.delivered == 2 && c.pending == 0)
    })
    .await;
    first.kill().expect("SIGKILL");
    first.wait().expect("reaped");

    // The first feed is not due again for an hour. A feed added for the second run is polled at
    // once, and its entry is queued after anything the first run left pending (the outbox is
    // posted in the order it was queued): once C has arrived, any repost of A or B would have too.
    feeds.serve("/two.xml", Doc::rss(rss(&[("c", "C")])));
    setup.rewrite(&generic_config(&sink, &[&one, &two], keys));
    let mut second = spawn_run(&setup);
    wait_for("the added feed's entry", PATIENCE, async || {
        sink.titles().await.contains(&"C".to_owned())
    })
    .await;
    signal(&second, "TERM");
    assert_eq!(wait_exit(&mut second, Duration::from_secs(15)), Some(0));
    assert_eq!(sink.titles().await, ["A", "B", "C"], "only the new entry");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_daemon_on_the_same_state_refuses_at_once() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    let setup = Setup::new(&generic_config(
        &sink,
        &[&feeds.url("/feed.xml")],
        "interval = \"1h\"",
    ));
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    let mut first = spawn_run(&setup);
    wait_for("the first poll", Duration::from_secs(30), async || {
        !feeds.requests("/feed.xml").await.is_empty()
    })
    .await;
    let second = setup.run(&["run"]);
    assert_eq!(second.status.code(), Some(3));
    assert!(
        common::stderr(&second).contains("already running"),
        "{}",
        common::stderr(&second)
    );
    assert_eq!(
        feeds.requests("/feed.xml").await.len(),
        1,
        "the second made no request"
    );
    assert!(
        first.try_wait().expect("try_wait").is_none(),
        "the first is undisturbed"
    );
    signal(&first, "TERM");
    assert_eq!(wait_exit(&mut first, Duration::from_secs(15)), Some(0));
}

#[test]
fn a_corrupt_state_file_is_refused_and_left_untouched() {
    let setup = Setup::new("[channels.out]\nkind = \"console\"\n");
    let garbage = b"this is not a database, but someone's notes\n".repeat(100);
    std::fs::write(setup.state_path(), &garbage).expect("write");
    let output = setup.run(&["once"]);
    assert_eq!(output.status.code(), Some(3));
    let err = common::stderr(&output);
    assert!(err.contains("corrupt") && err.contains("hint:"), "{err}");
    assert_eq!(std::fs::read(setup.state_path()).expect("read"), garbage);
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_lets_the_post_in_flight_finish_and_records_it() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    let setup = Setup::new(&generic_config(
        &sink,
        &[&feeds.url("/feed.xml")],
        "backlog = 3\ninterval = \"1h\"",
    ));
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("c", "C"), ("b", "B"), ("a", "A")])),
    );
    sink.delay(Duration::from_secs(2));
    let mut child = spawn_run(&setup);
    wait_for("the first post", Duration::from_secs(30), async || {
        !sink.bodies().await.is_empty()
    })
    .await;
    signal(&child, "TERM");
    assert_eq!(wait_exit(&mut child, Duration::from_secs(12)), Some(0));
    assert_eq!(sink.titles().await, ["A"], "no new attempt after SIGTERM");
    let store = feedhook::store::Store::open(&setup.state_path()).expect("state");
    let state = store.channel_state("hook").await.expect("channel");
    assert_eq!(
        (state.delivered, state.pending),
        (1, 2),
        "the post in flight was recorded as delivered"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_while_the_webhook_refuses_connections_delivers_everything_after_restart() {
    let feeds = FeedServer::start().await;
    let address = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr");
    let hook = format!("http://{address}/hook/secret-token");
    let config = format!(
        "[channels.hook]\nkind = \"generic\"\nurl = \"{hook}\"\n\n[[feeds]]\nurl = \"{}\"\nchannels = [\"hook\"]\nbacklog = 2\ninterval = \"1h\"\n",
        feeds.url("/feed.xml")
    );
    let setup = Setup::new(&config);
    feeds.serve("/feed.xml", Doc::rss(rss(&[("b", "B"), ("a", "A")])));
    let mut first = spawn_run(&setup);
    wait_for("a refused delivery attempt", PATIENCE, async || {
        setup.state().is_some_and(|state| {
            let next = common::wait(state.next_pending("hook")).expect("the outbox reads");
            next.is_some_and(|delivery| delivery.attempts >= 1)
        })
    })
    .await;
    first.kill().expect("SIGKILL");
    first.wait().expect("reaped");

    let sink = Sink::start_on(std::net::TcpListener::bind(address).expect("rebind")).await;
    let mut second = spawn_run(&setup);
    wait_for("both entries recorded as delivered", PATIENCE, async || {
        setup
            .channel_state("hook")
            .is_some_and(|c| c.delivered == 2 && c.pending == 0)
    })
    .await;
    signal(&second, "TERM");
    assert_eq!(wait_exit(&mut second, Duration::from_secs(15)), Some(0));
    assert_eq!(sink.titles().await, ["A", "B"], "in order, once each");
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_in_the_middle_of_a_poll_finds_the_same_entries_again() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    let setup = Setup::new(&generic_config(
        &sink,
        &[&feeds.url("/feed.xml")],
        "interval = \"1s\"",
    ));
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    setup.once().await;
    feeds.serve(
        "/feed.xml",
        Doc {
            delay: Duration::from_secs(5),
            ..Doc::rss(rss(&[("b", "B"), ("a", "A")]))
        },
    );
    let mut first = spawn_run(&setup);
    wait_for("the slow poll", Duration::from_secs(30), async || {
        feeds.requests("/feed.xml").await.len() >= 2
    })
    .await;
    first.kill().expect("SIGKILL");
    first.wait().expect("reaped");

    feeds.serve("/feed.xml", Doc::rss(rss(&[("b", "B"), ("a", "A")])));
    let mut second = spawn_run(&setup);
    wait_for(
        "the new entry recorded as delivered",
        PATIENCE,
        async || {
            setup
                .channel_state("hook")
                .is_some_and(|c| c.delivered == 1 && c.pending == 0)
        },
    )
    .await;
    // One more full poll must find B already seen. The document changes (so it is not a 304)
    // only in its title, which the state records in the same transaction that would queue B again.
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("b", "B"), ("a", "A")]).replace("Test feed", "Renamed feed")),
    );
    wait_for("the next full poll recorded", PATIENCE, async || {
        setup
            .feed_states()
            .iter()
            .any(|f| f.info.title.as_deref() == Some("Renamed feed"))
    })
    .await;
    assert_eq!(setup.channel_state("hook").map(|c| c.pending), Some(0));
    signal(&second, "TERM");
    assert_eq!(wait_exit(&mut second, Duration::from_secs(15)), Some(0));
    assert_eq!(
        sink.titles().await,
        ["B"],
        "found again after the kill, posted once"
    );
}
