use super::*;
use crate::render::testing::Sample;

#[test]
fn every_sample_renders_a_subject_and_both_bodies() {
    for (name, sample) in Sample::all() {
        let parts = render(&sample.card());
        insta::assert_snapshot!(
            format!("email_{name}"),
            format!(
                "Subject: {}\nList feed: {}\n\n--- text/plain\n{}\n--- text/html\n{}",
                parts.subject, parts.feed, parts.text, parts.html
            )
        );
    }
}

#[test]
fn subject_is_the_feed_name_then_the_title() {
    assert_eq!(
        render(&Sample::full().card()).subject,
        "rust-blog: Release 2.0 is out"
    );
}

#[test]
fn subject_is_one_line_without_control_characters() {
    let subject = render(&Sample::hostile().card()).subject;
    assert!(!subject.chars().any(char::is_control), "{subject:?}");
    assert!(!subject.contains('\u{202E}'), "{subject:?}");
}

#[test]
fn html_carries_no_script_handler_or_foreign_scheme() {
    let html = render(&Sample::hostile().card()).html.to_lowercase();
    // The feed's words may stay as text; no element, attribute or link may carry them out.
    for banned in [
        "<script",
        "<style",
        "<iframe",
        "onclick",
        "onerror",
        "href=\"javascript",
        "href=\"data:",
        "src=\"x",
    ] {
        assert!(!html.contains(banned), "{banned} in {html}");
    }
}

#[test]
fn title_links_to_the_entry_and_the_image_is_shown() {
    let html = render(&Sample::full().card()).html;
    assert!(html.contains(
        "<h2><a href=\"https://blog.example.com/posts/release-2\">Release 2.0 is out</a></h2>"
    ));
    assert!(html.contains("<img src=\"https://blog.example.com/img/release-2.png\""));
}

#[test]
fn identity_names_the_feed_and_the_entry() {
    let parts = render(&Sample::full().card());
    assert_eq!(
        parts.identity,
        "rust-blog\ntag:blog.example.com,2026:release-2"
    );
}

#[test]
fn a_huge_summary_is_cut_and_says_so() {
    let parts = render(&Sample::huge_summary().card());
    assert!(parts.text.len() < 20_000, "{}", parts.text.len());
    assert!(parts.text.contains('…'));
}
