//! The extension elements feeds commonly carry instead of, or beside, the core ones.

use super::*;

#[test]
fn a_permalink_guid_is_the_link_of_an_item_without_one() {
    let body = rss_item(
        "<item><guid>https://example.com/posts/1</guid></item>\
         <item><guid isPermaLink=\"true\">https://example.com/posts/2</guid><link>https://example.com/p2</link></item>\
         <item><guid isPermaLink=\"false\">https://example.com/?p=3</guid></item>\
         <item><guid>opaque-4</guid></item>",
    );
    let links: Vec<_> = parse(body.as_bytes())
        .entries
        .into_iter()
        .map(|entry| entry.link)
        .collect();
    assert_eq!(
        links,
        [
            Some("https://example.com/posts/1".to_owned()),
            Some("https://example.com/p2".to_owned()),
            None,
            None
        ]
    );
}

#[test]
fn dublin_core_fills_in_for_missing_rss_elements() {
    let body = r#"<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
        <dc:title>DC feed</dc:title>
        <item><guid>1</guid><dc:title>DC title</dc:title><dc:description>DC description</dc:description>
        <dc:creator>Ann</dc:creator><dc:date>2026-02-03T04:05:06Z</dc:date>
        <dc:subject>One</dc:subject><dc:subject>Two</dc:subject></item></channel></rss>"#;
    let feed = parse(body.as_bytes());
    assert_eq!(feed.info.title.as_deref(), Some("DC feed"));
    let entry = &feed.entries[0];
    assert_eq!(entry.title.as_deref(), Some("DC title"));
    assert_eq!(entry.summary_html.as_deref(), Some("DC description"));
    assert_eq!(entry.authors, ["Ann"]);
    assert_eq!(
        entry.published.map(|d| d.to_rfc3339()).as_deref(),
        Some("2026-02-03T04:05:06+00:00")
    );
    assert_eq!(entry.categories, ["One", "Two"]);
}

#[test]
fn itunes_elements_are_read_whatever_the_namespace_case() {
    let body = r#"<rss version="2.0" xmlns:itunes="http://www.itunes.com/DTDs/Podcast-1.0.dtd"><channel>
        <item><guid>1</guid><itunes:summary>Episode summary</itunes:summary><itunes:author>Host</itunes:author>
        <itunes:image href="https://cdn.example.com/ep1.jpg"/></item></channel></rss>"#;
    let entry = only_entry(body.as_bytes());
    assert_eq!(entry.summary_html.as_deref(), Some("Episode summary"));
    assert_eq!(entry.authors, ["Host"]);
    assert_eq!(
        entry.image.as_deref(),
        Some("https://cdn.example.com/ep1.jpg")
    );
}

#[test]
fn media_rss_gives_the_summary_and_the_image() {
    let body = r#"<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>
        <item><guid>1</guid><media:group><media:title>Clip</media:title>
        <media:description>What the clip shows</media:description>
        <media:thumbnail url="https://cdn.example.com/clip.jpg"/></media:group></item></channel></rss>"#;
    let entry = only_entry(body.as_bytes());
    assert_eq!(entry.title.as_deref(), Some("Clip"));
    assert_eq!(entry.summary_html.as_deref(), Some("What the clip shows"));
    assert_eq!(
        entry.image.as_deref(),
        Some("https://cdn.example.com/clip.jpg")
    );
}

#[test]
fn json_feed_item_images_are_read() {
    let body = br#"{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [
        {"id": "1", "image": "https://cdn.example.com/1.png"},
        {"id": "2", "banner_image": "https://cdn.example.com/2.png"}]}"#;
    let images: Vec<_> = parse(body).entries.into_iter().map(|e| e.image).collect();
    assert_eq!(
        images,
        [
            Some("https://cdn.example.com/1.png".to_owned()),
            Some("https://cdn.example.com/2.png".to_owned())
        ]
    );
}

#[test]
fn well_known_prefixes_are_read_even_undeclared() {
    let body = rss_item(
        "<item><guid>1</guid><media:content url=\"https://cdn.example.com/open.png\" medium=\"image\"/>\
         <itunes:summary><![CDATA[ Line 1\n Line 2 ]]></itunes:summary></item>",
    );
    let entry = only_entry(body.as_bytes());
    assert_eq!(entry.summary_html.as_deref(), Some("Line 1\n Line 2"));
    assert_eq!(
        entry.image.as_deref(),
        Some("https://cdn.example.com/open.png")
    );
}
