use super::*;
use crate::render::testing::{Sample, assert_inert, assert_only_tags, long_link_frame};

const TAGS: [&str; 11] = [
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    "<br>",
    "</a>",
    "<a href=\"http",
    "<pre>",
    "</pre>",
    "<code>",
    "</code>",
];

fn formatted(payload: &Value) -> &str {
    payload["formatted_body"].as_str().expect("formatted_body")
}

#[test]
fn every_sample_renders_an_html_message_event() {
    for (name, sample) in Sample::all() {
        insta::assert_json_snapshot!(format!("matrix_{name}"), render(&sample.card()));
    }
}

#[test]
fn every_event_fits_holds_only_our_tags_and_pings_nobody() {
    for (name, sample) in Sample::all() {
        let payload = render(&sample.card());
        let size = payload.to_string().len();
        assert!(size <= MAX_CONTENT_BYTES, "{name}: {size} bytes");
        assert_eq!(payload["msgtype"], "m.text", "{name}");
        assert_eq!(payload["format"], "org.matrix.custom.html", "{name}");
        assert_eq!(payload["m.mentions"], json!({}), "{name}");
        assert_only_tags(formatted(&payload), &TAGS);
        assert_inert(&payload.to_string());
    }
}

#[test]
fn the_plain_body_is_the_title_and_the_link() {
    let payload = render(&Sample::full().card());
    assert_eq!(
        payload["body"],
        "Release 2.0 is out\nhttps://blog.example.com/posts/release-2"
    );
    assert!(formatted(&payload).starts_with(
        "<b><a href=\"https://blog.example.com/posts/release-2\">Release 2.0 is out</a></b><br>\
         <i>rust-blog · Jane Doe, Ann Smith · 27 Nov 2026 14:05 UTC</i><br><br>We shipped <b>bold</b>"
    ));
}

#[test]
fn a_huge_summary_is_cut_to_the_event_limit_keeping_the_title() {
    let payload = render(&Sample::huge_summary().card());
    assert!(payload.to_string().len() <= MAX_CONTENT_BYTES);
    assert!(formatted(&payload).starts_with("<b><a href="));
    assert!(formatted(&payload).contains('…'));
}

#[test]
fn a_link_too_long_for_any_summary_still_leads_to_the_entry() {
    let mut frame = long_link_frame(Event {
        byline: String::new(),
    });
    let empty = RichText::default();
    let rendered = crate::render::fit::Fit::render(&frame, &empty);
    assert!(
        rendered["body"]
            .as_str()
            .is_some_and(|b| b.contains("x.example"))
    );
    assert!(!crate::render::fit::Fit::shed(&mut frame) || frame.link.is_some());
}
