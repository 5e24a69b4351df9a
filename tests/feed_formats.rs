//! Every kind of feed a channel may subscribe to arrives as the same card: Atom, JSON Feed, gzip
//! transfer, and a Latin-1 feed declared only by its HTTP header.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use common::{Doc, FeedServer, Setup, Sink, generic_config};

async fn first_then_second(first: Doc, second: Doc) -> Vec<serde_json::Value> {
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    let setup = Setup::new(&generic_config(&sink, &[&feeds.url("/feed")], ""));
    feeds.serve("/feed", first);
    setup.once().await;
    feeds.serve("/feed", second);
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    sink.bodies().await
}

fn atom(entries: &[(&str, &str)]) -> String {
    let entries: String = entries
        .iter()
        .map(|(id, title)| format!("<entry><id>urn:x:{id}</id><title>{title}</title><link href=\"https://example.com/{id}\"/><updated>2026-01-0{}T00:00:00Z</updated><summary>s</summary></entry>", id.len()))
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Atom feed</title><id>urn:x:feed</id><updated>2026-01-01T00:00:00Z</updated>{entries}</feed>"
    )
}

#[tokio::test]
async fn atom_entries_are_delivered() {
    let bodies = first_then_second(
        Doc::new(atom(&[("a", "First")]), "application/atom+xml"),
        Doc::new(
            atom(&[("bb", "Second"), ("a", "First")]),
            "application/atom+xml",
        ),
    )
    .await;
    assert_eq!(bodies.len(), 1);
    assert_eq!(bodies[0]["entry"]["title"], "Second");
    assert_eq!(bodies[0]["entry"]["link"], "https://example.com/bb");
}

#[tokio::test]
async fn json_feed_entries_are_delivered() {
    let doc = |items: &str| {
        Doc::new(
            format!(
                "{{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"JSON feed\",\"items\":[{items}]}}"
            ),
            "application/feed+json",
        )
    };
    let first = r#"{"id":"1","title":"First","url":"https://example.com/1","content_text":"one"}"#;
    let second =
        r#"{"id":"2","title":"Second","url":"https://example.com/2","content_html":"<p>two</p>"}"#;
    let bodies = first_then_second(doc(first), doc(&format!("{second},{first}"))).await;
    assert_eq!(bodies.len(), 1);
    assert_eq!(bodies[0]["entry"]["title"], "Second");
}

#[tokio::test]
async fn gzip_feeds_are_decoded() {
    let doc = |body: String| Doc {
        gzip: true,
        ..Doc::rss(body)
    };
    let bodies = first_then_second(
        doc(common::rss(&[("a", "First")])),
        doc(common::rss(&[("b", "Zweiter Eintrag"), ("a", "First")])),
    )
    .await;
    assert_eq!(bodies.len(), 1);
    assert_eq!(bodies[0]["entry"]["title"], "Zweiter Eintrag");
}

#[tokio::test]
async fn latin1_feed_declared_by_http_header_decodes() {
    let latin1 = |title: &str| {
        let xml = common::rss(&[("x", title), ("a", "First")])
            .replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "");
        let bytes: Vec<u8> = xml
            .chars()
            .map(|c| u8::try_from(u32::from(c)).expect("latin-1 text"))
            .collect();
        Doc::new(bytes, "application/rss+xml; charset=ISO-8859-1")
    };
    let first = Doc::rss(common::rss(&[("a", "First")]));
    let bodies = first_then_second(first, latin1("Café à Zürich")).await;
    assert_eq!(bodies.len(), 1);
    assert_eq!(bodies[0]["entry"]["title"], "Café à Zürich");
}
