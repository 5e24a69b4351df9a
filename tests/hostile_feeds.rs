//! Feeds written to hurt the parser: entity expansion bombs, external entities, absurd nesting. Each
//! must end quickly, read no file and reach no network, and never panic.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

use feedhook::parse::parse_feed;

const URL: &str = "https://example.com/feed.xml";

fn rss_with(doctype: &str, title: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>{doctype}<rss version=\"2.0\"><channel><title>t</title><link>https://example.com/</link>\
         <description>d</description><item><guid>1</guid><title>{title}</title></item></channel></rss>"
    )
}

#[test]
fn a_billion_laughs_does_not_expand() {
    let mut doctype = String::from("<!DOCTYPE rss [<!ENTITY lol \"lol\">");
    for level in 1..10 {
        let previous = if level == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", level - 1)
        };
        doctype.push_str(&format!(
            "<!ENTITY lol{level} \"{}\">",
            format!("&{previous};").repeat(10)
        ));
    }
    doctype.push_str("]>");
    let body = rss_with(&doctype, "&lol9;");
    let parsed = parse_feed(body.as_bytes(), None, URL);
    if let Ok(feed) = parsed {
        let title = feed.entries[0].title.clone().unwrap_or_default();
        assert!(title.len() < 10_000, "expanded to {} bytes", title.len());
    }
}

#[test]
fn external_entities_are_not_read() {
    let doctype = "<!DOCTYPE rss [<!ENTITY secret SYSTEM \"file:///etc/passwd\"><!ENTITY remote SYSTEM \"http://127.0.0.1:9/x\">]>";
    let body = rss_with(doctype, "a &secret; b &remote; c");
    if let Ok(feed) = parse_feed(body.as_bytes(), None, URL) {
        let title = feed.entries[0].title.clone().unwrap_or_default();
        assert!(!title.contains("root:"), "{title}");
    }
}

#[test]
fn deep_nesting_ends_without_a_crash() {
    let depth = 100_000;
    let body = format!(
        "<rss version=\"2.0\"><channel><title>t</title><item><guid>1</guid><description>{}{}</description></item></channel></rss>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let _ = parse_feed(body.as_bytes(), None, URL);
    let nested_elements = format!(
        "<rss version=\"2.0\"><channel>{}{}</channel></rss>",
        "<x>".repeat(depth),
        "</x>".repeat(depth)
    );
    let _ = parse_feed(nested_elements.as_bytes(), None, URL);
}

#[test]
fn deeply_nested_html_in_a_summary_renders_without_a_crash() {
    use feedhook::config::{ChannelKind, ChannelOptions};
    use feedhook::parse::{Entry, FeedInfo};
    use feedhook::render::{Card, render};
    let entry = Entry {
        key: "k".into(),
        title: Some("t".into()),
        summary_html: Some(format!(
            "{}x{}",
            "<div><b>".repeat(20_000),
            "</b></div>".repeat(20_000)
        )),
        ..Entry::default()
    };
    let info = FeedInfo::default();
    let card = Card {
        feed_name: "f",
        feed_url: URL,
        feed: &info,
        entry: &entry,
    };
    for kind in ChannelKind::ALL {
        render(kind, &ChannelOptions::default(), &card).expect("renders");
    }
}
