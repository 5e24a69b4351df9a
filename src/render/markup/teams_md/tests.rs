use super::*;
use crate::render::html::to_rich_text;

fn markdown(html: &str) -> String {
    TeamsMd::write(&to_rich_text(html, None))
}

#[test]
fn bold_italic_and_links_use_the_teams_subset() {
    let html = "<p>a <b>bold</b> and <i>italic</i> <a href=\"https://x.example/a\">link</a></p>";
    assert_eq!(
        markdown(html),
        "a **bold** and _italic_ [link](https://x.example/a)"
    );
}

#[test]
fn emphasis_markers_hug_the_text_not_the_spaces() {
    assert_eq!(markdown("<p>x<b> spaced </b>y</p>"), "x **spaced** y");
}

#[test]
fn nested_styles_are_closed_in_order() {
    assert_eq!(
        markdown("<p><b>new <i>parser</i></b> fast</p>"),
        "**new _parser_** fast"
    );
    assert_eq!(markdown("<p><i>a <b>b</b></i> c</p>"), "_a **b**_ c");
}

#[test]
fn styled_link_text_stays_inside_the_link() {
    let html = "<p>see <a href=\"https://x.example/\"><b>this</b> page</a>.</p>";
    assert_eq!(markdown(html), "see [**this** page](https://x.example/).");
}

#[test]
fn lists_are_separated_by_carriage_returns_and_nest_one_level() {
    let html = "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li></ul><ol><li>one</li><li>two</li></ol>";
    assert_eq!(markdown(html), "- a\r  - b\r  - c\n\n1. one\r2. two");
}

#[test]
fn headings_become_bold_and_quotes_italic() {
    assert_eq!(
        markdown("<h1>Big <i>news</i></h1><blockquote>said</blockquote>"),
        "**Big _news_**\n\n_said_"
    );
}

#[test]
fn line_breaks_become_paragraphs_and_code_lines_lose_their_indent() {
    assert_eq!(
        markdown("<p>a<br>b</p><pre>x\n    y</pre>"),
        "a\n\nb\n\nx\n\ny"
    );
}

#[test]
fn markdown_in_feed_text_is_escaped() {
    let text = TeamsMd::escape(
        "**bold** _it_ [x](javascript:alert(1)) `code` ~~s~~ <at>all</at> \\ &amp; AT&T",
        false,
    );
    assert_eq!(
        text,
        "\\*\\*bold\\*\\* \\_it\\_ \\[x\\](javascript:alert(1)) \\`code\\` \\~\\~s\\~\\~ \\<at\\>all\\</at\\> \\\\ \\&amp; AT&T"
    );
}

#[test]
fn line_starts_that_would_open_blocks_are_escaped() {
    assert_eq!(
        TeamsMd::escape("# not a heading", true),
        "\\# not a heading"
    );
    assert_eq!(TeamsMd::escape("- not a list", true), "\\- not a list");
    assert_eq!(TeamsMd::escape("2026. A year", true), "2026\\. A year");
    assert_eq!(TeamsMd::escape("> quote", true), "\\> quote");
    assert_eq!(TeamsMd::escape("plain - text", true), "plain - text");
}

#[test]
fn feed_text_at_the_start_of_a_block_is_escaped() {
    assert_eq!(
        markdown("<p>- a</p><ul><li>1. b</li></ul>"),
        "\\- a\n\n- 1\\. b"
    );
}

#[test]
fn link_destinations_cannot_be_closed_early() {
    assert_eq!(
        TeamsMd::link("t", "https://x.example/a_(b)"),
        "[t](https://x.example/a_%28b%29)"
    );
}

#[test]
fn emphasis_markdown_could_not_read_is_dropped_rather_than_shown_as_asterisks() {
    assert_eq!(
        markdown("<p>word<i>italic</i>word x<b>[y]</b>z</p>"),
        "worditalicword x\\[y\\]z"
    );
    assert_eq!(
        markdown("<p><b>*a*</b>z <b>a</b>-z</p>"),
        "\\*a\\*z **a**-z"
    );
}

#[test]
fn emphasis_next_to_words_is_kept_where_markdown_reads_it() {
    assert_eq!(
        markdown("<p><b>API</b>s and <i>x</i>, y <b>\"q\"</b></p>"),
        "**API**s and _x_, y **\"q\"**"
    );
}

#[test]
fn preformatted_spaces_alone_leave_no_blank_lines() {
    assert_eq!(markdown("<p>a</p><pre>   </pre><p>b</p>"), "a\n\nb");
    assert_eq!(
        markdown("<ul><li>a</li></ul><pre> </pre><p>b</p>"),
        "- a\n\nb"
    );
}
