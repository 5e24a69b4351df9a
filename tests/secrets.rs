//! Webhook URLs are secrets: whatever goes wrong, at any log level, no output shows one whole.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use common::{Doc, FeedServer, Setup, Sink, generic_config, process, rss, stderr};

async fn once_output(sink_url: &str, answers: &[u16], sink: &Sink, feeds: &FeedServer) -> String {
    sink.answer(answers);
    let config = generic_config(sink, &[&feeds.url("/feed.xml")], "backlog = 1")
        .replace(&sink.url(), sink_url);
    let setup = Setup::new(&config);
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    let output = tokio::task::spawn_blocking(move || setup.run(&["--log-level", "trace", "once"]))
        .await
        .expect("join");
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        stderr(&output)
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_gone_webhook_is_logged_without_its_secret() {
    let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
    let out = once_output(&sink.url(), &[404], &sink, &feeds).await;
    assert!(out.contains("suspended"), "{out}");
    assert!(!out.contains("secret-token"), "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_webhook_is_logged_without_its_secret() {
    let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
    let out = once_output(&sink.url(), &[500; 40], &sink, &feeds).await;
    assert!(out.contains("HTTP 500"), "{out}");
    assert!(!out.contains("secret-token"), "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_webhook_is_logged_without_its_secret() {
    let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        format!(
            "http://{}/hook/secret-token",
            listener.local_addr().expect("addr")
        )
    };
    let out = once_output(&refused, &[], &sink, &feeds).await;
    assert!(out.contains("cannot connect"), "{out}");
    assert!(!out.contains("secret-token"), "{out}");
}

/// A webhook that repeats its own URL in its error body, as many do on a 404: as written, as
/// JSON writes it (PHP escapes every slash), and percent-encoded.
fn echoing_body(sink: &Sink) -> String {
    let url = format!("{}?sig=signature-value-1234", sink.url());
    let escaped = url.replace('/', "\\/");
    let encoded = url.replace('/', "%2F").replace('?', "%3F");
    format!(
        "{{\"error\":\"No webhook at {url}\",\"json\":\"{escaped}\",\"encoded\":\"{encoded}\"}}"
    )
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_webhook_echoing_its_url_in_a_404_body_leaks_it_nowhere() {
    let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
    sink.answer_body(&echoing_body(&sink));
    sink.answer(&[404, 404]);
    let hook = format!("{}?sig=signature-value-1234", sink.url());
    let config = generic_config(&sink, &[&feeds.url("/feed.xml")], "backlog = 1")
        .replace(&sink.url(), &hook);
    let setup = Setup::new(&config);
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    let outputs = tokio::task::spawn_blocking(move || {
        [
            setup.run(&["--log-level", "trace", "once"]),
            setup.run(&["status"]),
            setup.run(&["status", "--json"]),
            setup.run(&["test-webhook", "hook"]),
        ]
    })
    .await
    .expect("join");
    let [once, status, json, test] = outputs.map(|o| format!("{}{}", stdout(&o), stderr(&o)));
    assert!(
        once.contains("suspended") && once.contains("No webhook at"),
        "{once}"
    );
    assert!(
        status.contains("No webhook at"),
        "the reason is shown: {status}"
    );
    assert!(json.contains("No webhook at"), "{json}");
    assert!(
        test.contains("HTTP 404") && test.contains("No webhook at"),
        "{test}"
    );
    for out in [&once, &json, &test] {
        assert!(out.contains("No webhook at [redacted]"), "{out}");
    }
    for out in [once, status, json, test] {
        for secret in ["secret-token", "signature-value-1234"] {
            assert!(!out.contains(secret), "{secret} in:\n{out}");
        }
    }
}

/// Every kind of credential the config can hold, each a value no output may show, even when a
/// server writes it back.
const SECRETS: &[&str] = &[
    "webhook-path-token-0001",
    "webhook-sig-value-0002",
    "channel-header-token-0003",
    "feed-url-password-0004",
    "feed-query-token-0005",
    "feed-header-value-0006",
    "basic-password-0007",
    "bearer-token-value-0008",
    "proxy-password-0009",
];

/// The users of the feed and proxy URLs: not credentials by themselves (a server may say them),
/// but never shown by feedhook, which leaves a URL's login out.
const USERS: &[&str] = &["feed-url-user", "proxy-user"];

/// A webhook with a path token, a signature and a header; a feed with a user, a password and a token
/// in its URL and a header; one with basic auth; one with a bearer token through a proxy with a
/// login (the feed server itself, which serves by path).
fn config_with_every_secret(sink: &Sink, feeds: &FeedServer) -> String {
    let hook = sink.server.uri();
    let feed_host = feeds.server.uri().replace("http://", "");
    format!(
        r#"[channels.hook]
kind = "generic"
url = "{hook}/hook/webhook-path-token-0001?sig=webhook-sig-value-0002"
headers = {{ Authorization = "Bearer channel-header-token-0003" }}

[[feeds]]
url = "http://feed-url-user:feed-url-password-0004@{feed_host}/private.xml?apikey=feed-query-token-0005"
channels = ["hook"]
headers = {{ X-Api-Key = "feed-header-value-0006" }}
backlog = 1

[[feeds]]
name = "basic"
url = "http://{feed_host}/basic.xml"
channels = ["hook"]
basic_auth = {{ username = "reader", password = "basic-password-0007" }}
backlog = 1

[[feeds]]
name = "bearer"
url = "http://{feed_host}/bearer.xml"
channels = ["hook"]
bearer_token = "bearer-token-value-0008"
proxy = "http://proxy-user:proxy-password-0009@{feed_host}/"
backlog = 1
"#
    )
}

/// What a hostile webhook answers: a 404 that repeats every secret it could have seen, and more.
fn body_echoing_every_secret() -> String {
    let echoed: Vec<String> = SECRETS.iter().map(|s| format!("\"{s}\"")).collect();
    format!(
        "{{\"error\":\"unknown hook\",\"seen\":[{}]}}",
        echoed.join(",")
    )
}

/// The outputs of every command an operator runs, over a config holding every kind of secret,
/// against a webhook that echoes them and a feed that redirects to an invalid URL quoting its own.
async fn every_output() -> Vec<(String, String)> {
    let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
    sink.answer_body(&body_echoing_every_secret());
    sink.answer(&[404; 8]);
    let setup = Setup::new(&config_with_every_secret(&sink, &feeds));
    let invalid =
        "http://feed-url-user:feed-url-password-0004@bad host/?apikey=feed-query-token-0005";
    feeds.serve(
        "/private.xml",
        Doc::status(302).with_header("location", invalid),
    );
    for path in ["/basic.xml", "/bearer.xml"] {
        feeds.serve(path, Doc::rss(rss(&[("a", "A")])));
    }
    let private = setup.config().feeds[0].url.to_string();
    let mut outputs = tokio::task::spawn_blocking(move || {
        let commands: Vec<Vec<&str>> = vec![
            vec!["check"],
            vec!["check", "--fetch"],
            vec!["--log-level", "trace", "once"],
            vec!["--log-level", "trace", "--log-format", "json", "once"],
            vec!["status"],
            vec!["status", "--json"],
            vec!["preview", "basic"],
            vec!["preview", "bearer", "--format", "json"],
            vec!["preview", &private],
            vec!["test-webhook", "hook"],
        ];
        let mut outputs: Vec<(String, String)> = commands
            .iter()
            .map(|args| {
                let output = setup.run(args);
                (
                    args.join(" "),
                    format!("{}{}", stdout(&output), stderr(&output)),
                )
            })
            .collect();
        outputs.push(("run".into(), run_until_suspended(&setup)));
        outputs
    })
    .await
    .expect("join");
    outputs.retain(|(_, out)| !out.is_empty());
    outputs
}

/// The log of `run` from its start until it has suspended the channel again, then stopped.
fn run_until_suspended(setup: &Setup) -> String {
    let mut child = setup
        .command(&["--log-level", "trace", "run"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run starts");
    let log = process::Log::follow(&mut child);
    common::wait(log.wait_for("suspended"));
    process::signal(&child, "TERM");
    process::wait_exit(&mut child, process::PATIENCE);
    log.finish()
}

#[tokio::test(flavor = "multi_thread")]
async fn no_command_shows_a_configured_secret() {
    let outputs = every_output().await;
    assert_eq!(outputs.len(), 11, "every command printed something");
    for (command, out) in &outputs {
        for secret in SECRETS.iter().chain(USERS) {
            assert!(!out.contains(secret), "`{command}` shows {secret}:\n{out}");
        }
    }
    let all: String = outputs.iter().map(|(_, out)| out.as_str()).collect();
    assert!(
        all.contains("unknown hook"),
        "the webhook's answer is shown, redacted"
    );
    assert!(
        all.contains("/private.xml?apikey=…"),
        "the feed is shown by its redacted URL"
    );
}
