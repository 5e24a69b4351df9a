use super::*;

#[test]
fn text_titles_decode_entities_once() {
    assert_eq!(
        plain("Tom &amp; Jerry", Markup::Text).as_deref(),
        Some("Tom & Jerry")
    );
    assert_eq!(
        plain("Tom &amp;amp; Jerry", Markup::Text).as_deref(),
        Some("Tom &amp; Jerry")
    );
    assert_eq!(
        plain("caf&eacute; &#8212; &#x263A;", Markup::Text).as_deref(),
        Some("café — ☺")
    );
    assert_eq!(
        plain("AT&T & friends &bogus;", Markup::Text).as_deref(),
        Some("AT&T & friends &bogus;")
    );
}

#[test]
fn text_titles_keep_angle_brackets() {
    assert_eq!(plain("a <b> c", Markup::Text).as_deref(), Some("a <b> c"));
}

#[test]
fn html_titles_lose_markup_and_whitespace() {
    let title = plain(
        "  <b>Bold</b>\n  and&nbsp;<i>caf&eacute;</i> ",
        Markup::Html,
    );
    assert_eq!(title.as_deref(), Some("Bold and café"));
}

#[test]
fn empty_titles_are_none() {
    assert_eq!(plain(" <br/> ", Markup::Html), None);
    assert_eq!(plain("   ", Markup::Text), None);
}

#[test]
fn text_summaries_are_escaped_to_html() {
    assert_eq!(
        as_html(" 1 < 2 & 3 ", Markup::Text).as_deref(),
        Some("1 &lt; 2 &amp; 3")
    );
    assert_eq!(
        as_html("<p>hi</p>", Markup::Html).as_deref(),
        Some("<p>hi</p>")
    );
    assert_eq!(as_html(" ", Markup::Html), None);
}

#[test]
fn unlabelled_text_summaries_escape_only_their_brackets() {
    assert_eq!(
        as_html("Vec<T> & \"friends\" &amp; co", Markup::Unlabelled).as_deref(),
        Some("Vec&lt;T&gt; & \"friends\" &amp; co")
    );
    assert_eq!(
        as_html("Tom &amp; Jerry", Markup::Unlabelled).as_deref(),
        Some("Tom &amp; Jerry"),
        "text without brackets is kept as published"
    );
}
