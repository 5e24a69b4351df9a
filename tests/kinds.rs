//! Matrix, Telegram and ntfy channels against local fakes that answer like the platforms: the request
//! each API wants, its rate-limit answers honoured, its permanent refusals suspending the channel,
//! and the access tokens never shown in logs or `status`.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use common::platform::{Platform, ROOM_ID};
use common::{Doc, FeedServer, Setup, rss, stderr};

const MATRIX_TOKEN: &str = "syt_bWF0cml4_SecretToken_1x2y3z";
const TELEGRAM_TOKEN: &str = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const NTFY_TOKEN: &str = "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2";

/// A feed of `items` served by `feeds`, posted to the channel `ops` set up by `channel` (its
/// keys after `kind`), without pacing.
fn setup(feeds: &FeedServer, items: &[(&str, &str)], channel: &str) -> Setup {
    feeds.serve("/feed.xml", Doc::rss(rss(items)));
    Setup::new(&format!(
        "[channels.ops]\n{channel}rate = \"100/s\"\n\n[[feeds]]\nurl = \"{}\"\nchannels = [\"ops\"]\nbacklog = 10\n",
        feeds.url("/feed.xml")
    ))
}

fn matrix_channel(homeserver: &Platform, room: &str) -> String {
    format!(
        "kind = \"matrix\"\nhomeserver = \"{}\"\nroom = \"{room}\"\ntoken = \"{MATRIX_TOKEN}\"\n",
        homeserver.url()
    )
}

fn telegram_channel(api: &Platform, extra: &str) -> String {
    format!(
        "kind = \"telegram\"\napi_url = \"{}\"\ntoken = \"{TELEGRAM_TOKEN}\"\nchat_id = \"-1001234567890\"\n{extra}",
        api.url()
    )
}

fn json(request: &wiremock::Request) -> serde_json::Value {
    serde_json::from_slice(&request.body).expect("a JSON body")
}

#[tokio::test(flavor = "multi_thread")]
async fn matrix_resolves_the_alias_once_and_puts_each_entry_as_an_html_event() {
    let (feeds, homeserver) = (
        FeedServer::start().await,
        Platform::matrix(MATRIX_TOKEN).await,
    );
    let items = [("b", "Second"), ("a", "First")];
    let setup = setup(
        &feeds,
        &items,
        &matrix_channel(&homeserver, "#ops:example.org"),
    );
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    assert_eq!(
        homeserver.requests("GET").await.len(),
        1,
        "one directory lookup"
    );
    let puts = homeserver.requests("PUT").await;
    assert_eq!(puts.len(), 2);
    let prefix = format!("/_matrix/client/v3/rooms/{ROOM_ID}/send/m.room.message/feedhook-ops-");
    for put in &puts {
        assert!(put.url.path().starts_with(&prefix), "{}", put.url.path());
    }
    let first = json(&puts[0]);
    assert_eq!(first["msgtype"], "m.text");
    assert_eq!(first["format"], "org.matrix.custom.html");
    assert!(
        first["body"]
            .as_str()
            .expect("a string")
            .starts_with("First\n")
    );
    assert_eq!(first["m.mentions"], serde_json::json!({}));
}

#[tokio::test(flavor = "multi_thread")]
async fn matrix_waits_its_retry_after_ms_and_repeats_the_same_transaction_id() {
    let (feeds, homeserver) = (
        FeedServer::start().await,
        Platform::matrix(MATRIX_TOKEN).await,
    );
    homeserver.answer(
        429,
        r#"{"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":20}"#,
    );
    let setup = setup(
        &feeds,
        &[("a", "First")],
        &matrix_channel(&homeserver, ROOM_ID),
    );
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    let puts = homeserver.requests("PUT").await;
    assert_eq!(puts.len(), 2, "the rate-limited send and its repeat");
    assert_eq!(puts[0].url.path(), puts[1].url.path(), "one transaction id");
    assert!(
        homeserver.requests("GET").await.is_empty(),
        "a room id needs no lookup"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn matrix_forbidden_suspends_the_channel_and_keeps_the_entry() {
    let (feeds, homeserver) = (
        FeedServer::start().await,
        Platform::matrix(MATRIX_TOKEN).await,
    );
    homeserver.answer(
        403,
        r#"{"errcode":"M_FORBIDDEN","error":"User @bot:example.org not in room"}"#,
    );
    let setup = setup(
        &feeds,
        &[("a", "First")],
        &matrix_channel(&homeserver, ROOM_ID),
    );
    let report = setup.once().await;
    assert!(!report.all_done());
    let state = setup.channel_state("ops").expect("the state file");
    let reason = state.suspended_reason.unwrap_or_default();
    assert!(reason.starts_with("Matrix M_FORBIDDEN"), "{reason}");
    assert_eq!(state.pending, 1, "the entry waits for the channel");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_matrix_token_suspends_with_m_unknown_token() {
    let (feeds, homeserver) = (FeedServer::start().await, Platform::matrix("other").await);
    let setup = setup(
        &feeds,
        &[("a", "First")],
        &matrix_channel(&homeserver, "#ops:example.org"),
    );
    setup.once().await;
    let reason = setup
        .channel_state("ops")
        .expect("the state file")
        .suspended_reason
        .unwrap_or_default();
    assert!(reason.starts_with("Matrix M_UNKNOWN_TOKEN"), "{reason}");
    assert!(
        homeserver.requests("PUT").await.is_empty(),
        "no send without a room id"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn telegram_sends_html_to_the_chat_and_topic() {
    let (feeds, api) = (
        FeedServer::start().await,
        Platform::telegram(TELEGRAM_TOKEN).await,
    );
    let setup = setup(
        &feeds,
        &[("a", "First")],
        &telegram_channel(&api, "message_thread_id = 42\n"),
    );
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    let posts = api.requests("POST").await;
    assert_eq!(posts.len(), 1);
    assert_eq!(
        posts[0].url.path(),
        format!("/bot{TELEGRAM_TOKEN}/sendMessage")
    );
    let body = json(&posts[0]);
    assert_eq!(body["chat_id"], "-1001234567890");
    assert_eq!(body["message_thread_id"], 42);
    assert_eq!(body["parse_mode"], "HTML");
    assert!(
        body["text"]
            .as_str()
            .expect("a string")
            .starts_with("<b><a href=\"https://example.com/a\">First</a></b>")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn telegram_429_is_waited_out_as_its_retry_after_says() {
    let (feeds, api) = (
        FeedServer::start().await,
        Platform::telegram(TELEGRAM_TOKEN).await,
    );
    api.answer(
        429,
        r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}"#,
    );
    let setup = setup(&feeds, &[("a", "First")], &telegram_channel(&api, ""));
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    assert_eq!(api.requests("POST").await.len(), 2);
}

#[test]
fn telegram_chat_not_found_suspends_and_no_token_reaches_logs_or_status() {
    let (feeds, api) = common::wait(async {
        (
            FeedServer::start().await,
            Platform::telegram(TELEGRAM_TOKEN).await,
        )
    });
    api.answer(
        400,
        r#"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#,
    );
    let setup = setup(&feeds, &[("a", "First")], &telegram_channel(&api, ""));
    let once = setup.run(&["once"]);
    assert_eq!(once.status.code(), Some(1), "{}", stderr(&once));
    let status = setup.run(&["status"]);
    let shown = format!(
        "{}{}{}",
        stderr(&once),
        String::from_utf8_lossy(&status.stdout),
        stderr(&status)
    );
    assert!(shown.contains("chat not found"), "{shown}");
    let secret = TELEGRAM_TOKEN.split_once(':').expect("a bot token").1;
    assert!(!shown.contains(secret), "{shown}");
    drop((feeds, api));
}

fn ntfy_channel(server: &Platform, token: &str) -> String {
    format!(
        "kind = \"ntfy\"\nurl = \"{}/releases\"\ntoken = \"{token}\"\npriority = 4\ntags = [\"rss\"]\n",
        server.url()
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn ntfy_publishes_json_to_the_server_root_with_the_topic_and_token() {
    let (feeds, server) = (FeedServer::start().await, Platform::ntfy(NTFY_TOKEN).await);
    let setup = setup(
        &feeds,
        &[("a", "First")],
        &ntfy_channel(&server, NTFY_TOKEN),
    );
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    let posts = server.requests("POST").await;
    assert_eq!(posts.len(), 1);
    let body = json(&posts[0]);
    assert_eq!(body["topic"], "releases");
    assert_eq!(body["title"], "First");
    assert_eq!(body["click"], "https://example.com/a");
    assert_eq!(
        (&body["priority"], &body["tags"]),
        (&serde_json::json!(4), &serde_json::json!(["rss"]))
    );
}

#[test]
fn a_refused_ntfy_token_suspends_and_never_reaches_logs_or_status() {
    let (feeds, server) =
        common::wait(async { (FeedServer::start().await, Platform::ntfy("other").await) });
    let setup = setup(
        &feeds,
        &[("a", "First")],
        &ntfy_channel(&server, NTFY_TOKEN),
    );
    let once = setup.run(&["once"]);
    assert_eq!(once.status.code(), Some(1), "{}", stderr(&once));
    let status = setup.run(&["status"]);
    let shown = format!(
        "{}{}{}",
        stderr(&once),
        String::from_utf8_lossy(&status.stdout),
        stderr(&status)
    );
    assert!(shown.contains("unauthorized"), "{shown}");
    assert!(!shown.contains(NTFY_TOKEN), "{shown}");
    drop((feeds, server));
}
