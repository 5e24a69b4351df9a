use std::path::{Path, PathBuf};

use super::*;
use crate::render::fit::SHORT_TITLE_CHARS;
use crate::render::testing::{Sample, assert_inert, long_link_frame};

fn section(payload: &Value) -> &Value {
    &payload["sections"][0]
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key].as_str().unwrap_or_default()
}

fn size(payload: &Value) -> usize {
    payload.to_string().len()
}

/// The text a reader sees for an escaped line: each backslash escape replaced by its character.
fn unescape(markdown: &str) -> String {
    let mut out = String::new();
    let mut chars = markdown.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// Fails if `markdown` holds a character that could start markup without a backslash before it.
fn assert_no_live_markup(markdown: &str, what: &str) {
    let mut chars = markdown.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '*' | '_' | '`' | '[' | ']' | '~' | '<' | '>' => {
                panic!("{what} has live markup {c:?}: {markdown}")
            }
            _ => {}
        }
    }
}

/// Every Markdown link (`](` not escaped as `\](`) in `text` goes to an http(s) URL.
fn assert_links_are_web(text: &str) {
    for (at, _) in text.match_indices("](") {
        if text[..at].ends_with('\\') {
            continue;
        }
        let target = &text[at + 2..];
        assert!(
            target.starts_with("https://") || target.starts_with("http://"),
            "link to a non-web target in {text}"
        );
    }
}

/// The fields the MessageCard reference defines, with the values it allows, standing in for a
/// validator (the Teams validator checks Workflows bodies only and rejects every MessageCard).
fn assert_follows_the_reference(payload: &Value, name: &str) {
    let keys = |value: &Value| -> Vec<String> {
        value
            .as_object()
            .expect("an object")
            .keys()
            .cloned()
            .collect()
    };
    let card_keys = [
        "@type",
        "@context",
        "summary",
        "themeColor",
        "title",
        "sections",
        "potentialAction",
    ];
    assert!(
        keys(payload)
            .iter()
            .all(|k| card_keys.contains(&k.as_str())),
        "{name}"
    );
    let sections = payload["sections"].as_array().expect("sections");
    assert!((1..=10).contains(&sections.len()), "{name}");
    let section_keys = [
        "activityTitle",
        "activitySubtitle",
        "activityImage",
        "text",
        "markdown",
    ];
    for section in sections {
        assert!(
            keys(section)
                .iter()
                .all(|k| section_keys.contains(&k.as_str())),
            "{name}"
        );
    }
    let color = text(payload, "themeColor");
    assert!(
        color.len() == 6 && color.chars().all(|c| c.is_ascii_hexdigit()),
        "{name}"
    );
    assert!(
        !text(payload, "summary").is_empty(),
        "{name}: the reference asks for a summary"
    );
    if let Some(actions) = payload.get("potentialAction") {
        let actions = actions.as_array().expect("actions");
        assert!((1..=4).contains(&actions.len()), "{name}");
        for action in actions {
            assert_eq!(keys(action), ["@type", "name", "targets"], "{name}");
            assert_eq!(action["@type"], "OpenUri", "{name}");
            assert_eq!(keys(&action["targets"][0]), ["os", "uri"], "{name}");
            assert_eq!(action["targets"][0]["os"], "default", "{name}");
        }
    }
}

#[test]
fn every_sample_renders_a_message_card() {
    for (name, sample) in Sample::all() {
        if name == "huge_summary" {
            continue;
        }
        insta::assert_json_snapshot!(format!("messagecard_{name}"), render(&sample.card()));
    }
}

#[test]
fn every_sample_is_a_message_card_within_the_byte_limit_with_its_title_intact() {
    for (name, sample) in Sample::all() {
        let card = sample.card();
        let payload = render(&card);
        assert_eq!(payload["@type"], "MessageCard", "{name}");
        assert_eq!(
            payload["@context"], "https://schema.org/extensions",
            "{name}"
        );
        assert!(
            size(&payload) <= MAX_PAYLOAD_BYTES,
            "{name}: {} bytes",
            size(&payload)
        );
        let title = card.display_title();
        assert_eq!(payload["summary"], title.as_str(), "{name}");
        assert_eq!(unescape(text(&payload, "title")), title, "{name}");
        assert_eq!(section(&payload)["markdown"], true, "{name}");
        assert_follows_the_reference(&payload, name);
        let uri = &payload["potentialAction"][0]["targets"][0]["uri"];
        match card.link() {
            Some(link) => assert_eq!(uri, link.as_str(), "{name}"),
            None => assert!(payload.get("potentialAction").is_none(), "{name}"),
        }
    }
}

#[test]
fn feed_text_is_inert_in_every_sample() {
    for (name, sample) in Sample::all() {
        let payload = render(&sample.card());
        let section = section(&payload);
        assert_no_live_markup(text(&payload, "title"), name);
        assert_no_live_markup(text(section, "activityTitle"), name);
        assert_no_live_markup(text(section, "activitySubtitle"), name);
        assert_links_are_web(text(section, "text"));
        for url in [
            &payload["potentialAction"][0]["targets"][0]["uri"],
            &section["activityImage"],
        ] {
            if let Some(url) = url.as_str() {
                assert!(url.starts_with("https://"), "{name}: {url}");
            }
        }
    }
}

#[test]
fn hostile_text_shows_as_typed() {
    let payload = render(&Sample::hostile().card());
    let json = payload.to_string();
    assert_inert(&json);
    let section = section(&payload);
    assert!(
        text(&payload, "title").starts_with("\\*\\*Urgent\\*\\* \\[verify\\]"),
        "{}",
        payload["title"]
    );
    assert!(text(&payload, "title").contains("\\<at\\>everyone\\</at\\>"));
    assert!(text(section, "activitySubtitle").starts_with("\\*Mallory\\* \\[x\\]"));
    assert!(text(section, "text").contains("\\*\\*not bold\\*\\* \\[x\\]"));
    assert!(section.get("activityImage").is_none(), "javascript: image");
}

#[test]
fn huge_summary_is_cut_to_stay_within_the_byte_limit_with_the_title_intact() {
    let payload = render(&Sample::huge_summary().card());
    assert!(size(&payload) <= MAX_PAYLOAD_BYTES);
    assert_eq!(payload["title"], "A very long post");
    assert!(text(section(&payload), "text").ends_with('…'));
    assert_eq!(
        payload["potentialAction"][0]["targets"][0]["uri"],
        "https://blog.example.com/posts/release-2"
    );
}

fn parts_of(sample: &Sample) -> Frame<MessageCard> {
    sample.frame(MessageCard {
        feed: "rust-blog".into(),
        subtitle: "Jane Doe".into(),
    })
}

#[test]
fn summary_is_cut_to_the_byte_budget_before_anything_else() {
    let sample = Sample::huge_summary();
    for budget in [2_000, MAX_PAYLOAD_BYTES] {
        let payload = fit(parts_of(&sample), sample.card().summary(), |p| {
            size(p) < budget
        });
        assert!(size(&payload) <= budget);
        // Binary search packs the budget: a little more summary would not have fitted.
        assert!(size(&payload) > budget - 200, "{} bytes", size(&payload));
        assert!(
            section(&payload)["activityImage"].is_string(),
            "the image is kept"
        );
        assert_eq!(payload["title"], "A very long post");
        assert!(text(section(&payload), "text").ends_with('…'));
    }
}

#[test]
fn a_link_too_long_for_the_budget_costs_the_image_and_the_title_end() {
    let parts = long_link_frame(MessageCard {
        feed: "feed".into(),
        subtitle: String::new(),
    });
    let summary = crate::render::html::to_rich_text("<p>text</p>", None);
    let payload = fit(parts, &summary, |p| size(p) < 1_900);
    let title = text(&payload, "title");
    assert!(title.starts_with("word word"), "{title}");
    assert!(title.chars().count() <= SHORT_TITLE_CHARS, "{title}");
    assert!(section(&payload).get("text").is_none(), "no summary");
    assert!(!payload.to_string().contains("i.png"));
    assert!(payload["potentialAction"][0]["targets"][0]["uri"].is_string());
}

#[test]
fn huge_title_is_cut_to_300_characters() {
    let mut sample = Sample::full();
    sample.entry.title = Some("Title ".repeat(5_000));
    let payload = render(&sample.card());
    let title = text(&payload, "title");
    assert!(
        title.chars().count() <= 300 && title.ends_with('…'),
        "{title}"
    );
    assert_eq!(payload["summary"], title);
}

#[test]
fn entry_without_link_has_no_action() {
    let payload = render(&Sample::no_link().card());
    assert!(payload.get("potentialAction").is_none());
    assert_eq!(payload["title"], "Maintenance window on Saturday");
}

#[test]
fn entry_without_authors_date_image_or_summary_has_only_the_feed_in_its_section() {
    let mut sample = Sample::untitled();
    sample.entry.published = None;
    sample.entry.summary_html = None;
    let payload = render(&sample.card());
    assert_eq!(
        section(&payload),
        &json!({ "activityTitle": "rust-blog", "markdown": true })
    );
    assert_eq!(payload["title"], "(untitled)");
}

#[test]
fn plain_http_images_are_not_shown() {
    let mut sample = Sample::full();
    sample.entry.image = Some("http://blog.example.com/a.png".into());
    assert!(
        section(&render(&sample.card()))
            .get("activityImage")
            .is_none()
    );
}

/// Writes every sample's payload to `FEEDHOOK_MESSAGECARD_OUT`, for looking at them or pasting
/// them into a connector by hand. (The Teams validator does not check MessageCards: it rejects
/// every one as a legacy payload, since it validates Workflows bodies only.)
#[test]
#[ignore = "writes files for a manual check"]
fn write_payloads_for_manual_validation() {
    let dir = std::env::var_os("FEEDHOOK_MESSAGECARD_OUT")
        .map(PathBuf::from)
        .expect("FEEDHOOK_MESSAGECARD_OUT is set");
    std::fs::create_dir_all(&dir).expect("output dir");
    write_payloads(&dir);
}

fn write_payloads(dir: &Path) -> Vec<PathBuf> {
    Sample::all()
        .into_iter()
        .map(|(name, sample)| {
            let path = dir.join(format!("messagecard-{name}.json"));
            std::fs::write(&path, render(&sample.card()).to_string()).expect("payload written");
            path
        })
        .collect()
}
