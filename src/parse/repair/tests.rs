/// The repaired text alone.
fn repair(text: &str) -> String {
    super::repair(text).text
}

#[test]
fn rss_root_without_usable_version_becomes_rss_2() {
    assert_eq!(
        repair("<rss><channel/></rss>"),
        "<rss version=\"2.0\"><channel/></rss>"
    );
    assert_eq!(
        repair("<rss version='2.01' xmlns:a='b'><channel/></rss>"),
        "<rss version=\"2.0\" xmlns:a=\"b\"><channel/></rss>"
    );
    assert_eq!(
        repair("<rss version=\"0.91\"><channel/></rss>"),
        "<rss version=\"0.91\"><channel/></rss>"
    );
}

#[test]
fn rss_without_channel_gets_one_around_its_items() {
    assert_eq!(
        repair("<rss version=\"2.0\">\n</rss>"),
        "<rss version=\"2.0\"><channel>\n</channel></rss>"
    );
    assert_eq!(
        repair("<rss><item><title>&eacute;</title></item></rss>"),
        "<rss version=\"2.0\"><channel><item><title>&#233;</title></item></channel></rss>"
    );
}

#[test]
fn declaration_loses_its_encoding_and_leading_space() {
    assert_eq!(
        repair("\n <?xml version='1.0' encoding='iso-8859-1' standalone='yes'?><x/>"),
        "<?xml version=\"1.0\" standalone=\"yes\"?><x/>"
    );
}

#[test]
fn a_misplaced_declaration_loses_its_encoding_too() {
    assert_eq!(
        repair("<!-- c --><?xml version=\"1.0\" encoding=\"utf-16\"?><x/>"),
        "<!-- c --><?xml version=\"1.0\"?><x/>"
    );
}

#[test]
fn html_entities_become_numeric_references() {
    assert_eq!(
        repair("<t>caf&eacute;&nbsp;&amp;&#233;</t>"),
        "<t>caf&#233;&#160;&amp;&#233;</t>"
    );
    assert_eq!(
        repair("<a title=\"&eacute;\">x</a>"),
        "<a title=\"&#233;\">x</a>"
    );
}

#[test]
fn broken_references_are_repaired() {
    assert_eq!(
        repair("<t>AT&T & co &#150; &#X41; &#0;</t>"),
        "<t>AT&amp;T &amp; co &#8211; &#65; &#65533;</t>"
    );
    assert_eq!(
        repair("<a href=\"/?a=1&b=2&amp;c\"/>"),
        "<a href=\"/?a=1&amp;b=2&amp;c\"/>"
    );
    assert_eq!(
        repair("<t>&#xzz; &no such;</t>"),
        "<t>&amp;#xzz; &amp;no such;</t>"
    );
}

#[test]
fn undeclared_names_and_cdata_are_left_alone() {
    let text = "<t>&custom; <![CDATA[&eacute; & <b>]]></t>";
    assert_eq!(repair(text), text);
}

#[test]
fn atom_types_are_spelled_as_feed_rs_expects() {
    let feed = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title type="TEXT">t</title><summary type="text/html">s</summary><content type="application/xhtml+xml"><div/></content><content src="/x" type="html"/></feed>"#;
    assert_eq!(
        repair(feed),
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">t</title><summary type="html">s</summary><content type="xhtml"><div/></content><content src="/x" type="text/html"/></feed>"#
    );
}

#[test]
fn atom_03_namespace_becomes_atom_10() {
    assert_eq!(
        repair(
            r#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title type="text/plain">t</title></feed>"#
        ),
        r#"<feed version="0.3" xmlns="http://www.w3.org/2005/Atom"><title type="text">t</title></feed>"#
    );
}

#[test]
fn types_outside_atom_are_untouched() {
    let rss = r#"<rss version="2.0"><channel><title type="TEXT">t</title><enclosure type="audio/mpeg"/></channel></rss>"#;
    assert_eq!(repair(rss), rss);
}

#[test]
fn media_texts_get_valid_types_and_empty_ones_go() {
    let rss = r#"<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><item><media:title type="text/html">t</media:title><media:description></media:description><media:title/></item></channel></rss>"#;
    assert_eq!(
        repair(rss),
        r#"<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><item><media:title type="html">t</media:title></item></channel></rss>"#
    );
}

#[test]
fn a_broken_document_keeps_its_earlier_repairs() {
    assert_eq!(
        repair("<rss><channel><title>&eacute;</title><item"),
        "<rss version=\"2.0\"><channel><title>&#233;</title><item"
    );
}

#[test]
fn declared_entities_are_expanded_as_text() {
    assert_eq!(
        repair(
            "<!DOCTYPE rss [<!ENTITY id \"tag:a<b>,\">]><rss version=\"2.0\"><channel><guid>&id;1</guid></channel></rss>"
        ),
        "<!DOCTYPE rss [<!ENTITY id \"tag:a<b>,\">]><rss version=\"2.0\"><channel><guid>tag:a&lt;b&gt;,1</guid></channel></rss>"
    );
}

#[test]
fn a_truncated_last_end_tag_is_closed() {
    assert_eq!(
        repair("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title></feed\n"),
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title></feed\n>"
    );
}

#[test]
fn userland_rss_namespace_is_dropped() {
    assert_eq!(
        repair("<rss version=\"2.0\" xmlns=\"http://backend.userland.com/rss2\"><channel/></rss>"),
        "<rss version=\"2.0\"><channel/></rss>"
    );
}

#[test]
fn namespace_variants_become_the_ones_feed_rs_knows() {
    assert_eq!(
        repair(
            r#"<rdf:RDF xmlns="http://my.netscape.com/rdf/simple/0.9/" xmlns:itunes="http://www.itunes.com/DTDs/Podcast-1.0.dtd"/>"#
        ),
        r#"<rdf:RDF xmlns="http://purl.org/rss/1.0/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"/>"#
    );
}

#[test]
fn entries_are_counted() {
    let rss = "<rss><channel><item/><item><title>t</title><item/></item></channel><item/></rss>";
    assert_eq!(
        super::repair(rss).entries,
        3,
        "an item nested in another is not an entry"
    );
    let atom =
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry/><entry><source/></entry></feed>"#;
    assert_eq!(super::repair(atom).entries, 2);
}

#[test]
fn well_known_prefixes_used_without_a_declaration_are_declared() {
    assert_eq!(
        repair(
            "<rss><channel><item><media:thumbnail url=\"x\"/><itunes:summary>s</itunes:summary><foo:bar/></item></channel></rss>"
        ),
        "<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" xmlns:media=\"http://search.yahoo.com/mrss/\"><channel><item><media:thumbnail url=\"x\"/><itunes:summary>s</itunes:summary><foo:bar/></item></channel></rss>"
    );
}

#[test]
fn media_content_gets_a_type_from_its_medium() {
    assert_eq!(
        repair(
            r#"<rss xmlns:media="http://search.yahoo.com/mrss/"><media:content url="x" medium="image"/><media:content url="y" medium="image" type="image/png"/></rss>"#
        ),
        r#"<rss xmlns:media="http://search.yahoo.com/mrss/" version="2.0"><channel><media:content url="x" medium="image" type="image/*"/><media:content url="y" medium="image" type="image/png"/></channel></rss>"#
    );
}
