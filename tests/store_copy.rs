//! `feedhook store copy`, the real binary: a SQLite state made by real polls and deliveries moved
//! to a fresh PostgreSQL database, where the daemon posts nothing again and sends what was pending.

#![allow(
    clippy::unwrap_used,
    clippy::format_collect,
    clippy::format_push_string
)]

mod common;

use std::process::{Output, Stdio};

use common::pg::TestDatabase;
use common::process::{Log, PATIENCE, signal, wait_exit, wait_for};
use common::{Doc, FeedServer, Setup, Sink, generic_config, path_str, rss, stderr};
use feedhook::config::{DatabaseSettings, DatabaseUrl};
use feedhook::store::Store;

const PASSWORD: &str = "never-shown-copy-password";

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// `database`'s URL with a password (which trust authentication ignores), as an operator writes it.
fn url_with_password(database: &TestDatabase) -> String {
    database.url.replacen(
        "postgres://postgres@",
        &format!("postgres://postgres:{PASSWORD}@"),
        1,
    )
}

fn copy(setup: &Setup, to: &str, extra: &[&str]) -> Output {
    let state = setup.state_path();
    let mut args = vec!["store", "copy", "--from", path_str(&state), "--to", to];
    args.extend_from_slice(extra);
    setup.run(&args)
}

fn assert_no_password(outputs: &[&Output]) {
    for output in outputs {
        let text = format!("{}{}", stdout(output), stderr(output));
        assert!(!text.contains(PASSWORD), "{text}");
    }
}

/// A SQLite state after real polls: `A` delivered, `B` refused (400, failed), `C` pending behind
/// the channel's suspension (404); every entry seen.
async fn sqlite_state(feeds: &FeedServer, sink: &Sink) -> Setup {
    let config = generic_config(sink, &[&feeds.url("/feed.xml")], "backlog = 1");
    let setup = Setup::new(&config);
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    let first = setup.run(&["once"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("c", "C"), ("b", "B"), ("a", "A")])),
    );
    sink.answer(&[400, 404]);
    let second = setup.run(&["once"]);
    assert_eq!(second.status.code(), Some(1), "{}", stderr(&second));
    assert_eq!(sink.titles().await, ["A", "B", "C"]);
    let hook = setup.channel_state("hook").unwrap();
    assert_eq!((hook.pending, hook.failed, hook.delivered), (1, 1, 1));
    assert!(hook.suspended_until.is_some(), "{hook:?}");
    setup
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sqlite_state_moved_to_postgres_posts_nothing_again_and_sends_what_was_pending() {
    let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
    let setup = sqlite_state(&feeds, &sink).await;
    let database = TestDatabase::create().await;
    let url = url_with_password(&database);

    let copied = copy(&setup, &url, &[]);
    assert_eq!(copied.status.code(), Some(0), "{}", stderr(&copied));
    let report = stdout(&copied);
    assert!(
        report.contains("into postgres://127.0.0.1:5432/"),
        "{report}"
    );
    assert!(report.contains("3 seen entries"), "{report}");
    assert!(report.contains("3 deliveries"), "{report}");

    // The daemon on the copy: the suspension it inherits is lifted at start, C goes out, the next
    // poll finds only D new. Were the feed new to it, its first poll would queue all four again.
    let config = format!(
        "[store]\nurl = \"${{FEEDHOOK_DB_URL}}\"\n\n{}",
        generic_config(
            &sink,
            &[&feeds.url("/feed.xml")],
            "interval = \"1s\"\nbacklog = 10"
        )
    );
    std::fs::write(&setup.config_path, config).unwrap();
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("d", "D"), ("c", "C"), ("b", "B"), ("a", "A")])),
    );
    let mut daemon = setup
        .command(&["run"])
        .env("FEEDHOOK_DB_URL", &url)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let log = Log::follow(&mut daemon);
    log.wait_for("resuming the suspended channel").await;
    wait_for("D to be posted", PATIENCE, async || {
        sink.titles().await.len() >= 5
    })
    .await;
    signal(&daemon, "TERM");
    assert_eq!(wait_exit(&mut daemon, PATIENCE), Some(0), "{}", log.text());
    // Whatever was posted again would have been queued before D, so it would show by now.
    assert_eq!(sink.titles().await, ["A", "B", "C", "C", "D"]);
    assert!(!log.text().contains(PASSWORD), "{}", log.text());

    let store = Store::connect(&DatabaseSettings::new(
        DatabaseUrl::parse(&database.url).unwrap(),
    ))
    .await
    .unwrap();
    let hook = store.channel_state("hook").await.unwrap();
    assert_eq!((hook.pending, hook.failed, hook.delivered), (0, 1, 3));
    assert_no_password(&[&copied]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_target_holding_a_state_is_refused_unless_forced() {
    let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
    let setup = sqlite_state(&feeds, &sink).await;
    let database = TestDatabase::create().await;
    let url = url_with_password(&database);
    let first = copy(&setup, &url, &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));

    let again = copy(&setup, &url, &[]);
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    let refusal = stderr(&again);
    assert!(refusal.contains("already holds a state"), "{refusal}");
    assert!(refusal.contains("--force"), "{refusal}");

    let forced = copy(&setup, &url, &["--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    assert!(
        stdout(&forced).contains("3 deliveries"),
        "{}",
        stdout(&forced)
    );
    assert_no_password(&[&first, &again, &forced]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_copied_back_to_a_file_is_the_same_state() {
    let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
    let setup = sqlite_state(&feeds, &sink).await;
    let database = TestDatabase::create().await;
    let url = url_with_password(&database);
    let there = copy(&setup, &url, &[]);
    assert_eq!(there.status.code(), Some(0), "{}", stderr(&there));
    let back_path = setup.dir.path().join("back.db");
    let back = setup.run(&[
        "store",
        "copy",
        "--from",
        &url,
        "--to",
        path_str(&back_path),
    ]);
    assert_eq!(back.status.code(), Some(0), "{}", stderr(&back));
    let (original, copy) = (
        Store::open(&setup.state_path()).unwrap(),
        Store::open(&back_path).unwrap(),
    );
    assert_eq!(
        copy.channel_state("hook").await.unwrap(),
        original.channel_state("hook").await.unwrap()
    );
    assert_eq!(
        copy.feed_states().await.unwrap(),
        original.feed_states().await.unwrap()
    );
    assert_no_password(&[&there, &back]);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_target_or_a_missing_source_copies_nothing_and_shows_no_password() {
    let setup = Setup::new("");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("postgres://feedhook:{PASSWORD}@127.0.0.1:{port}/feedhook");
    std::fs::write(setup.state_path(), "").unwrap();
    let unreachable = copy(&setup, &url, &[]);
    assert_eq!(
        unreachable.status.code(),
        Some(3),
        "{}",
        stderr(&unreachable)
    );
    assert!(
        stderr(&unreachable).contains("unreachable"),
        "{}",
        stderr(&unreachable)
    );
    let missing = setup.run(&[
        "store",
        "copy",
        "--from",
        "/nonexistent/state.db",
        "--to",
        &url,
    ]);
    assert_eq!(missing.status.code(), Some(2), "{}", stderr(&missing));
    assert!(
        stderr(&missing).contains("/nonexistent/state.db"),
        "{}",
        stderr(&missing)
    );
    assert_no_password(&[&unreachable, &missing]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_source_from_a_newer_feedhook_is_refused_untouched() {
    let setup = Setup::new("");
    let connection = rusqlite::Connection::open(setup.state_path()).unwrap();
    connection.pragma_update(None, "user_version", 999).unwrap();
    drop(connection);
    let before = std::fs::read(setup.state_path()).unwrap();
    let database = TestDatabase::create().await;
    let refused = copy(&setup, &url_with_password(&database), &[]);
    assert_eq!(refused.status.code(), Some(3), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("newer feedhook"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(std::fs::read(setup.state_path()).unwrap(), before);
    assert_no_password(&[&refused]);
}
