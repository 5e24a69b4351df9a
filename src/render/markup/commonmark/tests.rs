use super::*;
use crate::render::html::to_rich_text;

fn markdown(html: &str) -> String {
    Commonmark::write(&to_rich_text(html, None))
}

#[test]
fn bold_italic_and_links_use_markdown() {
    let html = "<p>a <b>bold</b> and <i>italic</i> <a href=\"https://x.example/a\">link</a></p>";
    assert_eq!(
        markdown(html),
        "a **bold** and _italic_ [link](https://x.example/a)"
    );
}

#[test]
fn markdown_in_feed_text_is_escaped() {
    assert_eq!(
        Commonmark::escape(
            "**b** _i_ [x](javascript:alert(1)) `c` ~~s~~ <b> a|b $x$ \\ &amp; AT&T",
            false
        ),
        "\\*\\*b\\*\\* \\_i\\_ \\[x\\](javascript:alert(1)) \\`c\\` \\~\\~s\\~\\~ \\<b\\> \
         a\\|b \\$x\\$ \\\\ \\&amp; AT&T"
    );
}

#[test]
fn line_starts_that_would_open_blocks_are_escaped() {
    assert_eq!(
        Commonmark::escape("# not a heading", true),
        "\\# not a heading"
    );
    assert_eq!(Commonmark::escape("- not a list", true), "\\- not a list");
    assert_eq!(Commonmark::escape("=== underline", true), "\\=== underline");
    assert_eq!(Commonmark::escape("2026. A year", true), "2026\\. A year");
    assert_eq!(Commonmark::escape("> quote", true), "\\> quote");
    assert_eq!(markdown("<ul><li>1. b</li></ul>"), "- 1\\. b");
}

#[test]
fn mentions_are_defused_but_email_addresses_are_kept() {
    assert_eq!(
        Commonmark::escape(
            "@channel @ALL x.@here (@jane) jane@example.com é@here",
            false
        ),
        "＠channel ＠ALL x.＠here (＠jane) jane@example.com é＠here"
    );
}

#[test]
fn link_destinations_cannot_mention_or_end_early() {
    assert_eq!(
        destination("https://social.example/@here?to=@all#@channel"),
        "https://social.example/%40here?to=%40all#%40channel"
    );
    assert_eq!(
        Commonmark::link("t", "https://x.example/a_(b)"),
        "[t](https://x.example/a_%28b%29)"
    );
    assert_eq!(destination("https://.@here/x"), "https://here/x");
}

#[test]
fn lists_nest_under_their_parent_item() {
    let html = "<ul><li>a<ul><li>b<ol><li>c</li></ol></li></ul><p>more</p></li></ul>";
    assert_eq!(markdown(html), "- a\n  - b\n    1. c\n  more");
}

#[test]
fn headings_become_bold_and_quotes_keep_their_lines() {
    assert_eq!(
        markdown("<h1>Big <i>news</i></h1><blockquote>said<br>this</blockquote>"),
        "**Big _news_**\n\n> said\n> this"
    );
}

#[test]
fn code_fences_are_longer_than_any_backtick_run_inside() {
    assert_eq!(
        markdown("<pre>a ``` b\n  @here</pre>"),
        "````\na ``` b\n  ＠here\n````"
    );
    assert_eq!(markdown("<pre>x</pre>"), "```\nx\n```");
}

#[test]
fn emphasis_markdown_could_not_read_is_dropped() {
    assert_eq!(
        markdown("<p>word<i>italic</i>word x<b>[y]</b>z</p>"),
        "worditalicword x\\[y\\]z"
    );
    assert_eq!(
        markdown("<p><b>API</b>s and <i>x</i>, y <b>\"q\"</b></p>"),
        "**API**s and _x_, y **\"q\"**"
    );
}

#[test]
fn styled_link_text_stays_inside_the_link() {
    let html = "<p>see <a href=\"https://x.example/\"><b>this</b> page</a>.</p>";
    assert_eq!(markdown(html), "see [**this** page](https://x.example/).");
}

#[test]
fn link_labels_naming_another_site_show_the_real_address() {
    let html = "<p>see <a href=\"https://evil.example/x\"><b>https://</b>bank.example</a> \
                and <a href=\"https://bank.example/\">the bank</a></p>";
    assert_eq!(
        markdown(html),
        "see [https://evil.example/x](https://evil.example/x) and [the bank](https://bank.example/)"
    );
    assert_eq!(
        markdown("<p><a href=\"https://evil.example/\">Log in at bank.example</a></p>"),
        "[Log in at bank.example](https://evil.example/) (evil.example)"
    );
}
