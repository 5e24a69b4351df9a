//! What RSS titles and descriptions say reaches the entry, whether they carry HTML or text that
//! only looks like it.

use super::*;

#[test]
fn escaped_angle_brackets_in_rss_titles_stay_text() {
    let body = rss_item(
        "<item><guid>1</guid><title>Vec&lt;T&gt;::push is fast</title></item>\
         <item><guid>2</guid><title>if a &lt;b and c&gt; d</title></item>\
         <item><guid>3</guid><title><![CDATA[Option<&str> & friends]]></title></item>",
    );
    let titles: Vec<Option<String>> = parse(body.as_bytes())
        .entries
        .into_iter()
        .map(|entry| entry.title)
        .collect();
    assert_eq!(
        titles,
        [
            Some("Vec<T>::push is fast".to_owned()),
            Some("if a <b and c> d".to_owned()),
            Some("Option<&str> & friends".to_owned()),
        ]
    );
}

#[test]
fn html_in_rss_titles_is_still_read_as_html() {
    let entry = only_entry(
        rss_item(
            "<item><guid>1</guid><title>&lt;b&gt;Bold&lt;/b&gt; &amp;amp; more</title></item>",
        )
        .as_bytes(),
    );
    assert_eq!(entry.title.as_deref(), Some("Bold & more"));
}

#[test]
fn escaped_text_in_an_rss_description_reaches_the_summary_as_text() {
    let entry = only_entry(
        rss_item("<item><guid>1</guid><description>Use Vec&lt;T&gt; &amp;amp; HashMap&lt;K, V&gt;</description></item>")
            .as_bytes(),
    );
    assert_eq!(
        entry.summary_html.as_deref(),
        Some("Use Vec&lt;T&gt; &amp; HashMap&lt;K, V&gt;")
    );
}

#[test]
fn scripts_and_styles_are_not_title_text() {
    let body = rss_item(
        "<item><guid>1</guid>\
         <title>safe&lt;script&gt;location.href='https://evil.example/'&lt;/script&gt; &lt;STYLE&gt;b{}&lt;/STYLE&gt;title</title></item>",
    );
    let entry = only_entry(body.as_bytes());
    assert_eq!(entry.title.as_deref(), Some("safe title"));
}

#[test]
fn control_characters_are_dropped_from_titles() {
    let entry = only_entry(
        rss_item("<item><guid>1</guid><title>ab&#x8;cd\u{7}ef\u{1b}[31m</title></item>").as_bytes(),
    );
    assert_eq!(entry.title.as_deref(), Some("abcdef[31m"));
}

#[test]
fn atom_xhtml_content_is_the_summary() {
    let body = br#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>urn:1</id>
        <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Entry <b>content</b></p></div></content>
        </entry></feed>"#;
    let entry = only_entry(body);
    assert_eq!(
        entry.summary_html.as_deref(),
        Some("<p>Entry <b>content</b></p>")
    );
}
