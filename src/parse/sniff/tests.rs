use super::*;

#[test]
fn escaped_text_that_only_looks_like_markup_is_text() {
    for text in [
        "Vec<T>::push",
        "if a <b and c> d",
        "HashMap<K, V> and Option<&str>",
        "5 < 6 > 4",
        "<em>",
        "a <-> b",
        "Tom &amp; Jerry",
    ] {
        assert!(!looks_like_html(text), "{text}");
    }
}

#[test]
fn html_is_recognised_by_its_signs() {
    for html in [
        "<b>Bold</b> title",
        "line<br>break",
        "<p>one<p>two",
        "Read <a href=\"/x\">more",
        "<img src=\"x.png\">",
        "<!-- generated --> text",
        "safe<script>alert(1)</script>",
        "<SPAN>shouting</SPAN>",
    ] {
        assert!(looks_like_html(html), "{html}");
    }
}

#[test]
fn a_sign_past_the_first_piece_is_found() {
    let text = format!("{}<b>late</b>", "x < y ".repeat(2_000));
    assert!(looks_like_html(&text));
    let multibyte = format!("{}</p>", "é".repeat(FIRST_PIECE * 3));
    assert!(looks_like_html(&multibyte));
}
