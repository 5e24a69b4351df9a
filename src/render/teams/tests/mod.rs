use super::*;
use crate::render::testing::{Sample, assert_inert, long_link_frame};

fn card_of(payload: &Value) -> &Value {
    &payload["attachments"][0]["content"]
}

fn texts(payload: &Value) -> Vec<&str> {
    let body = card_of(payload)["body"]
        .as_array()
        .expect("body is an array");
    body.iter()
        .filter_map(|element| element["text"].as_str())
        .collect()
}

fn size(payload: &Value) -> usize {
    payload.to_string().len()
}

#[test]
fn every_sample_renders_a_workflows_card() {
    for (name, sample) in Sample::all() {
        if name == "huge_summary" {
            continue;
        }
        insta::assert_json_snapshot!(format!("teams_{name}"), render(&sample.card(), &[]));
    }
}

#[test]
fn card_is_version_1_4_with_full_width() {
    for (name, sample) in Sample::all() {
        let payload = render(&sample.card(), &[]);
        let card = card_of(&payload);
        assert_eq!(card["version"], "1.4", "{name}");
        assert_eq!(card["msteams"]["width"], "Full", "{name}");
        assert_eq!(
            payload["attachments"][0]["contentType"],
            "application/vnd.microsoft.card.adaptive"
        );
    }
}

#[test]
fn huge_summary_is_cut_to_stay_under_the_byte_limit_with_the_title_intact() {
    let payload = render(&Sample::huge_summary().card(), &[]);
    assert!(
        size(&payload) < MAX_PAYLOAD_BYTES,
        "{} bytes",
        size(&payload)
    );
    let texts = texts(&payload);
    assert_eq!(
        texts[0],
        "[A very long post](https://blog.example.com/posts/release-2)"
    );
    assert!(
        texts[2].ends_with('…'),
        "summary should end with an ellipsis"
    );
    assert_eq!(
        card_of(&payload)["actions"][0]["url"],
        "https://blog.example.com/posts/release-2"
    );
}

#[test]
fn summary_is_cut_to_the_byte_budget_before_anything_else() {
    let sample = Sample::huge_summary();
    let card = sample.card();
    let parts = sample.frame(AdaptiveCard {
        byline: "feed".into(),
    });
    let budget = 2_000;
    let payload = fit(parts, card.summary(), |p| size(p) < budget);
    assert!(size(&payload) < budget);
    // Binary search packs the budget: a little more summary would not have fitted.
    assert!(size(&payload) > budget - 200, "{} bytes", size(&payload));
    assert!(
        card_of(&payload)["body"][3]["url"].is_string(),
        "the image is kept"
    );
}

#[test]
fn a_link_too_long_for_the_budget_costs_the_image_and_the_title_end() {
    let parts = long_link_frame(AdaptiveCard {
        byline: "feed".into(),
    });
    let summary = crate::render::html::to_rich_text("<p>text</p>", None);
    let payload = fit(parts, &summary, |p| size(p) < 3_400);
    let texts = texts(&payload);
    assert!(texts[0].starts_with("[word word"), "{}", texts[0]);
    assert!(texts[0].chars().count() < 1_650);
    assert_eq!(texts.len(), 2, "no summary");
    assert!(!payload.to_string().contains("i.png"));
}

#[test]
fn huge_title_is_cut_to_300_characters() {
    let mut sample = Sample::full();
    sample.entry.title = Some("Title ".repeat(5_000));
    let payload = render(&sample.card(), &[]);
    let title = texts(&payload)[0];
    let label = title
        .strip_prefix('[')
        .and_then(|t| t.split("](").next())
        .expect("linked title");
    assert!(
        label.chars().count() <= 300 && label.ends_with('…'),
        "{label}"
    );
    assert!(size(&payload) < MAX_PAYLOAD_BYTES);
}

#[test]
fn entry_without_link_has_no_action_and_an_unlinked_title() {
    let payload = render(&Sample::no_link().card(), &[]);
    assert!(card_of(&payload).get("actions").is_none());
    assert_eq!(texts(&payload)[0], "Maintenance window on Saturday");
}

#[test]
fn hostile_text_is_inert() {
    let payload = render(&Sample::hostile().card(), &[]);
    let json = payload.to_string();
    assert_inert(&json);
    let texts = texts(&payload);
    for text in &texts {
        assert_links_are_web(text);
    }
    assert!(
        texts[0].starts_with("[\\*\\*Urgent\\*\\* \\[verify\\]"),
        "{}",
        texts[0]
    );
    assert!(texts[0].contains("\\<at\\>everyone\\</at\\>"));
    assert!(texts[1].contains("\\*Mallory\\* \\[x\\]"));
    assert!(texts[2].contains("\\*\\*not bold\\*\\* \\[x\\]"));
}

/// Every Markdown link (`](` not escaped as `\](`) in `text` goes to an http(s) URL.
fn assert_links_are_web(text: &str) {
    for (at, _) in text.match_indices("](") {
        if text[..at].ends_with('\\') {
            continue;
        }
        assert!(
            text[at + 2..].starts_with("https://"),
            "link to a non-web target in {text}"
        );
    }
}

mod validator;
