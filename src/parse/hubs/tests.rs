use url::Url;

use super::*;

fn base() -> Url {
    Url::parse("https://blog.example/feed.xml").expect("test URL")
}

fn urls(list: &[Url]) -> Vec<&str> {
    list.iter().map(Url::as_str).collect()
}

#[test]
fn atom_hub_and_self_links_are_found_at_feed_level() {
    let atom = r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
        <link rel="hub" href="https://hub.example/"/><link rel="self" href="/atom.xml"/>
        <link rel="hub" href="https://hub.example/"/>
        <entry><link rel="hub" href="https://other.example/"/></entry></feed>"#;
    let links = discover(atom, Some(&base()));
    assert_eq!(urls(&links.hubs), ["https://hub.example/"]);
    assert_eq!(
        links.topic.as_ref().map(Url::as_str),
        Some("https://blog.example/atom.xml")
    );
}

#[test]
fn rss_atom_links_are_found_and_plain_links_ignored() {
    let rss = r#"<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
        <link>https://blog.example/</link>
        <atom:link rel="self" href="https://blog.example/rss"/>
        <atom:link rel="hub" href="https://pubsubhubbub.appspot.com/"/>
        <item><title>a</title></item></channel></rss>"#;
    let links = discover(rss, Some(&base()));
    assert_eq!(urls(&links.hubs), ["https://pubsubhubbub.appspot.com/"]);
    assert_eq!(
        links.topic.as_ref().map(Url::as_str),
        Some("https://blog.example/rss")
    );
}

#[test]
fn json_feed_hubs_and_feed_url_are_found() {
    let json = r#"{"version":"https://jsonfeed.org/version/1.1","feed_url":"https://blog.example/feed.json",
        "hubs":[{"type":"WebSub","url":"https://hub.example/websub"},{"type":"x","url":"ftp://no"}],"items":[]}"#;
    let links = discover(json, Some(&base()));
    assert_eq!(urls(&links.hubs), ["https://hub.example/websub"]);
    assert_eq!(
        links.topic.as_ref().map(Url::as_str),
        Some("https://blog.example/feed.json")
    );
}

#[test]
fn a_feed_without_hub_advertises_nothing() {
    let rss = r#"<rss version="2.0"><channel><link>https://blog.example/</link></channel></rss>"#;
    assert_eq!(discover(rss, Some(&base())), HubLinks::default());
    assert_eq!(discover("not a feed", None), HubLinks::default());
}

#[test]
fn link_header_hubs_take_precedence_over_the_document() {
    let document = HubLinks {
        hubs: vec![Url::parse("https://doc-hub.example/").expect("url")],
        topic: Some(base()),
    };
    let header_hub = Url::parse("https://header-hub.example/").expect("url");
    let links = document.clone().overlaid_by([("hub", &header_hub)]);
    assert_eq!(urls(&links.hubs), ["https://header-hub.example/"]);
    assert_eq!(links.topic, Some(base()));
    assert_eq!(document.clone().overlaid_by([]), document);
}
