//! Every chat platform receives a correct card from a real poll: one feed, one channel per kind,
//! each posting to its own local sink.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use common::{Doc, FeedServer, Setup, Sink, rss};

/// Each kind, the extra channel keys it is given, and what its body must hold.
type Check = fn(&serde_json::Value) -> bool;

const KINDS: [(&str, &str, Check); 9] = [
    ("teams", "", |b| {
        b["attachments"][0]["content"]["version"] == "1.4"
    }),
    ("teams-messagecard", "", |b| b["@type"] == "MessageCard"),
    ("slack", "username = \"feedhook\"", |b| {
        b["blocks"].is_array() && b["text"].is_string() && b["username"] == "feedhook"
    }),
    ("discord", "username = \"feedhook\"", |b| {
        b["embeds"][0]["title"].is_string()
            && b["allowed_mentions"]["parse"] == serde_json::json!([])
    }),
    ("mattermost", "channel = \"town-square\"", |b| {
        b["text"].as_str().is_some_and(|t| t.contains("Second")) && b["channel"] == "town-square"
    }),
    ("google-chat", "", |b| b["cardsV2"][0]["card"].is_object()),
    ("ntfy", "", |b| {
        b["topic"] == "secret-token" && b["title"] == "Second"
    }),
    ("rocketchat", "username = \"feedhook\"", |b| {
        b["attachments"][0]["title"] == "Second" && b["alias"] == "feedhook"
    }),
    ("generic", "", |b| b["entry"]["title"] == "Second"),
];

#[tokio::test(flavor = "multi_thread")]
async fn every_kind_posts_one_correct_card() {
    let feeds = FeedServer::start().await;
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("b", "Second"), ("a", "First")])),
    );
    let mut config = String::new();
    let mut sinks = Vec::new();
    for (kind, extra, _) in KINDS {
        let sink = Sink::start().await;
        if kind == "teams-messagecard" {
            sink.answer_body("1");
        }
        let name = kind.replace('-', "_");
        config.push_str(&format!(
            "[channels.{name}]\nkind = \"{kind}\"\nurl = \"{}\"\n{extra}\nrate = \"100/s\"\n\n",
            sink.url()
        ));
        sinks.push(sink);
    }
    let names: Vec<String> = KINDS
        .iter()
        .map(|(k, _, _)| format!("\"{}\"", k.replace('-', "_")))
        .collect();
    config.push_str(&format!(
        "[[feeds]]\nurl = \"{}\"\nchannels = [{}]\nbacklog = 1\n",
        feeds.url("/feed.xml"),
        names.join(", ")
    ));
    let setup = Setup::new(&config);
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    for ((kind, _, check), sink) in KINDS.iter().zip(&sinks) {
        let bodies = sink.bodies().await;
        assert_eq!(bodies.len(), 1, "{kind}: {bodies:?}");
        assert!(check(&bodies[0]), "{kind}: {:#}", bodies[0]);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn generic_posts_carry_headers_and_a_stable_idempotency_key() {
    let feeds = FeedServer::start().await;
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "A")])));
    let sink = Sink::start().await;
    sink.answer(&[503]);
    let config = format!(
        "[channels.hook]\nkind = \"generic\"\nurl = \"{}\"\nheaders = {{ \"X-Token\" = \"abc\" }}\n\n[[feeds]]\nurl = \"{}\"\nchannels = [\"hook\"]\nbacklog = 1\n",
        sink.url(),
        feeds.url("/feed.xml")
    );
    let setup = Setup::new(&config);
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    let requests = sink.server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 2, "one failure, one retry");
    let keys: Vec<_> = requests
        .iter()
        .map(|r| r.headers.get("idempotency-key").cloned())
        .collect();
    assert!(keys[0].is_some() && keys[0] == keys[1], "{keys:?}");
    assert!(
        requests
            .iter()
            .all(|r| r.headers.get("x-token").is_some_and(|v| v == "abc"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_generic_template_shapes_the_body() {
    let feeds = FeedServer::start().await;
    feeds.serve("/feed.xml", Doc::rss(rss(&[("a", "Tom & \"Jerry\"")])));
    let sink = Sink::start().await;
    let config = format!(
        "[channels.hook]\nkind = \"generic\"\nurl = \"{}\"\ntemplate = '{{\"message\": {{{{ entry.title | tojson }}}}, \"from\": {{{{ feed.name | tojson }}}}}}'\n\n[[feeds]]\nname = \"blog\"\nurl = \"{}\"\nchannels = [\"hook\"]\nbacklog = 1\n",
        sink.url(),
        feeds.url("/feed.xml")
    );
    let setup = Setup::new(&config);
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    assert_eq!(
        sink.bodies().await,
        [serde_json::json!({"message": "Tom & \"Jerry\"", "from": "blog"})]
    );
}
