/// The repaired text alone.
fn repair(text: &str) -> String {
    super::super::repair(text).text
}

#[test]
fn raw_child_elements_in_rss_text_are_escaped() {
    assert_eq!(
        repair(
            "<rss><channel><item><title>Hello <b class=\"x\">World</b><br/></title></item></channel></rss>"
        ),
        "<rss version=\"2.0\"><channel><item><title>Hello &lt;b class=\"x\"&gt;World&lt;/b&gt;&lt;br/&gt;</title></item></channel></rss>"
    );
}

#[test]
fn atom_text_with_children_becomes_html() {
    let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>Example <b>Atom</b></title><summary type="html">a <i>b</i></summary><content type="xhtml"><div><p>kept</p></div></content></feed>"#;
    assert_eq!(
        repair(atom),
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">Example &lt;b&gt;Atom&lt;/b&gt;</title><summary type="html">a &lt;i&gt;b&lt;/i&gt;</summary><content type="xhtml"><div><p>kept</p></div></content></feed>"#
    );
}

#[test]
fn base64_is_decoded_in_place() {
    let atom_03 = r#"<feed xmlns="http://purl.org/atom/ns#"><summary mode="base64" type="text/plain">
        RXhhbXBsZSA8Yj5BdG9tPC9iPg==
    </summary></feed>"#;
    assert_eq!(
        repair(atom_03),
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><summary type="text">Example &lt;b&gt;Atom&lt;/b&gt;</summary></feed>"#
    );
    let atom_10 = r#"<feed xmlns="http://www.w3.org/2005/Atom"><content type="application/octet-stream">PHA+aGk8L3A+</content><title type="application/octet-stream">not base64!</title></feed>"#;
    assert_eq!(
        repair(atom_10),
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><content type="html">&lt;p&gt;hi&lt;/p&gt;</content><title type="text">not base64!</title></feed>"#
    );
}

#[test]
fn binary_base64_is_left_alone() {
    let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><content type="image/png">iVBORw0KGgo=</content></feed>"#;
    assert_eq!(repair(atom), atom);
}

#[test]
fn atom_03_dates_get_their_atom_10_names() {
    assert_eq!(
        repair(
            r#"<feed xmlns="http://purl.org/atom/ns#"><entry><issued>2004-01-01T00:00:00Z</issued><modified>2004-01-02T00:00:00Z</modified></entry></feed>"#
        ),
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><published>2004-01-01T00:00:00Z</published><updated>2004-01-02T00:00:00Z</updated></entry></feed>"#
    );
}

#[test]
fn an_xhtml_body_becomes_content_encoded() {
    assert_eq!(
        repair(
            r#"<rss version="2.0"><channel><item><body xmlns="http://www.w3.org/1999/xhtml"><p>a<iframe src="x"/>b</p></body></item></channel></rss>"#
        ),
        r#"<rss version="2.0"><channel><item><encoded xmlns="http://purl.org/rss/1.0/modules/content/">&lt;p&gt;a&lt;iframe src="x"&gt;&lt;/iframe&gt;b&lt;/p&gt;</encoded></item></channel></rss>"#
    );
}
