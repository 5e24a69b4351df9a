use super::*;
use crate::render::testing::{Sample, assert_inert, assert_only_tags};

const TAGS: [&str; 8] = [
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    "</a>",
    "<a href=\"http",
    "<pre>",
    "</pre>",
];

fn text(payload: &Value) -> &str {
    payload["text"].as_str().expect("text")
}

#[test]
fn every_sample_renders_an_html_message() {
    for (name, sample) in Sample::all() {
        insta::assert_json_snapshot!(format!("telegram_{name}"), render(&sample.card()));
    }
}

#[test]
fn every_message_fits_telegrams_limit_and_holds_only_accepted_tags() {
    for (name, sample) in Sample::all() {
        let payload = render(&sample.card());
        let length = Measure::Utf16.len(text(&payload));
        assert!(length <= MAX_TEXT_UTF16, "{name}: {length}");
        assert_eq!(payload["parse_mode"], "HTML", "{name}");
        assert_only_tags(text(&payload), &TAGS);
        assert!(
            !text(&payload).contains("<br"),
            "{name}: Telegram refuses <br>"
        );
        assert_inert(&payload.to_string());
    }
}

#[test]
fn the_title_links_to_the_entry_which_the_preview_shows() {
    let payload = render(&Sample::full().card());
    assert!(text(&payload).starts_with(
        "<b><a href=\"https://blog.example.com/posts/release-2\">Release 2.0 is out</a></b>\n\
         <i>rust-blog · Jane Doe, Ann Smith · 27 Nov 2026 14:05 UTC</i>\n\nWe shipped <b>bold</b>"
    ));
    assert_eq!(
        payload["link_preview_options"],
        json!({ "url": "https://blog.example.com/posts/release-2" })
    );
    let no_link = render(&Sample::no_link().card());
    assert_eq!(
        no_link["link_preview_options"],
        json!({ "is_disabled": true })
    );
}

#[test]
fn feed_mentions_cannot_notify_anyone() {
    let payload = render(&Sample::mentions().card());
    let text = text(&payload);
    for word in ["@everyone", "@here"] {
        assert!(!text.contains(word), "{word} in {text}");
    }
    assert!(text.contains("＠everyone"));
}

#[test]
fn a_huge_summary_is_cut_within_4096_units_with_an_ellipsis() {
    let payload = render(&Sample::long_title().card());
    let text = text(&payload);
    assert!(Measure::Utf16.len(text) <= MAX_TEXT_UTF16);
    assert!(text.contains('…'));
    assert!(text.starts_with("<b><a href="));
}
