//! What a feed says cannot forge or colour the log: a guid with a line break, or with ESC and BEL
//! (a terminal escape sequence), and a parse error quoting such bytes, are logged as one line with
//! the control characters escaped — in the text format and in JSON alike.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use common::{Doc, FeedServer, Setup, Sink, generic_config, stderr};

/// A line that would look like feedhook's own if a line break let it start a line.
const FORGED: &str = "2026-01-01T00:00:00Z ERROR forged: the webhook is gone";

/// A JSON Feed whose one item's id breaks the line, then rings the bell and turns the terminal red.
fn hostile_json_feed() -> String {
    // The parser reads a C1 control in feed text as the Windows-1252 character it almost always
    // is (U+0085 → "…"), so the C0 controls and the bidi override are what reach the log.
    let id = format!("a\n{FORGED}\u{1b}[31m\u{7}\r\u{85}\u{202e}");
    serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "hostile",
        "items": [{ "id": id, "title": "A", "content_text": "a" }],
    })
    .to_string()
}

/// An RSS document the parser refuses, with ESC and BEL in the tag its error quotes.
const BROKEN_RSS: &str = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>\
    <item><guid>1</guid></it\u{1b}[31mem\u{7}></channel></rss>";

/// `once` over a hostile guid and a hostile parse error, logging in `format`.
async fn log_of_once(format: &str) -> String {
    let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
    let (hostile, broken) = (feeds.url("/hostile.json"), feeds.url("/broken.xml"));
    let setup = Setup::new(&generic_config(&sink, &[&hostile, &broken], "backlog = 1"));
    feeds.serve(
        "/hostile.json",
        Doc::new(hostile_json_feed(), "application/feed+json"),
    );
    feeds.serve("/broken.xml", Doc::rss(BROKEN_RSS));
    let format = format.to_owned();
    let output = tokio::task::spawn_blocking(move || {
        setup.run(&["--log-level", "debug", "--log-format", &format, "once"])
    })
    .await
    .expect("join");
    assert_eq!(sink.bodies().await.len(), 1, "{}", stderr(&output));
    stderr(&output)
}

/// No byte of `log` is a control character but the line breaks that end each event, and no line
/// starts with the forged one.
fn assert_no_raw_control_characters(log: &str) {
    let raw = log.chars().find(|c| {
        *c != '\n'
            && (c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}'))
    });
    assert_eq!(raw, None, "a raw control character in:\n{log}");
    assert!(
        !log.lines().any(|line| line.starts_with(FORGED)),
        "a forged line:\n{log}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_guid_and_parse_error_stay_on_their_lines_in_text_logs() {
    let log = log_of_once("human").await;
    assert_no_raw_control_characters(&log);
    let delivered = log
        .lines()
        .find(|line| line.contains("delivered"))
        .unwrap_or_else(|| panic!("no delivery logged:\n{log}"));
    assert!(
        delivered.contains(&format!("a\\n{FORGED}\\u{{1b}}[31m\\u{{7}}\\r…\\u{{202e}}")),
        "{delivered}"
    );
    let failed = log
        .lines()
        .find(|line| line.contains("poll failed"))
        .unwrap_or_else(|| panic!("no failed poll logged:\n{log}"));
    assert!(failed.contains("\\u{1b}[31m"), "{failed}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_guid_and_parse_error_stay_on_their_lines_in_json_logs() {
    let log = log_of_once("json").await;
    assert_no_raw_control_characters(&log);
    // After the events, `once` prints its summary as text.
    let events: Vec<serde_json::Value> = log
        .lines()
        .take_while(|line| !line.starts_with("once:"))
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let text = |event: &serde_json::Value, field: &str| {
        event[field].as_str().unwrap_or_default().to_owned()
    };
    let delivered = events
        .iter()
        .find(|event| text(event, "message") == "delivered")
        .unwrap_or_else(|| panic!("no delivery logged:\n{log}"));
    let entry = text(delivered, "entry");
    assert_eq!(
        entry,
        format!("a\\n{FORGED}\\u{{1b}}[31m\\u{{7}}\\r…\\u{{202e}}")
    );
    let failed = events
        .iter()
        .find(|event| text(event, "message") == "poll failed")
        .unwrap_or_else(|| panic!("no failed poll logged:\n{log}"));
    let error = text(failed, "error");
    assert!(!error.contains(char::is_control), "{error:?}");
    assert!(error.contains("\\u{1b}[31m"), "{error}");
}
