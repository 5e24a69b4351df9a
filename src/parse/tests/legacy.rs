//! Older formats and publishing mistakes that feeds still carry: what they say must reach the
//! entry all the same.

use super::*;

#[test]
fn a_windows_1252_character_in_a_mislabelled_feed_is_kept() {
    // The publisher converted windows-1252 text as if it were Latin-1: 0x92 became U+0092.
    let body = rss_item("<item><guid>1</guid><title>don\u{92}t panic</title></item>");
    assert_eq!(
        only_entry(body.as_bytes()).title.as_deref(),
        Some("don\u{2019}t panic")
    );
}

#[test]
fn base64_content_is_decoded() {
    let atom_03 = br#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><id>urn:1</id>
        <title mode="base64">RW50cnkgVGl0bGU=</title>
        <summary type="text/html" mode="base64">PHA+SGlzdG9yeSBvZiB0aGUgJmx0O2JsaW5rJmd0OyB0YWc8L3A+</summary></entry></feed>"#;
    let entry = only_entry(atom_03);
    assert_eq!(entry.title.as_deref(), Some("Entry Title"));
    assert_eq!(
        entry.summary_html.as_deref(),
        Some("<p>History of the &lt;blink&gt; tag</p>")
    );
    let atom_10 = br#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>urn:1</id>
        <content type="application/octet-stream">RW50cnkgQ29udGVudA==</content></entry></feed>"#;
    assert_eq!(
        only_entry(atom_10).summary_html.as_deref(),
        Some("Entry Content")
    );
}

#[test]
fn atom_03_issued_and_modified_are_the_entry_dates() {
    let body = br#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><id>urn:1</id>
        <issued>2004-01-01T19:48:21Z</issued><modified>Sun, 06 Jul 2014 12:56:00 GMT</modified></entry></feed>"#;
    let entry = only_entry(body);
    assert_eq!(
        entry.published.map(|d| d.to_rfc3339()).as_deref(),
        Some("2004-01-01T19:48:21+00:00")
    );
    assert_eq!(
        entry.updated.map(|d| d.to_rfc3339()).as_deref(),
        Some("2014-07-06T12:56:00+00:00")
    );
}

#[test]
fn an_internal_dtd_entity_is_expanded() {
    let body = br#"<?xml version="1.0"?>
        <!DOCTYPE rss [ <!ENTITY id "tag:example.com,"> <!ENTITY who "Ann &amp; Bob"> ]>
        <rss version="2.0"><channel><item><guid isPermaLink="false">&id;2006-05-04:/blog/</guid>
        <title>By &who;</title></item></channel></rss>"#;
    let entry = only_entry(body);
    assert_eq!(
        entry.id.as_deref(),
        Some("tag:example.com,2006-05-04:/blog/")
    );
    assert_eq!(entry.title.as_deref(), Some("By Ann & Bob"));
}

#[test]
fn titles_with_raw_child_elements_keep_their_text() {
    let rss = rss_item(
        "<item><guid>1</guid><title>Hello <b>World</b></title><description><p>Raw <i>markup</i></p></description></item>",
    );
    let entry = only_entry(rss.as_bytes());
    assert_eq!(entry.title.as_deref(), Some("Hello World"));
    assert_eq!(
        entry.summary_html.as_deref(),
        Some("<p>Raw <i>markup</i></p>")
    );
    let atom = br#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>urn:1</id>
        <title>Example <b>Atom</b></title></entry></feed>"#;
    assert_eq!(only_entry(atom).title.as_deref(), Some("Example Atom"));
}

#[test]
fn an_xhtml_body_is_the_summary_of_an_rss_item() {
    let entry = only_entry(
        rss_item(
            r#"<item><guid>1</guid><body xmlns="http://www.w3.org/1999/xhtml"><p>Full <a href="/x">text</a></p></body></item>"#,
        )
        .as_bytes(),
    );
    assert_eq!(
        entry.summary_html.as_deref(),
        Some(r#"<p>Full <a href="/x">text</a></p>"#)
    );
}

#[test]
fn rss_1_items_without_a_link_are_kept() {
    let body = br#"<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
        <channel rdf:about="https://example.com/"><title>RDF</title><link>https://example.com/</link></channel>
        <item rdf:about="https://example.com/a"><title>Linked</title><link>https://example.com/a</link></item>
        <item><title>Announcement without a link</title><description>still news</description></item></rdf:RDF>"#;
    let feed = parse(body);
    assert_eq!(feed.unread_entries, 0);
    let titles: Vec<_> = feed.entries.iter().map(|e| e.title.as_deref()).collect();
    assert_eq!(
        titles,
        [Some("Linked"), Some("Announcement without a link")]
    );
    assert!(feed.entries[1].key.starts_with("sha256:"));
}

#[test]
fn rss_0_90_items_are_read() {
    let body = br#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
        <channel><title>Old</title><link>https://example.com/</link></channel>
        <item><title>Item title</title></item></rdf:RDF>"#;
    let feed = parse(body);
    assert_eq!(feed.info.title.as_deref(), Some("Old"));
    assert_eq!(only_entry(body).title.as_deref(), Some("Item title"));
}

#[test]
fn rss_items_outside_a_channel_are_read() {
    let entry = only_entry(b"<rss><item><guid>x</guid><title>Loose item</title></item></rss>");
    assert_eq!(entry.title.as_deref(), Some("Loose item"));
}

#[test]
fn entries_the_parser_cannot_read_are_counted() {
    // RSS 1.0 puts items beside the channel; feed-rs reads none inside it.
    let body = br#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
        <channel><title>t</title><link>https://example.com/</link><item><title>inside</title></item></channel>
        <item><title>beside</title></item></rdf:RDF>"#;
    let feed = parse(body);
    assert_eq!((feed.entries.len(), feed.unread_entries), (1, 1));
}
