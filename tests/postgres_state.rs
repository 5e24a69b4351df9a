//! The real binary on a PostgreSQL state: `check`, `once` and `status` with `[store] url`, the
//! password kept out of everything they print.

#![allow(
    clippy::unwrap_used,
    clippy::format_collect,
    clippy::format_push_string
)]

mod common;

use common::pg::TestDatabase;
use common::{Doc, FeedServer, Setup, Sink, generic_config, rss, stderr};

const PASSWORD: &str = "never-shown-db-password";

/// A config whose state is `database`, its URL (with a password trust authentication ignores)
/// given through the environment as an operator would.
fn setup_on(database: &TestDatabase, sink: &Sink, feed: &str) -> (Setup, String) {
    let setup = Setup::new("");
    let url = database.url.replacen(
        "postgres://postgres@",
        &format!("postgres://postgres:{PASSWORD}@"),
        1,
    );
    let config = format!(
        "[store]\nurl = \"${{FEEDHOOK_DB_URL}}\"\nlease = \"5s\"\n\n{}",
        generic_config(sink, &[feed], "")
    );
    std::fs::write(&setup.config_path, config).unwrap();
    (setup, url)
}

fn run(setup: &Setup, url: &str, args: &[&str]) -> std::process::Output {
    setup
        .command(args)
        .env("FEEDHOOK_DB_URL", url)
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn once_and_status_work_on_a_database_and_never_show_its_password() {
    let database = TestDatabase::create().await;
    let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
    let (setup, url) = setup_on(&database, &sink, &feeds.url("/feed.xml"));
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "First")])));

    let check = run(&setup, &url, &["check"]);
    let checked = String::from_utf8_lossy(&check.stdout).into_owned();
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(
        checked.contains("state in postgres://127.0.0.1:5432/"),
        "{checked}"
    );

    let first = run(&setup, &url, &["once"]);
    assert!(first.status.success(), "{}", stderr(&first));
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("b", "Second"), ("a", "First")])),
    );
    let second = run(&setup, &url, &["once"]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(sink.titles().await, ["Second"]);

    let status = run(&setup, &url, &["status", "--json"]);
    assert!(status.status.success(), "{}", stderr(&status));
    let shown = String::from_utf8_lossy(&status.stdout).into_owned();
    assert!(shown.contains("\"hook\""), "{shown}");
    for output in [&check, &first, &second, &status] {
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            stderr(output)
        );
        assert!(!text.contains(PASSWORD), "{text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_database_fails_start_with_a_hint_and_no_password() {
    let sink = Sink::start().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let setup = Setup::new("");
    let config = format!(
        "[store]\nurl = \"postgres://feedhook:{PASSWORD}@127.0.0.1:{port}/feedhook\"\n\n{}",
        generic_config(&sink, &["http://127.0.0.1:9/feed.xml"], "")
    );
    std::fs::write(&setup.config_path, config).unwrap();
    let output = setup.run(&["once"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(3), "{text}");
    assert!(text.contains("unreachable"), "{text}");
    assert!(text.contains("hint:"), "{text}");
    assert!(!text.contains(PASSWORD), "{text}");
}
