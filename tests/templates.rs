//! The operator's template on a generic channel. A runaway template costs its own deliveries, never
//! the daemon: the other channels keep posting, `/healthz` answers and SIGTERM stops it. A template
//! that fails (a missing variable, an unknown filter, endless recursion) fails that delivery with
//! its reason and posts nothing; `check` renders every template for sample entries and names the
//! file, the line and the line in the template; `preview` shows the error instead of a payload.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use std::net::SocketAddr;
use std::ops::{Deref, DerefMut};
use std::process::Child;

use common::process::{Log, PATIENCE, signal, spawn_run, wait_exit, wait_for};
use common::{Doc, FeedServer, Setup, Sink, rss, stderr};

/// Ten thousand million steps: without a bound, hours of one core.
const RUNAWAY: &str =
    "{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}";

/// A generic channel `name` posting to `url`, with `template` when given (as a TOML literal
/// string: no escapes to think about).
fn channel(name: &str, url: &str, template: Option<&str>) -> String {
    let template = template.map_or_else(String::new, |t| format!("template = '''{t}'''\n"));
    format!("[channels.{name}]\nkind = \"generic\"\nurl = \"{url}\"\n{template}\n")
}

fn feed(url: &str, channels: &[&str]) -> String {
    let channels: Vec<String> = channels.iter().map(|c| format!("{c:?}")).collect();
    format!(
        "[[feeds]]\nname = \"blog\"\nurl = \"{url}\"\nchannels = [{}]\nbacklog = 3\ninterval = \"1h\"\n\n",
        channels.join(", ")
    )
}

/// The daemon, killed if the test fails before it has stopped it: a wedged daemon must not
/// outlive its test.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

impl Deref for Running {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl DerefMut for Running {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

/// The address the daemon announced for `/healthz`.
fn endpoint_address(log: &Log) -> SocketAddr {
    let text = log.text();
    let line = text
        .lines()
        .find(|line| line.contains("serving /metrics and /healthz"))
        .expect("the endpoint is announced");
    line.split_whitespace()
        .find_map(|word| word.strip_prefix("address="))
        .expect("the announcement names the address")
        .parse()
        .expect("a socket address")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_runaway_template_fails_its_own_deliveries_while_the_daemon_keeps_working() {
    let feeds = FeedServer::start().await;
    let (runaway_sink, plain_sink) = (Sink::start().await, Sink::start().await);
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("c", "C"), ("b", "B"), ("a", "A")])),
    );
    let mut config = "[http]\nlisten = \"127.0.0.1:0\"\n\n".to_owned();
    config.push_str(&channel("runaway", &runaway_sink.url(), Some(RUNAWAY)));
    config.push_str(&channel("plain", &plain_sink.url(), None));
    config.push_str(&feed(&feeds.url("/feed.xml"), &["runaway", "plain"]));
    let setup = Setup::new(&config);
    let mut child = Running(spawn_run(&setup));
    let log = Log::follow(&mut child);
    log.wait_for("serving /metrics and /healthz").await;
    let address = endpoint_address(&log);

    wait_for("the plain channel's three posts", PATIENCE, async || {
        plain_sink.titles().await.len() == 3
    })
    .await;
    wait_for(
        "the runaway channel's three failures",
        PATIENCE,
        async || {
            setup
                .channel_state("runaway")
                .is_some_and(|state| state.failed == 3 && state.pending == 0)
        },
    )
    .await;
    let health = reqwest::get(format!("http://{address}/healthz"))
        .await
        .expect("/healthz answers");
    assert_eq!(health.status().as_u16(), 200);
    assert_eq!(plain_sink.titles().await, ["A", "B", "C"]);
    assert!(
        runaway_sink.bodies().await.is_empty(),
        "nothing is posted in place of a template that did not render"
    );

    signal(&child, "TERM");
    assert_eq!(wait_exit(&mut child, PATIENCE), Some(0));
    let log = log.finish();
    let failure = log
        .lines()
        .find(|line| line.contains("channel=runaway") && line.contains("steps"))
        .unwrap_or_else(|| panic!("each failure is logged with its reason:\n{log}"));
    assert!(failure.contains("feed=blog"), "{failure}");
}

/// An RSS feed with one titled entry and one without a title (or a link).
fn titled_and_untitled() -> String {
    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><link>https://example.com/</link>\
     <description>t</description>\
     <item><guid isPermaLink=\"false\">untitled</guid><description>No title here</description>\
     <pubDate>02 Jan 2026 12:00:00 GMT</pubDate></item>\
     <item><guid isPermaLink=\"false\">titled</guid><title>Titled</title><link>https://example.com/t</link>\
     <pubDate>01 Jan 2026 12:00:00 GMT</pubDate></item>\
     </channel></rss>"
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_template_fails_its_delivery_with_the_reason_and_posts_nothing() {
    let feeds = FeedServer::start().await;
    feeds.serve("/feed.xml", Doc::rss(titled_and_untitled()));
    let broken = [
        ("missing", "{{ entry.headline }}", "entry.headline"),
        ("filter", "{{ entry.title | shout }}", "unknown filter"),
        (
            "recursion",
            "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
            "recursion",
        ),
    ];
    let (sinks, good_sink) = (
        [
            Sink::start().await,
            Sink::start().await,
            Sink::start().await,
        ],
        Sink::start().await,
    );
    let mut config = String::new();
    for ((name, template, _), sink) in broken.iter().zip(&sinks) {
        config.push_str(&channel(name, &sink.url(), Some(template)));
    }
    config.push_str(&channel(
        "good",
        &good_sink.url(),
        Some("[{{ entry.title }}]"),
    ));
    config.push_str(&feed(
        &feeds.url("/feed.xml"),
        &["missing", "filter", "recursion", "good"],
    ));
    let setup = Setup::new(&config);

    let output = setup.run(&["once"]);
    let log = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{log}");
    for ((name, _, reason), sink) in broken.iter().zip(&sinks) {
        assert!(sink.bodies().await.is_empty(), "{name}: nothing posted");
        let state = setup.channel_state(name).expect("the state exists");
        assert_eq!(state.failed, 2, "{name}: both deliveries failed");
        let logged = log
            .lines()
            .any(|line| line.contains(&format!("channel={name}")) && line.contains(reason));
        assert!(logged, "{name}: the reason {reason:?} is logged:\n{log}");
    }
    let posted = good_sink
        .server
        .received_requests()
        .await
        .unwrap_or_default();
    let bodies: Vec<String> = posted
        .iter()
        .map(|request| String::from_utf8_lossy(&request.body).into_owned())
        .collect();
    assert_eq!(
        bodies,
        ["[Titled]", "[]"],
        "an untitled entry has an empty title"
    );
}

/// The line (1-based) of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|line| line.contains(needle))
        .expect("the needle is in the text")
        + 1
}

#[test]
fn check_renders_every_template_for_sample_entries_and_names_the_lines() {
    let url = "https://hooks.example.com/hook";
    let mut config = channel("good", url, Some("{{ entry.title }} {{ feed.title }}"));
    config.push_str(&channel(
        "typo",
        url,
        Some("{\n  \"text\": {{ entry.titel | tojson }}\n}"),
    ));
    config.push_str(&channel("sparse", url, Some("{{ entry.authors[0] }}")));
    config.push_str(&feed(
        "https://example.com/feed.xml",
        &["good", "typo", "sparse"],
    ));
    let setup = Setup::new(&config);
    let written = std::fs::read_to_string(&setup.config_path).expect("the config");

    let output = setup.run(&["check"]);
    let errors = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{errors}");
    let typo_line = line_of(&written, "[channels.typo]") + 3;
    assert!(
        errors.contains(&format!(
            "feedhook.toml:{typo_line}: channels.typo.template: rendered for an entry with every field set, the template failed at line 2, in `{{{{ entry.titel | tojson }}}}`: undefined value"
        )),
        "{errors}"
    );
    let sparse_line = line_of(&written, "[channels.sparse]") + 3;
    let sparse = format!(
        "feedhook.toml:{sparse_line}: channels.sparse.template: rendered for an entry without \
         title, link, dates, authors, summary, categories or image, the template failed at line 1, \
         in `{{{{ entry.authors[0] }}}}`: undefined value"
    );
    assert!(errors.contains(&sparse), "{errors}");
    assert!(
        errors.find("channels.typo") < errors.find("channels.sparse"),
        "in file order: {errors}"
    );
    assert!(!errors.contains("channels.good"), "{errors}");
}

#[tokio::test(flavor = "multi_thread")]
async fn preview_shows_the_template_error_instead_of_a_payload() {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    let mut config = channel(
        "hook",
        &sink.url(),
        Some("line one\n{{ entry.title | shout }}"),
    );
    config.push_str(&feed(&feeds.url("/feed.xml"), &["hook"]));
    let setup = Setup::new(&config);

    let output = setup.run(&["preview", "blog"]);
    let printed = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{printed}{}",
        stderr(&output)
    );
    assert!(
        printed.contains("--- channel hook (generic): the template failed at line 2"),
        "{printed}"
    );
    assert!(printed.contains("unknown filter"), "{printed}");
    assert!(sink.bodies().await.is_empty());
}
