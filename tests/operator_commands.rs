//! The commands an operator reaches for when something looks wrong: `status` reads the state,
//! `preview` shows the cards before the team sees them; neither posts or writes anything.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use common::{Doc, FeedServer, Setup, Sink, generic_config, rss, stderr};

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn status_shows_each_feed_and_channel() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    let (good, bad) = (feeds.url("/good.xml"), feeds.url("/bad.xml"));
    let setup = Setup::new(&generic_config(&sink, &[&good, &bad], "backlog = 1"));
    feeds.serve("/good.xml", Doc::rss(rss(&[("a", "A")])));
    feeds.serve("/bad.xml", Doc::status(503));
    let (text, json) = tokio::task::spawn_blocking(move || {
        setup.run(&["once"]);
        (setup.run(&["status"]), setup.run(&["status", "--json"]))
    })
    .await
    .expect("join");
    assert_eq!(text.status.code(), Some(0), "{}", stderr(&text));
    let text = stdout(&text);
    assert!(text.contains(&good) && text.contains(&bad), "{text}");
    assert!(text.contains("HTTP 503"), "{text}");
    assert!(
        text.contains("CHANNEL") && text.contains("generic"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("valid JSON");
    assert_eq!(json["feeds"][0]["result"], "ok");
    assert_eq!(json["feeds"][0]["entries_seen"], 1);
    assert_eq!(json["feeds"][1]["consecutive_failures"], 1);
    assert_eq!(json["channels"][0]["delivered"], 1);
}

#[test]
fn status_without_state_says_so() {
    let setup = Setup::new("[channels.out]\nkind = \"console\"\n");
    let output = setup.run(&["status"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("no state yet"));
    assert!(!setup.state_path().exists(), "status created no state");
}

#[tokio::test(flavor = "multi_thread")]
async fn preview_prints_every_channels_payload_and_posts_nothing() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    let config = format!(
        "{}[channels.team]\nkind = \"teams\"\nurl = \"{}\"\n",
        generic_config(&sink, &[&feeds.url("/feed.xml")], "name = \"blog\"")
            .replace("channels = [\"hook\"]", "channels = [\"hook\", \"team\"]"),
        sink.url()
    );
    let setup = Setup::new(&config);
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("b", "Second post"), ("a", "First post")])),
    );
    let (output, setup) = tokio::task::spawn_blocking(move || {
        (setup.run(&["preview", "blog", "--limit", "1"]), setup)
    })
    .await
    .expect("join");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(
        out.contains("Second post") && !out.contains("First post"),
        "{out}"
    );
    assert!(
        out.contains("channel hook (generic)") && out.contains("channel team (teams)"),
        "{out}"
    );
    assert!(out.contains("of the platform's 28000"), "{out}");
    assert!(sink.bodies().await.is_empty(), "preview posts nothing");
    assert!(!setup.state_path().exists(), "preview writes no state");
}

#[test]
fn preview_of_an_unknown_feed_names_the_known_ones() {
    let setup = Setup::new(
        "[channels.out]\nkind = \"console\"\n\n[[feeds]]\nname = \"blog\"\nurl = \"https://example.com/f\"\nchannels = [\"out\"]\n",
    );
    let output = setup.run(&["preview", "nope"]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("\"nope\"") && err.contains("blog"), "{err}");
}
