use super::*;
use crate::render::html::to_rich_text;

fn mrkdwn(html: &str) -> String {
    SlackMrkdwn::write(&to_rich_text(html, None))
}

#[test]
fn bold_italic_and_links_use_mrkdwn() {
    let html = "<p>a <b>bold</b> and <i>italic</i> <a href=\"https://x.example/a\">link</a></p>";
    assert_eq!(
        mrkdwn(html),
        "a *bold* and _italic_ <https://x.example/a|link>"
    );
}

#[test]
fn control_characters_of_feed_text_become_entities() {
    assert_eq!(
        SlackMrkdwn::escape(
            "<!channel> <@U024BE7LH> <#C1> <!subteam^S1> <https://evil.example|bank> AT&T",
            false
        ),
        "&lt;!channel&gt; &lt;@U024BE7LH&gt; &lt;#C1&gt; &lt;!subteam^S1&gt; \
         &lt;https://evil.example|bank&gt; AT&amp;T"
    );
}

#[test]
fn formatting_characters_at_word_edges_become_full_width() {
    assert_eq!(
        SlackMrkdwn::escape("*bold* _it_ ~strike~ `code` 5 * 3", false),
        "＊bold＊ ＿it＿ ～strike～ ｀code｀ 5 ＊ 3"
    );
}

#[test]
fn formatting_characters_inside_words_stay_ascii_except_backticks() {
    assert_eq!(
        SlackMrkdwn::escape("snake_case a*b*c x~y a`b", false),
        "snake_case a*b*c x~y a｀b"
    );
}

#[test]
fn a_quote_marker_at_a_line_start_is_defused() {
    assert_eq!(
        SlackMrkdwn::escape("> quote > not", true),
        "＞ quote &gt; not"
    );
    assert_eq!(mrkdwn("<p>&gt; fake quote</p>"), "＞ fake quote");
}

#[test]
fn link_urls_cannot_end_early() {
    assert_eq!(
        SlackMrkdwn::link("t", "https://x.example/a?b=1&c=|d"),
        "<https://x.example/a?b=1&amp;c=%7Cd|t>"
    );
}

#[test]
fn link_labels_stay_plain_and_emphasis_closes_around_them() {
    let html = "<p><b>new <a href=\"https://x.example/\">parser</a> fast</b></p>";
    assert_eq!(mrkdwn(html), "*new* <https://x.example/|parser> *fast*");
}

#[test]
fn emphasis_inside_a_word_is_dropped_rather_than_shown_as_asterisks() {
    assert_eq!(mrkdwn("<p><b>API</b>s and x<i>y</i>z</p>"), "APIs and xyz");
    assert_eq!(
        mrkdwn("<p>(<b>ok</b>) <i>\"q\"</i>.</p>"),
        "(*ok*) _\"q\"_."
    );
}

#[test]
fn lists_get_bullets_numbers_and_nesting() {
    let html = "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul><ol start=\"3\"><li>d</li></ol>";
    assert_eq!(mrkdwn(html), "• a\n  ◦ b\n• c\n\n3. d");
}

#[test]
fn headings_are_bold_and_quotes_use_the_quote_marker() {
    assert_eq!(
        mrkdwn("<h2>News</h2><blockquote>said<br>this</blockquote>"),
        "*News*\n\n&gt; said\n&gt; this"
    );
}

#[test]
fn code_blocks_keep_spaces_and_cannot_be_closed_by_feed_text() {
    assert_eq!(
        mrkdwn("<pre>if a &lt; b {\n    ```go``` *x*\n}</pre>"),
        "```\nif a &lt; b {\n    ｀｀｀go｀｀｀ *x*\n}\n```"
    );
}

#[test]
fn link_labels_naming_another_site_show_the_real_address() {
    assert_eq!(
        mrkdwn("<p><a href=\"https://evil.example/\">https://bank.example</a>.</p>"),
        "<https://evil.example/|https://evil.example/>."
    );
    assert_eq!(
        mrkdwn("<p><a href=\"https://evil.example/\">Log in at bank.example</a> now</p>"),
        "<https://evil.example/|Log in at bank.example> (evil.example) now"
    );
}
