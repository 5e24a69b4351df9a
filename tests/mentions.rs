//! Configured mentions ping, and mention syntax in feed text never does: the real binary's `once`
//! posts real feeds to local webhooks, and the bodies are read where each platform pings from
//! (Teams' `msteams.entities`, Discord's `content` and `allowed_mentions`). A feed's own
//! `mention` replaces its channel's for that feed's posts only; a digest pings the mentions of
//! every feed in it.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use std::sync::{Arc, Mutex};

use futures_util::future::BoxFuture;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

use common::hook::{queue_at, run_until, start_channel, t0};
use common::{Doc, FeedServer, Setup, Sink, rss, stderr};
use feedhook::config::Channel;
use feedhook::deliver::verdict::Verdict;
use feedhook::deliver::{Destination, Sent};
use feedhook::render::Payload;
use feedhook::store::Store;

const ALICE: &str = "alice@contoso.com";
const BOB_ID: &str = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";
/// Discord ids: a user the channel pings and one only feed text names.
const OPS_USER: &str = "123456789012345678";
const FEED_USER: &str = "876543210987654321";

/// Runs the real binary's `once` on `config`, off the async workers, and checks it succeeded.
async fn once(config: String) {
    let setup = Setup::new(&config);
    let output = tokio::task::spawn_blocking(move || setup.run(&["once"]))
        .await
        .expect("join");
    assert!(output.status.success(), "{}", stderr(&output));
}

/// Every string inside `value`.
fn strings(value: &Value) -> Vec<&str> {
    match value {
        Value::String(text) => vec![text],
        Value::Array(items) => items.iter().flat_map(strings).collect(),
        Value::Object(map) => map.values().flat_map(strings).collect(),
        _ => Vec::new(),
    }
}

fn channel(name: &str, kind: &str, sink: &Sink, keys: &str) -> String {
    format!(
        "[channels.{name}]\nkind = \"{kind}\"\nurl = \"{}\"\nrate = \"100/s\"\n{keys}\n",
        sink.url()
    )
}

fn feed(name: &str, url: &str, channels: &str, keys: &str) -> String {
    format!(
        "[[feeds]]\nname = \"{name}\"\nurl = \"{url}\"\nchannels = [{channels}]\nbacklog = 5\n{keys}\n"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn teams_pings_the_configured_users_and_never_a_user_named_in_feed_text() {
    let feeds = FeedServer::start().await;
    let tag = format!("&lt;at&gt;{ALICE}&lt;/at&gt;");
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[(
            "a",
            &format!("{tag} and &lt;at&gt;carol&lt;/at&gt;"),
        )])),
    );
    let sink = Sink::start().await;
    let mention = format!("mention = [\"{ALICE}\", \"{BOB_ID}\"]");
    let config = channel("team", "teams", &sink, &mention)
        + &feed("releases", &feeds.url("/feed.xml"), "\"team\"", "");
    once(config).await;

    let bodies = sink.bodies().await;
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    let card = &bodies[0]["attachments"][0]["content"];
    let entities = &card["msteams"]["entities"];
    let ids: Vec<&Value> = (0..2).map(|i| &entities[i]["mentioned"]["id"]).collect();
    assert_eq!(ids, [ALICE, BOB_ID], "{card:#}");
    assert_eq!(entities.as_array().map(Vec::len), Some(2));
    let body = card["body"].as_array().expect("the card's body");
    let pinging = format!("<at>{ALICE}</at> <at>{BOB_ID}</at>");
    assert_eq!(body[0]["text"], pinging.as_str());
    let feed_text: Vec<&str> = body[1..].iter().flat_map(strings).collect();
    assert!(
        feed_text.iter().any(|text| text.contains("carol")),
        "the feed's title is shown: {feed_text:?}"
    );
    for text in feed_text {
        assert!(!text.contains("<at>"), "feed text could ping: {text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_feed_with_its_own_mention_pings_and_another_on_the_same_channel_does_not() {
    let feeds = FeedServer::start().await;
    feeds.serve("/releases.xml", Doc::rss(rss(&[("r", "Release 2.0")])));
    // The quiet feed tries Discord's own mention syntax in its title.
    let hostile = format!("Blog &lt;@{FEED_USER}&gt; @everyone");
    feeds.serve("/blog.xml", Doc::rss(rss(&[("b", &hostile)])));
    let sink = Sink::start().await;
    let config = channel("ops", "discord", &sink, "")
        + &feed(
            "releases",
            &feeds.url("/releases.xml"),
            "\"ops\"",
            &format!("mention = {{ ops = [\"<@{OPS_USER}>\"] }}"),
        )
        + &feed("blog", &feeds.url("/blog.xml"), "\"ops\"", "");
    once(config).await;

    let bodies = sink.bodies().await;
    assert_eq!(bodies.len(), 2, "{bodies:?}");
    let posted = |title: &str| {
        bodies
            .iter()
            .find(|body| {
                body["embeds"][0]["title"]
                    .as_str()
                    .is_some_and(|shown| shown.contains(title))
            })
            .unwrap_or_else(|| panic!("{title} posted: {bodies:?}"))
    };
    let release = posted("Release 2.0");
    assert_eq!(release["content"], format!("<@{OPS_USER}>"));
    assert_eq!(
        release["allowed_mentions"],
        json!({ "parse": [], "users": [OPS_USER], "roles": [] })
    );
    let blog = posted("Blog");
    assert_eq!(blog.get("content"), None, "{blog:#}");
    assert_eq!(blog["allowed_mentions"], json!({ "parse": [] }));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_empty_mention_keeps_a_feed_quiet_on_a_teams_channel_that_pings() {
    let feeds = FeedServer::start().await;
    feeds.serve("/releases.xml", Doc::rss(rss(&[("r", "Release 2.0")])));
    feeds.serve("/blog.xml", Doc::rss(rss(&[("b", "Blog post")])));
    let sink = Sink::start().await;
    let config = channel("team", "teams", &sink, &format!("mention = [\"{ALICE}\"]"))
        + &feed("releases", &feeds.url("/releases.xml"), "\"team\"", "")
        + &feed(
            "blog",
            &feeds.url("/blog.xml"),
            "\"team\"",
            "mention = { team = [] }",
        );
    once(config).await;

    let bodies = sink.bodies().await;
    assert_eq!(bodies.len(), 2, "{bodies:?}");
    for body in &bodies {
        let card = &body["attachments"][0]["content"];
        let shown = strings(&card["body"]).join(" ");
        let entities = card["msteams"].get("entities");
        if shown.contains("Release 2.0") {
            assert_eq!(
                entities,
                Some(
                    &json!([{ "type": "mention", "text": format!("<at>{ALICE}</at>"), "mentioned": { "id": ALICE, "name": ALICE } }])
                )
            );
        } else {
            assert!(shown.contains("Blog post"), "{shown}");
            assert_eq!(entities, None, "the blog stays quiet: {card:#}");
            assert!(!shown.contains("<at>"), "{shown}");
        }
    }
}

/// A webhook that takes every post and keeps its body.
#[derive(Default)]
struct Recorder {
    bodies: Mutex<Vec<Value>>,
}

impl std::fmt::Display for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("recorder")
    }
}

impl Destination for Recorder {
    fn send<'a>(&'a self, _key: &'a str, payload: &'a Payload) -> BoxFuture<'a, Sent> {
        Box::pin(async move {
            if let Payload::Json(body) = payload {
                self.bodies.lock().expect("bodies").push(body.clone());
            }
            Sent::from(Verdict::Delivered)
        })
    }
}

/// The digest channel `ops` (Slack, pinging `<!channel>`) of a config where the feed `releases`
/// pings `<!here>` there instead and `blog` keeps the channel's mention.
fn digest_channel() -> Channel {
    let text = "[channels.ops]\nkind = \"slack\"\nurl = \"https://hooks.slack.com/services/T0/B0/X\"\n\
         digest = \"1h\"\nmention = [\"<!channel>\"]\n\n\
         [[feeds]]\nname = \"releases\"\nurl = \"https://a.example/\"\nchannels = [\"ops\"]\n\
         mention = { ops = [\"<!here>\"] }\n\n\
         [[feeds]]\nname = \"blog\"\nurl = \"https://b.example/\"\nchannels = [\"ops\"]\n";
    let config = Setup::new(text).config();
    config.channels["ops"].clone()
}

/// The digests `ops` posts of what `queued` put in its outbox, under simulated time.
async fn digests_of(queued: &[(&str, &[&str])]) -> Vec<Value> {
    let store = Arc::new(Store::open_in_memory().expect("an in-memory state"));
    for (feed, keys) in queued {
        queue_at(&store, feed, keys, &["ops"], t0()).await;
    }
    let recorder = Arc::new(Recorder::default());
    let stop = CancellationToken::new();
    let running = start_channel(&store, digest_channel(), Arc::clone(&recorder), &stop);
    run_until(|| !recorder.bodies.lock().expect("bodies").is_empty()).await;
    stop.cancel();
    running.await.expect("the worker stops");
    recorder.bodies.lock().expect("bodies").clone()
}

#[tokio::test(start_paused = true)]
async fn a_digest_pings_the_mentions_of_every_feed_in_it_each_once() {
    let both = digests_of(&[("releases", &["r1", "r2"]), ("blog", &["b1"])]).await;
    assert_eq!(both.len(), 1, "{both:?}");
    assert_eq!(both[0]["blocks"][0]["text"]["text"], "<!here> <!channel>");

    let blog_only = digests_of(&[("blog", &["b1", "b2"])]).await;
    assert_eq!(blog_only[0]["blocks"][0]["text"]["text"], "<!channel>");
    let releases_only = digests_of(&[("releases", &["r1"])]).await;
    assert_eq!(releases_only[0]["blocks"][0]["text"]["text"], "<!here>");
}

#[tokio::test(flavor = "multi_thread")]
async fn preview_shows_who_each_feeds_posts_would_ping() {
    let feeds = FeedServer::start().await;
    feeds.serve("/releases.xml", Doc::rss(rss(&[("r", "Release 2.0")])));
    feeds.serve("/blog.xml", Doc::rss(rss(&[("b", "Blog post")])));
    let sink = Sink::start().await;
    let config = channel("team", "teams", &sink, &format!("mention = [\"{ALICE}\"]"))
        + &feed(
            "releases",
            &feeds.url("/releases.xml"),
            "\"team\"",
            &format!("mention = {{ team = [\"{BOB_ID}\"] }}"),
        )
        + &feed("blog", &feeds.url("/blog.xml"), "\"team\"", "");
    let setup = Setup::new(&config);
    let (releases, blog) = tokio::task::spawn_blocking(move || {
        let preview = |feed| setup.run(&["preview", feed, "--format", "json"]);
        (preview("releases"), preview("blog"))
    })
    .await
    .expect("join");
    for output in [&releases, &blog] {
        assert!(output.status.success(), "{}", stderr(output));
    }
    let (releases, blog) = (
        String::from_utf8_lossy(&releases.stdout),
        String::from_utf8_lossy(&blog.stdout),
    );
    assert!(
        releases.contains(&format!("<at>{BOB_ID}</at>")),
        "{releases}"
    );
    assert!(!releases.contains(ALICE), "{releases}");
    assert!(blog.contains(&format!("<at>{ALICE}</at>")), "{blog}");
    assert!(sink.bodies().await.is_empty(), "preview posts nothing");
}
