use super::*;
use crate::render::testing::{Sample, assert_inert, long_link_frame};

fn card_of(payload: &Value) -> &Value {
    &payload["cardsV2"][0]["card"]
}

fn paragraph(payload: &Value) -> &str {
    card_of(payload)
        .pointer("/sections/0/widgets/0/textParagraph/text")
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn size(payload: &Value) -> usize {
    payload.to_string().len()
}

#[test]
fn every_sample_renders_a_card_message() {
    for (name, sample) in Sample::all() {
        insta::assert_json_snapshot!(format!("google_chat_{name}"), render(&sample.card()));
    }
}

#[test]
fn every_payload_keeps_within_the_byte_limit_and_holds_no_live_markup() {
    for (name, sample) in Sample::all() {
        let payload = render(&sample.card());
        assert!(
            size(&payload) <= MAX_MESSAGE_BYTES,
            "{name}: {} bytes",
            size(&payload)
        );
        let json = payload.to_string();
        assert!(!json.to_lowercase().contains("<script"), "{name}");
        assert_only_generated_tags(paragraph(&payload));
        for url in urls(&payload) {
            assert!(
                url.starts_with("https://") || url.starts_with("http://"),
                "{name}: {url}"
            );
        }
        assert!(
            !payload["text"].as_str().expect("text").contains("<users/"),
            "{name}"
        );
    }
}

#[test]
fn full_entry_fills_header_paragraph_and_button() {
    let payload = render(&Sample::full().card());
    let card = card_of(&payload);
    assert_eq!(payload["text"], "Release 2.0 is out");
    assert_eq!(payload["cardsV2"][0]["cardId"], "feedhook-entry");
    assert_eq!(card["header"]["title"], "Release 2.0 is out");
    assert_eq!(
        card["header"]["subtitle"],
        "rust-blog · 27 Nov 2026 14:05 UTC"
    );
    assert_eq!(
        card["header"]["imageUrl"],
        "https://blog.example.com/img/release-2.png"
    );
    assert_eq!(
        paragraph(&payload),
        "We shipped <b>bold</b> things and <i>italic</i> ones. Read the \
         <a href=\"https://blog.example.com/docs/upgrade\">upgrade guide</a>.<br><br>• first item<br>• second item"
    );
    let button = &card["sections"][0]["widgets"][1]["buttonList"]["buttons"][0];
    assert_eq!(button["text"], "Open");
    assert_eq!(
        button["onClick"]["openLink"]["url"],
        "https://blog.example.com/posts/release-2"
    );
}

#[test]
fn huge_summary_is_cut_to_the_byte_budget_before_anything_else() {
    let sample = Sample::huge_summary();
    let card = sample.card();
    let parts = sample.frame(ChatCard {
        subtitle: "feed".into(),
    });
    let budget = 2_000;
    let payload = fit(parts, card.summary(), |p| size(p) <= budget);
    assert!(size(&payload) <= budget);
    // Binary search packs the budget: a little more summary would not have fitted.
    assert!(size(&payload) > budget - 250, "{} bytes", size(&payload));
    assert!(paragraph(&payload).ends_with('…'));
    assert!(
        card_of(&payload)["header"]["imageUrl"].is_string(),
        "the image is kept"
    );
}

#[test]
fn the_full_byte_limit_holds_with_the_preview_cap_lifted() {
    let sample = Sample::huge_summary();
    let card = sample.card();
    let parts = sample.frame(ChatCard {
        subtitle: "rust-blog".into(),
    });
    let payload = fit(parts, card.summary(), |p| size(p) <= MAX_MESSAGE_BYTES);
    assert!(size(&payload) <= MAX_MESSAGE_BYTES);
    assert!(
        size(&payload) > MAX_MESSAGE_BYTES - 500,
        "{} bytes",
        size(&payload)
    );
    assert_eq!(payload["text"], "A very long post");
}

#[test]
fn a_link_too_long_for_the_budget_costs_the_image_and_the_title_end() {
    let parts = long_link_frame(ChatCard {
        subtitle: "feed".into(),
    });
    let summary = crate::render::html::to_rich_text("<p>text</p>", None);
    let payload = fit(parts, &summary, |p| size(p) <= 1_800);
    let title = card_of(&payload)["header"]["title"]
        .as_str()
        .expect("title");
    assert!(
        title.starts_with("word word") && title.chars().count() <= 80,
        "{title}"
    );
    assert!(!payload.to_string().contains("i.png"));
    assert_eq!(
        card_of(&payload)["sections"][0]["widgets"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[test]
fn entry_without_link_has_no_button() {
    let payload = render(&Sample::no_link().card());
    let widgets = card_of(&payload)["sections"][0]["widgets"]
        .as_array()
        .expect("widgets");
    assert_eq!(widgets.len(), 1);
    assert!(widgets[0]["textParagraph"].is_object());
}

#[test]
fn entry_without_summary_or_link_is_a_header_only() {
    let mut sample = Sample::no_link();
    sample.entry.summary_html = None;
    let payload = render(&sample.card());
    assert!(card_of(&payload).get("sections").is_none());
    assert_eq!(
        card_of(&payload)["header"]["title"],
        "Maintenance window on Saturday"
    );
}

#[test]
fn hostile_text_is_inert() {
    let payload = render(&Sample::hostile().card());
    let json = payload.to_string();
    assert_inert(&json);
    assert!(!json.contains("steal"));
    let text = paragraph(&payload);
    assert!(
        text.contains("&lt;at&gt;all&lt;/at&gt; @everyone"),
        "{text}"
    );
    assert!(text.contains("&amp;amp;"), "{text}");
    assert!(card_of(&payload)["header"].get("imageUrl").is_none());
}

#[test]
fn mentions_and_misleading_links_are_neutralised() {
    let mut sample = Sample::mentions();
    sample.entry.title = Some("<users/all> look".into());
    let payload = render(&sample.card());
    assert_eq!(payload["text"], "‹users/all> look");
    let text = paragraph(&payload);
    assert!(
        text.contains("<a href=\"https://evil.example/\">https://evil.example/</a>"),
        "{text}"
    );
    assert!(!text.contains(">https://bank.example</a>"), "{text}");
}

#[test]
fn non_latin_scripts_and_emoji_are_kept() {
    let payload = render(&Sample::non_latin().card());
    let title = card_of(&payload)["header"]["title"]
        .as_str()
        .expect("title");
    assert!(title.ends_with("🚀👨\u{200D}👩\u{200D}👧"), "{title}");
    assert!(paragraph(&payload).contains("<b>太字</b>と<i>斜体</i>"));
    assert!(paragraph(&payload).contains("🏳️\u{200D}🌈"));
}

/// Every tag in `html` is one the writer makes: `<b>`, `<i>`, `<br>`, `<a href="…">` and their
/// ends. Feed text's own `<` is always `&lt;`.
fn assert_only_generated_tags(html: &str) {
    for (at, _) in html.match_indices('<') {
        let tag = &html[at..];
        let allowed = [
            "<b>",
            "</b>",
            "<i>",
            "</i>",
            "<br>",
            "</a>",
            "<a href=\"http",
        ];
        assert!(
            allowed.iter().any(|a| tag.starts_with(a)),
            "unexpected tag at {}",
            &tag[..tag.len().min(40)]
        );
    }
}

/// Every URL the message opens or loads: hrefs, buttons, the header image.
fn urls(payload: &Value) -> Vec<String> {
    let card = card_of(payload);
    let mut urls: Vec<String> = paragraph(payload)
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect();
    for pointer in [
        "/header/imageUrl",
        "/sections/0/widgets/1/buttonList/buttons/0/onClick/openLink/url",
    ] {
        if let Some(url) = card.pointer(pointer).and_then(Value::as_str) {
            urls.push(url.to_owned());
        }
    }
    urls
}
