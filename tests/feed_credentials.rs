//! A feed's credentials — a user and password or a token in its URL, headers, basic auth, a bearer
//! token — are sent to the feed's own server and shown nowhere: logs, `status`, `preview` and
//! `check` show the feed by its URL with the credentials left out, and a redirect to another
//! server (another host, port or scheme) gets none of them.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use common::{Doc, FeedServer, Setup, Sink, generic_config, rss, stderr};

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// `http://feed-user:PASSWORD@127.0.0.1:PORT/private.xml?apikey=TOKEN&format=rss`, unnamed.
fn private_feed_url(feeds: &FeedServer) -> String {
    feeds
        .url("/private.xml?apikey=tok3n-in-the-query&format=rss")
        .replace("http://", "http://feed-user:pa55word-in-the-url@")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_feed_url_with_a_login_and_a_token_is_shown_without_them() {
    let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
    let url = private_feed_url(&feeds);
    let setup = Setup::new(&generic_config(&sink, &[&url], "backlog = 1"));
    feeds.serve("/private.xml", Doc::rss(rss(&[("a", "A")])));
    let shown = format!("{}?apikey=…&format=…", feeds.url("/private.xml"));
    let (outputs, setup) = tokio::task::spawn_blocking(move || {
        let outputs = [
            setup.run(&["--log-level", "trace", "once"]),
            setup.run(&["--log-level", "trace", "--log-format", "json", "once"]),
            setup.run(&["status"]),
            setup.run(&["status", "--json"]),
            setup.run(&["preview", &shown]),
            setup.run(&["preview", &url, "--format", "json"]),
            setup.run(&["check", "--fetch"]),
        ];
        (outputs, setup)
    })
    .await
    .expect("join");
    let shown = format!("{}?apikey=…&format=…", feeds.url("/private.xml"));
    for output in &outputs {
        let out = format!("{}{}", stdout(output), stderr(output));
        for secret in [
            "pa55word-in-the-url",
            "tok3n-in-the-query",
            "feed-user",
            "=rss",
        ] {
            assert!(!out.contains(secret), "{secret} in:\n{out}");
        }
        assert!(out.contains(&shown), "the feed is shown as {shown}:\n{out}");
    }
    let states = setup.feed_states();
    let key = setup.config().feeds[0].url.to_string();
    assert_eq!(
        states[0].feed, key,
        "the state keeps the feed under its whole URL"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&outputs[3])).expect("JSON");
    assert_eq!(json["feeds"][0]["url"], shown.as_str());
    assert_eq!(sink.bodies().await[0]["feed"]["name"], shown.as_str());
}

/// Two servers on 127.0.0.1: the feed's, which redirects, and another on another port.
async fn redirected_fetch(credentials: &str) -> (Vec<wiremock::Request>, Vec<wiremock::Request>) {
    let (origin, elsewhere, sink) = (
        FeedServer::start().await,
        FeedServer::start().await,
        Sink::start().await,
    );
    origin.serve(
        "/feed.xml",
        Doc::status(302).with_header("location", &elsewhere.url("/feed.xml")),
    );
    elsewhere.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    let keys = format!("headers = {{ X-Api-Key = \"k3y-for-the-feed\" }}\n{credentials}");
    let setup = Setup::new(&generic_config(&sink, &[&origin.url("/feed.xml")], &keys));
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    (
        origin.requests("/feed.xml").await,
        elsewhere.requests("/feed.xml").await,
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_to_another_port_gets_neither_the_bearer_token_nor_the_headers() {
    let (first, second) = redirected_fetch("bearer_token = \"t0ken-for-the-feed\"").await;
    let auth = |request: &wiremock::Request| request.headers.get("authorization").cloned();
    assert_eq!(
        auth(&first[0]).as_ref().and_then(|v| v.to_str().ok()),
        Some("Bearer t0ken-for-the-feed")
    );
    assert!(first[0].headers.contains_key("x-api-key"));
    assert_eq!(auth(&second[0]), None, "{:?}", second[0].headers);
    assert!(!second[0].headers.contains_key("x-api-key"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_to_another_port_gets_no_basic_auth() {
    let basic = "basic_auth = { username = \"reader\", password = \"pa55-for-the-feed\" }";
    let (first, second) = redirected_fetch(basic).await;
    assert!(first[0].headers.contains_key("authorization"));
    assert!(!second[0].headers.contains_key("authorization"));
    assert!(!second[0].headers.contains_key("x-api-key"));
}
