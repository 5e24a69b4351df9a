use super::*;

#[test]
fn outlines_become_feeds_with_unique_names() {
    let opml = r#"<?xml version="1.0"?><opml version="2.0"><head/><body>
        <outline text="Tech"><outline text="Rust &amp; co" xmlUrl="https://blog.rust-lang.org/feed.xml"/>
        <outline title="Rust &amp; co" xmlUrl="https://example.com/b.xml"/><outline text="folder only"/></outline>
        </body></opml>"#;
    let found = outlines(opml).expect("valid OPML");
    assert_eq!(found.len(), 2);
    let toml = to_toml(&found, "ops");
    assert!(
        toml.contains("name = \"Rust & co\"") && toml.contains("name = \"Rust & co (2)\""),
        "{toml}"
    );
    let parsed: toml::Value = toml::from_str(&toml).expect("valid TOML");
    assert_eq!(parsed["feeds"].as_array().map(Vec::len), Some(2));
}

#[test]
fn a_file_that_is_not_opml_is_refused() {
    assert!(
        outlines("<rss><channel/></rss>")
            .expect_err("refused")
            .contains("not an OPML file")
    );
}

#[test]
fn malformed_xml_names_the_line() {
    let error = outlines("<opml>\n<body>\n<outline xmlUrl=\"x\">\n</wrong>").expect_err("refused");
    assert!(error.starts_with("line 4"), "{error}");
}
