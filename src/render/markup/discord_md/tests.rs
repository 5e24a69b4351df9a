use super::*;
use crate::render::html::to_rich_text;

fn markdown(html: &str) -> String {
    DiscordMd::write(&to_rich_text(html, None))
}

#[test]
fn bold_italic_and_links_use_discord_markers() {
    let html = "<p>a <b>bold</b> and <i>italic</i> <a href=\"https://x.example/a\">link</a></p>";
    assert_eq!(
        markdown(html),
        "a **bold** and *italic* [link](https://x.example/a)"
    );
}

#[test]
fn emphasis_inside_words_is_kept() {
    assert_eq!(
        markdown("<p><b>API</b>s and x<i>y</i>z</p>"),
        "**API**s and x*y*z"
    );
}

#[test]
fn nested_styles_are_closed_in_order() {
    assert_eq!(
        markdown("<p><b>new <i>parser</i></b> fast</p>"),
        "**new *parser*** fast"
    );
}

#[test]
fn touching_runs_that_would_close_and_open_markers_drop_the_new_emphasis() {
    assert_eq!(markdown("<p><b>a</b><i>b</i> c</p>"), "**a**b c");
    assert_eq!(
        markdown("<p><b><i>a</i></b><i>b</i><i>c</i></p>"),
        "***a***bc"
    );
}

#[test]
fn lists_quotes_and_headings() {
    let html = "<h2>Big <i>news</i></h2><ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>\
                <ol start=\"3\"><li>x</li></ol><blockquote>said<br>this</blockquote>";
    assert_eq!(
        markdown(html),
        "**Big *news***\n\n- a\n  - b\n- c\n\n3. x\n\n> said\n> this"
    );
}

#[test]
fn line_breaks_stay_single_newlines() {
    assert_eq!(markdown("<p>a<br>b</p>"), "a\nb");
}

#[test]
fn preformatted_text_is_a_code_block_unless_it_holds_a_fence() {
    assert_eq!(
        markdown("<pre>fn main() {\n    go(*x);\n}</pre>"),
        "```\nfn main() {\n    go(*x);\n}\n```"
    );
    assert_eq!(markdown("<pre>```\n# x</pre>"), "\\`\\`\\`\n\\# x");
}

#[test]
fn markdown_and_mentions_in_feed_text_are_escaped() {
    assert_eq!(
        DiscordMd::escape("**b** _i_ ~~s~~ `c` ||sp|| > q [x](javascript:y) \\", false),
        "\\*\\*b\\*\\* \\_i\\_ \\~\\~s\\~\\~ \\`c\\` \\|\\|sp\\|\\| \\> q \\[x\\]\\(javascript:y\\) \\\\"
    );
    assert_eq!(
        DiscordMd::escape("@everyone @here <@123> <@&456> <#789> <:e:1> <t:1>", false),
        "\\@everyone \\@here \\<\\@123\\> \\<\\@&456\\> \\<#789\\> \\<:e:1\\> \\<t:1\\>"
    );
}

#[test]
fn line_starts_that_would_open_blocks_are_escaped() {
    assert_eq!(DiscordMd::escape("# big", true), "\\# big");
    assert_eq!(DiscordMd::escape("-# small", true), "\\-# small");
    assert_eq!(DiscordMd::escape("- item", true), "\\- item");
    assert_eq!(DiscordMd::escape("+ item", true), "\\+ item");
    assert_eq!(DiscordMd::escape("2026. A year", true), "2026\\. A year");
    assert_eq!(DiscordMd::escape("a - b # c", true), "a - b # c");
    assert_eq!(
        markdown("<p>- a</p><ul><li># b</li></ul>"),
        "\\- a\n\n- \\# b"
    );
}

#[test]
fn bare_urls_in_text_are_linked_without_escapes_inside() {
    assert_eq!(
        escape_with_links("see https://x.example/a_b*c, (https://w.example/F_(b)). ok_"),
        "see <https://x.example/a_b*c>, \\(<https://w.example/F_%28b%29>\\). ok\\_"
    );
}

#[test]
fn unparsable_urls_are_escaped_and_not_linked() {
    assert_eq!(
        escape_with_links("<https://evil.example|https://bank.example> x=http://y.example"),
        "\\<https\\://evil.example\\|https\\://bank.example\\> x=http\\://y.example"
    );
}

#[test]
fn link_labels_naming_another_site_show_the_real_address() {
    assert_eq!(
        markdown("<p><a href=\"https://evil.example/\">https://bank.example</a>.</p>"),
        "<https://evil.example/>."
    );
    assert_eq!(
        markdown("<p><a href=\"https://evil.example/\">Log in at <b>bank.example</b></a></p>"),
        "[Log in at **bank.example**](https://evil.example/) \\(evil.example\\)"
    );
}

#[test]
fn link_destinations_cannot_be_closed_early() {
    assert_eq!(
        DiscordMd::link("t", "https://x.example/a_(b)"),
        "[t](https://x.example/a_%28b%29)"
    );
}
