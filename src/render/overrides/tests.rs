use serde_json::Value;

use super::*;
use crate::config::{ChannelKind, ChannelOptions};
use crate::render::testing::Sample;
use crate::render::truncate::ELLIPSIS;
use crate::render::{Payload, generic, render};

fn options(card: CardOverrides) -> ChannelOptions {
    ChannelOptions {
        card,
        ..ChannelOptions::default()
    }
}

fn prefixed() -> CardOverrides {
    CardOverrides {
        title_prefix: Some("[Security] ".into()),
        ..CardOverrides::default()
    }
}

fn hidden() -> CardOverrides {
    CardOverrides {
        hide_summary: true,
        ..CardOverrides::default()
    }
}

fn cut_to(max: usize) -> CardOverrides {
    CardOverrides {
        max_summary_chars: Some(max),
        ..CardOverrides::default()
    }
}

/// The payload as text, whatever its kind, for checks that hold on every platform.
fn shown(kind: ChannelKind, overrides: CardOverrides, sample: &Sample) -> String {
    match render(kind, &options(overrides), &sample.source()).expect("renders") {
        Payload::Json(value) => value.to_string(),
        Payload::Text(text) | Payload::Body(text) => text,
        Payload::Email(parts) => format!("{}\n{}\n{}", parts.subject, parts.text, parts.html),
    }
}

fn generic_entry(overrides: CardOverrides, sample: &Sample) -> Value {
    match render(ChannelKind::Generic, &options(overrides), &sample.source()).expect("renders") {
        Payload::Json(value) => value["entry"].clone(),
        other => panic!("expected JSON, got {other:?}"),
    }
}

/// The kinds the overrides are checked on; every kind goes through the same `render`.
const KINDS: [ChannelKind; 5] = [
    ChannelKind::Teams,
    ChannelKind::Slack,
    ChannelKind::Generic,
    ChannelKind::Discord,
    ChannelKind::Console,
];

#[test]
fn default_options_leave_the_entry_and_every_payload_as_they_were() {
    for (name, sample) in Sample::all() {
        let card = sample.source();
        assert_eq!(
            apply(&CardOverrides::default(), &card),
            sample.card(),
            "{name}"
        );
        assert_eq!(
            render(ChannelKind::Generic, &ChannelOptions::default(), &card),
            Ok(Payload::Json(generic::render(&sample.card()))),
            "{name}"
        );
    }
}

#[test]
fn the_title_prefix_reaches_every_platform() {
    let sample = Sample::full();
    for kind in KINDS {
        // Markdown platforms escape the brackets; what the reader sees is the same.
        let text = shown(kind, prefixed(), &sample).replace('\\', "");
        assert!(
            text.contains("[Security] Release 2.0 is out"),
            "{kind}: {text}"
        );
    }
    assert_eq!(
        generic_entry(prefixed(), &sample)["title"],
        "[Security] Release 2.0 is out"
    );
}

#[test]
fn an_untitled_entry_is_prefixed_before_the_title_taken_from_its_summary() {
    let sample = Sample::untitled();
    let title = generic_entry(prefixed(), &sample)["title"].clone();
    let title = title.as_str().expect("a title");
    assert!(
        title.starts_with("[Security] Just shipped a tiny fix"),
        "{title}"
    );
}

#[test]
fn hide_summary_removes_the_summary_on_every_platform() {
    let sample = Sample::full();
    for kind in KINDS {
        let text = shown(kind, hidden(), &sample);
        assert!(!text.contains("We shipped"), "{kind}: {text}");
        assert!(text.contains("Release 2.0 is out"), "{kind}: {text}");
    }
    let entry = generic_entry(hidden(), &sample);
    assert_eq!(
        (&entry["summary_text"], &entry["summary_html"]),
        (&Value::Null, &Value::Null)
    );
}

#[test]
fn a_hidden_summary_still_titles_an_untitled_entry() {
    let entry = generic_entry(hidden(), &Sample::untitled());
    let title = entry["title"].as_str().expect("a title");
    assert!(title.starts_with("Just shipped a tiny fix"), "{title}");
    assert_eq!(entry["summary_text"], Value::Null);
}

#[test]
fn max_summary_chars_cuts_the_summary_on_every_platform() {
    let sample = Sample::full();
    for kind in KINDS {
        let text = shown(kind, cut_to(30), &sample);
        assert!(text.contains("We shipped"), "{kind}: {text}");
        assert!(!text.contains("upgrade guide"), "{kind}: {text}");
        assert!(!text.contains("second item"), "{kind}: {text}");
        assert!(text.contains(ELLIPSIS), "{kind}: {text}");
    }
    let entry = generic_entry(cut_to(30), &sample);
    let summary = entry["summary_text"].as_str().expect("a summary");
    assert!(summary.chars().count() <= 30, "{summary}");
    assert!(summary.ends_with(ELLIPSIS), "{summary}");
}

#[test]
fn a_cut_summary_keeps_its_links_and_emphasis() {
    let sample = Sample::full();
    let entry = generic_entry(cut_to(66), &sample);
    let html = entry["summary_html"].as_str().expect("html");
    assert!(html.contains("<b>bold</b>"), "{html}");
    assert!(
        html.contains("<a href=\"https://blog.example.com/docs/upgrade\">upgrade guide</a>"),
        "{html}"
    );
    assert!(!html.contains("first item"), "{html}");
}

#[test]
fn a_short_enough_summary_is_not_touched() {
    let sample = Sample::full();
    let entry = generic_entry(cut_to(10_000), &sample);
    assert_eq!(
        entry["summary_html"].as_str(),
        sample.entry.summary_html.as_deref()
    );
}

#[test]
fn the_cut_never_splits_what_reads_as_one_character() {
    let mut sample = Sample::full();
    let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦";
    sample.entry.summary_html = Some(format!("<p>{family}{family}{family}</p>"));
    let entry = generic_entry(cut_to(12), &sample);
    let summary = entry["summary_text"].as_str().expect("a summary");
    assert_eq!(summary, format!("{family}{ELLIPSIS}"));
}
