use super::*;
use crate::render::html::to_rich_text;

fn plain(html: &str) -> String {
    to_plain(&to_rich_text(html, None))
}

#[test]
fn paragraphs_are_separated_by_a_blank_line() {
    assert_eq!(plain("<p>one</p><p>two <b>bold</b></p>"), "one\n\ntwo bold");
}

#[test]
fn lists_show_markers_and_nesting() {
    let html = "<ul><li>a<ul><li>a1</li></ul></li><li>b</li></ul><ol start=\"3\"><li>c</li><li>d</li></ol>";
    assert_eq!(plain(html), "- a\n  - a1\n- b\n\n3. c\n4. d");
}

#[test]
fn line_breaks_continue_under_the_list_marker() {
    assert_eq!(
        plain("<ol><li>first<br>second</li></ol>"),
        "1. first\n   second"
    );
}

#[test]
fn preformatted_spaces_alone_leave_no_blank_lines() {
    assert_eq!(plain("<p>a</p><pre>   </pre><p>b</p>"), "a\n\nb");
}

#[test]
fn quotes_and_preformatted_text_keep_their_lines() {
    let html = "<blockquote>said<br>this</blockquote><pre>fn main() {\n    go();\n}</pre>";
    assert_eq!(plain(html), "> said\n> this\n\nfn main() {\n    go();\n}");
}
