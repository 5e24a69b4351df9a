use super::*;
use crate::render::testing::Sample;

fn snapshot_name(name: &str) -> String {
    format!("generic_{name}")
}

#[test]
fn every_sample_renders_the_documented_object() {
    for (name, sample) in Sample::all() {
        if name == "huge_summary" {
            continue;
        }
        insta::assert_json_snapshot!(snapshot_name(name), render(&sample.card()));
    }
}

#[test]
fn absent_values_are_null_and_every_key_is_present() {
    let value = render(&Sample::untitled().card());
    let entry = value["entry"].as_object().expect("entry is an object");
    let keys: Vec<&str> = entry.keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 12, "{keys:?}");
    for key in ["id", "title", "updated", "author", "image"] {
        assert!(entry[key].is_null(), "{key} should be null");
    }
    assert_eq!(entry["authors"], json!([]));
}

#[test]
fn dates_are_rfc3339_in_utc() {
    let value = render(&Sample::full().card());
    assert_eq!(value["entry"]["published"], "2026-11-27T14:05:00Z");
}

#[test]
fn huge_summary_text_is_not_shortened_to_card_size() {
    let value = render(&Sample::huge_summary().card());
    let text = value["entry"]["summary_text"]
        .as_str()
        .expect("summary text");
    assert!(text.chars().count() > 30_000, "{}", text.chars().count());
    assert!(!text.ends_with('…'));
}

mod template;
