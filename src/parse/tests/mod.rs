//! `parse_feed` end to end, on small inline documents.

use super::*;

const FEED_URL: &str = "https://example.com/blog/feed.xml";

fn parse(body: &[u8]) -> ParsedFeed {
    parse_feed(body, None, FEED_URL).expect("the document parses")
}

fn only_entry(body: &[u8]) -> Entry {
    let mut feed = parse(body);
    assert_eq!(feed.entries.len(), 1, "{feed:?}");
    feed.entries.remove(0)
}

fn rss_item(item: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Blog</title><link>https://example.com/</link>{item}</channel></rss>"
    )
}

#[test]
fn rss_2_maps_every_field() {
    let body = rss_item(
        r#"<item xmlns:dc="http://purl.org/dc/elements/1.1/"><guid isPermaLink="false"> tag:example.com,2024:1 </guid>
        <title>First &amp;amp; best</title><link>https://example.com/posts/1</link>
        <pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate><dc:creator>Ann</dc:creator>
        <author>bob@example.com (Bob)</author><category>rust</category><category>rust</category>
        <description>&lt;p&gt;Hello&lt;/p&gt;</description></item>"#,
    );
    let feed = parse(body.as_bytes());
    assert_eq!(
        feed.info,
        FeedInfo {
            title: Some("Blog".into()),
            link: Some("https://example.com/".into())
        }
    );
    let entry = &feed.entries[0];
    assert_eq!(entry.key, "tag:example.com,2024:1");
    assert_eq!(entry.id.as_deref(), Some("tag:example.com,2024:1"));
    assert_eq!(entry.title.as_deref(), Some("First & best"));
    assert_eq!(entry.link.as_deref(), Some("https://example.com/posts/1"));
    assert_eq!(
        entry.published.map(|d| d.to_rfc3339()).as_deref(),
        Some("2024-01-02T10:00:00+00:00")
    );
    assert_eq!(entry.updated, None, "RSS has no update date");
    assert_eq!(entry.authors, ["Ann", "Bob"]);
    assert_eq!(entry.categories, ["rust"]);
    assert_eq!(entry.summary_html.as_deref(), Some("<p>Hello</p>"));
}

#[test]
fn atom_maps_every_field() {
    let body = br#"<?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom"><title type="html">&lt;b&gt;Atom&lt;/b&gt; blog</title>
        <link rel="self" href="/feed.atom"/><link href="https://example.com/"/>
        <author><name>Ann</name></author><id>urn:feed</id><updated>2024-01-03T00:00:00Z</updated>
        <entry><id>urn:uuid:1</id><title type="text">1 &lt; 2</title>
          <link rel="alternate" type="text/html" href="/posts/1"/><link rel="enclosure" type="image/png" href="https://cdn.example.com/1.png"/>
          <published>2024-01-02T00:00:00Z</published><updated>2024-01-03T00:00:00Z</updated>
          <category term="t" label="Topic"/><summary type="text">a &lt; b</summary><content type="html">&lt;p&gt;full&lt;/p&gt;</content>
        </entry></feed>"#;
    let feed = parse(body);
    assert_eq!(feed.info.title.as_deref(), Some("Atom blog"));
    assert_eq!(feed.info.link.as_deref(), Some("https://example.com/"));
    let entry = &feed.entries[0];
    assert_eq!(entry.key, "urn:uuid:1");
    assert_eq!(entry.title.as_deref(), Some("1 < 2"));
    assert_eq!(entry.link.as_deref(), Some("https://example.com/posts/1"));
    assert!(entry.published.is_some() && entry.updated > entry.published);
    assert_eq!(entry.authors, ["Ann"], "entries inherit the feed's author");
    assert_eq!(entry.categories, ["Topic"]);
    assert_eq!(
        entry.summary_html.as_deref(),
        Some("a &lt; b"),
        "text summaries are escaped"
    );
    assert_eq!(
        entry.image.as_deref(),
        Some("https://cdn.example.com/1.png")
    );
}

#[test]
fn json_feed_maps_every_field() {
    let body = br#"{"version": "https://jsonfeed.org/version/1.1", "title": "JSON blog",
        "home_page_url": "https://example.com/", "feed_url": "https://example.com/feed.json",
        "items": [{"id": 7, "url": "posts/7", "title": "Seven", "content_html": "<p>7</p>", "content_text": "7",
        "date_published": "2024-01-02T00:00:00Z", "tags": ["a"], "authors": [{"name": "Ann"}],
        "attachments": [{"url": "https://cdn.example.com/7.jpg", "mime_type": "image/jpeg"}]}]}"#;
    let feed = parse(body);
    assert_eq!(feed.info.link.as_deref(), Some("https://example.com/"));
    let entry = &feed.entries[0];
    assert_eq!((entry.key.as_str(), entry.id.as_deref()), ("7", Some("7")));
    assert_eq!(
        entry.link.as_deref(),
        Some("https://example.com/blog/posts/7")
    );
    assert_eq!(entry.summary_html.as_deref(), Some("<p>7</p>"));
    assert_eq!(
        (entry.authors.as_slice(), entry.categories.as_slice()),
        (&["Ann".to_owned()][..], &["a".to_owned()][..])
    );
    assert_eq!(
        entry.image.as_deref(),
        Some("https://cdn.example.com/7.jpg")
    );
}

#[test]
fn rss_1_entries_are_keyed_by_link() {
    let body = br#"<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
        <channel rdf:about="https://example.com/"><title>RDF</title><link>https://example.com/</link></channel>
        <item rdf:about="https://example.com/a"><title>A</title><link>https://example.com/a</link></item></rdf:RDF>"#;
    let entry = only_entry(body);
    assert_eq!(
        (entry.key.as_str(), entry.id),
        ("https://example.com/a", None)
    );
}

#[test]
fn guidless_entries_are_keyed_by_their_link() {
    let entry =
        only_entry(rss_item("<item><title>T</title><link>/posts/2</link></item>").as_bytes());
    assert_eq!(entry.id, None);
    assert_eq!(entry.key, "https://example.com/posts/2");
}

#[test]
fn entries_without_guid_or_link_get_a_stable_content_hash() {
    let body = rss_item(
        "<item><title>Only a title</title><description>and text</description></item><item><description>bare</description></item>",
    );
    let first = parse(body.as_bytes());
    let second = parse(body.as_bytes());
    let keys: Vec<&str> = first.entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        second
            .entries
            .iter()
            .map(|e| e.key.as_str())
            .collect::<Vec<_>>()
    );
    assert!(
        keys.iter()
            .all(|key| key.starts_with("sha256:") && key.len() == 7 + 64),
        "{keys:?}"
    );
    assert_ne!(keys[0], keys[1]);
    assert!(
        first
            .entries
            .iter()
            .all(|e| e.id.is_none() && e.link.is_none())
    );
}

#[test]
fn iso_8859_1_body_is_read_with_the_header_charset() {
    let body = b"<rss version=\"2.0\"><channel><item><title>Caf\xE9 cr\xE8me</title></item></channel></rss>";
    let feed = parse_feed(body, Some("ISO-8859-1"), FEED_URL).expect("parses");
    assert_eq!(feed.entries[0].title.as_deref(), Some("Café crème"));
}

#[test]
fn utf_16_in_both_byte_orders_is_read() {
    let doc = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss version=\"2.0\"><channel><item><title>Zoë</title></item></channel></rss>";
    let big: Vec<u8> = doc.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let little: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(doc.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    for body in [big, little] {
        assert_eq!(only_entry(&body).title.as_deref(), Some("Zoë"));
    }
}

#[test]
fn rss_without_version_is_read_as_rss_2() {
    let entry = only_entry(b"<rss><channel><item><guid>g</guid></item></channel></rss>");
    assert_eq!(entry.key, "g");
}

#[test]
fn html_page_reports_the_feeds_it_advertises() {
    let page = br#"<!DOCTYPE html><html><head><title>Blog</title>
        <link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body>moved</body></html>"#;
    match parse_feed(page, None, FEED_URL) {
        Err(ParseError::HtmlPage { advertised }) => {
            assert_eq!(advertised, ["https://example.com/rss.xml"]);
        }
        other => panic!("expected HtmlPage, got {other:?}"),
    }
}

#[test]
fn garbage_is_invalid() {
    for body in [
        &b"\x00\x01garbage"[..],
        b"",
        b"<unknown/>",
        b"{\"not\": \"a feed\"}",
    ] {
        assert!(
            matches!(
                parse_feed(body, None, FEED_URL),
                Err(ParseError::Invalid(_))
            ),
            "{body:?}"
        );
    }
}

#[test]
fn html_entities_in_titles_are_decoded() {
    let entry = only_entry(
        rss_item(
            "<item><title>Caf&eacute; &#8220;Noir&#8221; &hellip;</title><guid>x</guid></item>",
        )
        .as_bytes(),
    );
    assert_eq!(entry.title.as_deref(), Some("Café \u{201C}Noir\u{201D} …"));
}

#[test]
fn relative_links_resolve_and_javascript_links_are_dropped() {
    let body = rss_item(
        "<item><link>../about</link></item><item><link>javascript:alert(1)</link><title>x</title></item>",
    );
    let feed = parse(body.as_bytes());
    assert_eq!(
        feed.entries[0].link.as_deref(),
        Some("https://example.com/about")
    );
    assert_eq!(feed.entries[1].link, None);
    assert!(
        feed.entries[1].key.starts_with("sha256:"),
        "a javascript: link is no key either"
    );
}

#[test]
fn images_prefer_thumbnails_and_require_https() {
    let media = r#"xmlns:media="http://search.yahoo.com/mrss/""#;
    let thumbnail = format!(
        r#"<item {media}><guid>1</guid><media:content url="https://cdn.example.com/big.jpg" type="image/jpeg"/>
        <media:thumbnail url="https://cdn.example.com/thumb.jpg"/></item>"#
    );
    assert_eq!(
        only_entry(rss_item(&thumbnail).as_bytes()).image.as_deref(),
        Some("https://cdn.example.com/thumb.jpg")
    );
    let enclosure = r#"<item><guid>2</guid><enclosure url="https://cdn.example.com/e.png" type="image/png" length="1"/></item>"#;
    assert_eq!(
        only_entry(rss_item(enclosure).as_bytes()).image.as_deref(),
        Some("https://cdn.example.com/e.png")
    );
    let insecure = r#"<item><guid>3</guid><enclosure url="http://cdn.example.com/e.png" type="image/png" length="1"/></item>"#;
    assert_eq!(only_entry(rss_item(insecure).as_bytes()).image, None);
    let audio = r#"<item><guid>4</guid><enclosure url="https://cdn.example.com/a.mp3" type="audio/mpeg" length="1"/></item>"#;
    assert_eq!(only_entry(rss_item(audio).as_bytes()).image, None);
}

#[test]
fn a_feed_rs_panic_is_contained() {
    // feed-rs parses Media RSS play times with `unwrap` on a number that overflows u64.
    let item = r#"<item xmlns:media="http://search.yahoo.com/mrss/"><media:text start="99999999999999999999999:00:00">x</media:text></item>"#;
    match parse_feed(rss_item(item).as_bytes(), None, FEED_URL) {
        Err(ParseError::ParserPanicked(message)) => {
            assert!(message.contains("feed-rs"), "{message}");
        }
        other => panic!("expected ParserPanicked, got {other:?}"),
    }
}

mod extensions;
mod legacy;
mod markup;

/// Well-formed dates are read as they are, and the usual malformations still through feed-rs's
/// repairs: both ways give the instant the publisher meant.
#[test]
fn published_dates_read_well_formed_or_repaired() {
    let cases = [
        ("Tue, 02 Jan 2024 10:00:00 GMT", "2024-01-02T10:00:00+00:00"),
        (
            "Tue, 02 Jan 2024 10:00:00 +0100",
            "2024-01-02T09:00:00+00:00",
        ),
        (
            "  Tue, 02 Jan 2024 10:00:00 -0000 ",
            "2024-01-02T10:00:00+00:00",
        ),
        ("2024-01-02T10:00:00+01:00", "2024-01-02T09:00:00+00:00"),
        ("2024-01-02T10:00:00.5Z", "2024-01-02T10:00:00.500+00:00"),
        // Repaired: a weekday that is wrong or spelled out, UTC, a long month, month before day,
        // a one-digit hour, a date alone, an offset without its colon.
        ("Sat, 02 Jan 2024 10:00:00 GMT", "2024-01-02T10:00:00+00:00"),
        (
            "Thurs, 04 Jan 2024 10:00:00 UTC",
            "2024-01-04T10:00:00+00:00",
        ),
        (
            "Tue, 02 January 2024 10:00:00 GMT",
            "2024-01-02T10:00:00+00:00",
        ),
        ("Tue, Jan 02 2024 10:00:00 GMT", "2024-01-02T10:00:00+00:00"),
        ("Tue, 02 Jan 2024 9:05:00 GMT", "2024-01-02T09:05:00+00:00"),
        ("2024-01-02", "2024-01-02T00:00:00+00:00"),
        ("2024-01-02T10:00:00+0100", "2024-01-02T09:00:00+00:00"),
    ];
    for (published, expected) in cases {
        let body = rss_item(&format!(
            "<item><guid>urn:1</guid><pubDate>{published}</pubDate></item>"
        ));
        let entry = only_entry(body.as_bytes());
        assert_eq!(
            entry.published.map(|d| d.to_rfc3339()).as_deref(),
            Some(expected),
            "{published}"
        );
    }
}
