use super::*;

#[test]
fn recognises_html_openings() {
    assert!(looks_like_html("\n<!DOCTYPE html>\n<html lang=en>"));
    assert!(looks_like_html("<!-- generated --><HTML><body>"));
    assert!(looks_like_html(
        "<?xml version=\"1.0\"?>\n<!doctype html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\">"
    ));
    assert!(looks_like_html("<head><title>x</title></head>"));
}

#[test]
fn feeds_are_not_html() {
    assert!(!looks_like_html(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel/></rss>"
    ));
    assert!(!looks_like_html(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><content type=\"html\">&lt;html&gt;</content></feed>"
    ));
    assert!(!looks_like_html("<htmlfeed/>"));
    assert!(!looks_like_html(
        "{\"version\": \"https://jsonfeed.org/version/1.1\"}"
    ));
}

#[test]
fn advertised_feeds_are_absolute_and_deduplicated() {
    let page = r#"<!DOCTYPE html><html><head>
        <link rel="alternate" type="application/rss+xml" href="/feed.xml">
        <link rel="Alternate" type="application/atom+xml; charset=utf-8" href="atom.xml">
        <link rel="alternate" type="application/feed+json" href="https://cdn.example.net/feed.json">
        <link rel="alternate" type="application/rss+xml" href="/feed.xml">
        <link rel="alternate" type="text/html" hreflang="fr" href="/fr/">
        <link rel="stylesheet" type="application/rss+xml" href="/not-a-feed">
        <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
        </head><body></body></html>"#;
    assert_eq!(
        advertised_feeds(page, "https://example.com/blog/index.html"),
        [
            "https://example.com/feed.xml",
            "https://example.com/blog/atom.xml",
            "https://cdn.example.net/feed.json"
        ]
    );
}

#[test]
fn base_element_changes_resolution() {
    let page = r#"<html><head><base href="/news/"><link rel="alternate" type="application/json" href="feed.json"></head></html>"#;
    assert_eq!(
        advertised_feeds(page, "https://example.com/a/b"),
        ["https://example.com/news/feed.json"]
    );
}
