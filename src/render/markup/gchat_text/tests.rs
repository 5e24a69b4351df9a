use super::*;
use crate::render::html::to_rich_text;

fn html(summary: &str) -> String {
    GchatHtml::write(&to_rich_text(summary, None))
}

#[test]
fn bold_italic_and_links_use_the_chat_tags() {
    assert_eq!(
        html(
            "<p>a <strong>bold</strong> and <em>it</em> <a href=\"https://x.example/a?b=1&amp;c=2\">link</a></p>"
        ),
        "a <b>bold</b> and <i>it</i> <a href=\"https://x.example/a?b=1&amp;c=2\">link</a>"
    );
}

#[test]
fn nested_styles_stay_well_formed() {
    assert_eq!(
        html("<p><b>new <i>parser</i></b> fast</p>"),
        "<b>new</b> <b><i>parser</i></b> fast"
    );
}

#[test]
fn feed_markup_is_escaped_and_only_generated_tags_remain() {
    assert_eq!(
        html(
            "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; <b onclick=\"x()\">b</b> <u>u</u></p>"
        ),
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; <b>b</b> u"
    );
}

#[test]
fn blocks_lists_and_quotes_are_lines() {
    let summary = "<h2>Big</h2><p>a<br>b</p><ul><li>x<ul><li>y</li></ul></li></ul>\
                   <ol start=\"3\"><li>z</li></ol><blockquote>said</blockquote>";
    assert_eq!(
        html(summary),
        "<b>Big</b><br><br>a<br>b<br><br>• x<br>\u{a0}\u{a0}\u{a0}\u{a0}• y<br><br>3. z<br><br><i>said</i>"
    );
}

#[test]
fn preformatted_indentation_survives_as_no_break_spaces() {
    assert_eq!(
        html("<pre>fn x() {\n    <b>go</b>();\n}</pre>"),
        "fn x() {<br>\u{a0}\u{a0}\u{a0}\u{a0}<b>go</b>();<br>}"
    );
}

#[test]
fn link_labels_naming_another_site_show_the_real_address() {
    assert_eq!(
        html("<p><a href=\"https://evil.example/\">https://bank.example</a></p>"),
        "<a href=\"https://evil.example/\">https://evil.example/</a>"
    );
    assert_eq!(
        html("<p><a href=\"https://evil.example/\">Sign in at bank.example</a></p>"),
        "<a href=\"https://evil.example/\">Sign in at bank.example</a> (evil.example)"
    );
}

#[test]
fn hrefs_cannot_break_out_of_their_attribute() {
    assert_eq!(
        GchatHtml::link("t", "https://x.example/\"onmouseover=\"x"),
        "<a href=\"https://x.example/&quot;onmouseover=&quot;x\">t</a>"
    );
}

#[test]
fn message_text_cannot_open_mentions_or_links() {
    assert_eq!(
        neutralise_message_text("<users/all> <https://evil.example|bank> 5 < 6 <3"),
        "‹users/all> ‹https://evil.example|bank> 5 < 6 ‹3"
    );
}
