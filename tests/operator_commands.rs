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

#[tokio::test(flavor = "multi_thread")]
async fn test_webhook_posts_a_marked_card_and_reports_the_answer() {
    let sink = Sink::start().await;
    sink.answer(&[200, 404]);
    let setup = Setup::new(&format!(
        "[channels.ops]\nkind = \"generic\"\nurl = \"{}\"\n",
        sink.url()
    ));
    let (ok, gone) = tokio::task::spawn_blocking(move || {
        (
            setup.run(&["test-webhook", "ops"]),
            setup.run(&["test-webhook", "ops"]),
        )
    })
    .await
    .expect("join");
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(
        stdout(&ok).contains("HTTP 200") && stdout(&ok).contains("ok:"),
        "{}",
        stdout(&ok)
    );
    assert!(!stdout(&ok).contains("secret-token"));
    assert_eq!(gone.status.code(), Some(1));
    assert!(
        stdout(&gone).contains("HTTP 404") && stdout(&gone).contains("gone"),
        "{}",
        stdout(&gone)
    );
    let bodies = sink.bodies().await;
    assert!(
        bodies[0]["entry"]["title"]
            .as_str()
            .is_some_and(|t| t.contains("test card")),
        "{bodies:?}"
    );
}

#[test]
fn test_webhook_of_an_unknown_channel_names_the_known_ones() {
    let setup = Setup::new("[channels.ops]\nkind = \"console\"\n");
    let output = setup.run(&["test-webhook", "dev"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("\"dev\"") && stderr(&output).contains("ops"));
}

#[tokio::test(flavor = "multi_thread")]
async fn retry_requeues_a_failed_delivery() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    sink.answer(&[400]);
    let setup = Setup::new(&generic_config(
        &sink,
        &[&feeds.url("/feed.xml")],
        "backlog = 1",
    ));
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    let outputs = tokio::task::spawn_blocking(move || {
        [
            setup.run(&["once"]),
            setup.run(&["retry"]),
            setup.run(&["once"]),
        ]
    })
    .await
    .expect("join");
    assert_eq!(
        outputs[0].status.code(),
        Some(1),
        "the rejected delivery makes once fail"
    );
    assert!(
        stdout(&outputs[1]).contains("1 failed delivery(ies) re-queued"),
        "{}",
        stdout(&outputs[1])
    );
    assert_eq!(outputs[2].status.code(), Some(0), "{}", stderr(&outputs[2]));
    assert_eq!(sink.titles().await, ["A", "A"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn mark_seen_records_without_posting() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    let setup = Setup::new(&generic_config(
        &sink,
        &[&feeds.url("/feed.xml")],
        "name = \"blog\"\nbacklog = 5",
    ));
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    let marked = tokio::task::spawn_blocking({
        let path = setup.config_path.clone();
        move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_feedhook"))
                .arg("-c")
                .arg(path)
                .args(["mark-seen", "blog"])
                .output()
                .expect("runs")
        }
    })
    .await
    .expect("join");
    assert_eq!(marked.status.code(), Some(0), "{}", stderr(&marked));
    feeds.serve("/feed.xml", Doc::rss(rss(&[("b", "B"), ("a", "A")])));
    setup.once().await;
    assert_eq!(
        sink.titles().await,
        ["B"],
        "the backlog was not posted and A was already seen"
    );
}

#[test]
fn import_opml_prints_feeds_and_refuses_other_files() {
    let setup = Setup::new("[channels.ops]\nkind = \"console\"\n");
    let opml = setup.dir.path().join("subs.opml");
    std::fs::write(&opml, r#"<opml version="2.0"><body><outline text="Blog" xmlUrl="https://example.com/feed.xml"/></body></opml>"#).expect("write");
    let output = setup.run(&[
        "import-opml",
        opml.to_str().expect("utf-8"),
        "--channel",
        "ops",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let toml = stdout(&output);
    assert!(
        toml.contains("[[feeds]]")
            && toml.contains("name = \"Blog\"")
            && toml.contains("channels = [\"ops\"]"),
        "{toml}"
    );
    let rss_file = setup.dir.path().join("not.opml");
    std::fs::write(&rss_file, "<rss>\n<channel>\n</rss>").expect("write");
    let output = setup.run(&["import-opml", rss_file.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("line"), "{}", stderr(&output));
}

#[test]
fn completions_and_man_page_are_generated() {
    let setup = Setup::new("[channels.ops]\nkind = \"console\"\n");
    let bash = setup.run(&["completions", "bash"]);
    assert!(stdout(&bash).contains("feedhook"), "completion script");
    let man = setup.run(&["man"]);
    assert!(stdout(&man).contains(".TH feedhook"), "{}", stdout(&man));
}

#[tokio::test(flavor = "multi_thread")]
async fn preview_as_json_lists_each_entry_and_channel_with_its_size() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    let setup = Setup::new(&generic_config(
        &sink,
        &[&feeds.url("/feed.xml")],
        "name = \"blog\"",
    ));
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("b", "Second"), ("a", "First")])),
    );
    let output =
        tokio::task::spawn_blocking(move || setup.run(&["preview", "blog", "--format", "json"]))
            .await
            .expect("join");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(2));
    assert_eq!(json[0]["title"], "Second");
    assert_eq!(json[0]["payload"]["entry"]["title"], "Second");
    assert!(json[0]["bytes"].as_u64().is_some_and(|b| b > 100));
}

#[tokio::test(flavor = "multi_thread")]
async fn check_fetch_reads_every_feed_and_names_advertised_feeds_of_a_page() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    let (good, page) = (feeds.url("/feed.xml"), feeds.url("/blog"));
    let setup = Setup::new(&generic_config(&sink, &[&good, &page], ""));
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    feeds.serve("/blog", Doc::new("<html><head><link rel=\"alternate\" type=\"application/atom+xml\" href=\"/atom.xml\"></head></html>", "text/html"));
    let output = tokio::task::spawn_blocking(move || setup.run(&["check", "--fetch"]))
        .await
        .expect("join");
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(out.contains("OK, 1 entries"), "{out}");
    assert!(out.contains(&feeds.url("/atom.xml")), "{out}");
    assert!(sink.bodies().await.is_empty());
}
