//! What every rendered payload must satisfy, whatever the feed said: the platform's size limits,
//! no mention that notifies, and no link that is not an http(s) URL.

use feedhook::config::ChannelKind;
use feedhook::render::{
    Card, ChannelCard, Payload, discord, google_chat, mattermost, messagecard, slack, teams,
};
use serde_json::Value;

use crate::markup::{html_hrefs, is_web_destination, markdown_destinations, slack_destinations};

/// JSON keys whose string value is a URL a client follows or loads.
const URL_KEYS: [&str; 10] = [
    "url",
    "uri",
    "href",
    "link",
    "image",
    "image_url",
    "imageUrl",
    "activityImage",
    "avatar_url",
    "icon_url",
];

/// Checks the payload rendered for `kind` from `card`; panics (a fuzzer finding) on a violation.
pub fn check(kind: ChannelKind, card: &Card<'_>, payload: &Payload) {
    match (kind, payload) {
        (ChannelKind::Console, Payload::Text(text)) => console(text),
        (ChannelKind::Console, other) => panic!("console rendered {other:?}"),
        (_, Payload::Json(value)) => {
            let bytes = payload.to_bytes();
            let reread: Value = serde_json::from_slice(&bytes).expect("payload is valid JSON");
            assert_eq!(&reread, value, "payload survives a JSON round trip");
            url_fields(value);
            json(kind, card, value, bytes.len());
        }
        (kind, other) => panic!("{kind} rendered {other:?}"),
    }
}

fn json(kind: ChannelKind, card: &Card<'_>, value: &Value, bytes: usize) {
    match kind {
        ChannelKind::Teams => teams_card(card, value, bytes),
        ChannelKind::TeamsMessageCard => message_card(card, value, bytes),
        ChannelKind::Slack => slack_body(value),
        ChannelKind::Discord => discord_body(value),
        ChannelKind::Mattermost => mattermost_body(value),
        ChannelKind::GoogleChat => google_chat_body(card, value, bytes),
        ChannelKind::Generic => assert_eq!(value["entry"]["key"], card.entry.key.as_str()),
        ChannelKind::Console => unreachable!("console renders text"),
    }
}

/// Every URL-bearing field, anywhere in the payload, holds an absolute http(s) URL (or null).
fn url_fields(value: &Value) {
    match value {
        Value::Object(map) => {
            for (key, field) in map {
                if let (true, Value::String(url)) = (URL_KEYS.contains(&key.as_str()), field) {
                    let parsed = url::Url::parse(url);
                    assert!(
                        parsed.is_ok_and(|u| matches!(u.scheme(), "http" | "https")),
                        "`{key}` is not an http(s) URL: {url:?}"
                    );
                }
                url_fields(field);
            }
        }
        Value::Array(items) => items.iter().for_each(url_fields),
        _ => {}
    }
}

fn markdown_links(text: &Value) {
    let text = text.as_str().unwrap_or_default();
    for destination in markdown_destinations(text) {
        assert!(
            is_web_destination(&destination),
            "Markdown link to {destination:?} in {text:?}"
        );
    }
}

/// A payload over its byte limit is tolerated only when the fitter gave up everything it can (the
/// summary and the image) and the link, which is never cut, is what is big: no other part of a
/// shed card can reach the limit, and the link appears at most twice, percent-encoded at most 3×.
fn over_limit_only_for_link(card: &Card<'_>, bytes: usize, max: usize, shed: bool) {
    if bytes <= max {
        return;
    }
    let link = ChannelCard::new(card)
        .link()
        .map_or(0, |link| link.as_str().len());
    assert!(shed, "{bytes} bytes > {max}, yet summary or image kept");
    assert!(
        link * 8 + 8_000 > max,
        "{bytes} bytes > {max} with a link of only {link} bytes"
    );
}

fn teams_card(card: &Card<'_>, value: &Value, bytes: usize) {
    let content = &value["attachments"][0]["content"];
    assert_eq!(content["version"], "1.4");
    let body = content["body"].as_array().expect("the card has a body");
    for block in body {
        markdown_links(&block["text"]);
    }
    // The summary is the one TextBlock without a size.
    let shed = !body
        .iter()
        .any(|block| block["type"] == "Image" || block.get("size").is_none());
    over_limit_only_for_link(card, bytes, teams::MAX_PAYLOAD_BYTES, shed);
}

fn message_card(card: &Card<'_>, value: &Value, bytes: usize) {
    markdown_links(&value["title"]);
    let section = &value["sections"][0];
    for key in ["activityTitle", "activitySubtitle", "text"] {
        markdown_links(&section[key]);
    }
    let shed = section.get("text").is_none() && section.get("activityImage").is_none();
    over_limit_only_for_link(card, bytes, messagecard::MAX_PAYLOAD_BYTES, shed);
}

fn google_chat_body(card: &Card<'_>, value: &Value, bytes: usize) {
    let text = value["text"].as_str().unwrap_or_default();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let opens = c == '<' && chars.peek().is_some_and(|next| !next.is_whitespace());
        assert!(!opens, "message text can open Chat markup: {text:?}");
    }
    let card_value = &value["cardsV2"][0]["card"];
    let widgets = card_value["sections"][0]["widgets"].as_array();
    let mut has_summary = false;
    for widget in widgets.into_iter().flatten() {
        if let Some(html) = widget["textParagraph"]["text"].as_str() {
            has_summary = true;
            for href in html_hrefs(html) {
                assert!(is_web_destination(&href), "href {href:?} in {html:?}");
            }
        }
    }
    let shed = !has_summary && card_value["header"].get("imageUrl").is_none();
    over_limit_only_for_link(card, bytes, google_chat::MAX_MESSAGE_BYTES, shed);
}

fn slack_body(value: &Value) {
    let blocks = value["blocks"].as_array().expect("Slack body has blocks");
    assert!(blocks.len() <= slack::MAX_BLOCKS, "{} blocks", blocks.len());
    slack_links(&value["text"]);
    for block in blocks {
        let chars = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
        match block["type"].as_str() {
            Some("header") => {
                let len = chars(&block["text"]["text"]);
                assert!(len <= slack::HEADER_MAX_CHARS, "header of {len} chars");
            }
            Some("section") => {
                let len = chars(&block["text"]["text"]);
                assert!(len <= slack::SECTION_MAX_CHARS, "section of {len} chars");
                slack_links(&block["text"]["text"]);
            }
            Some("context") => {
                for element in block["elements"].as_array().into_iter().flatten() {
                    let len = chars(&element["text"]);
                    assert!(len <= slack::SECTION_MAX_CHARS, "context of {len} chars");
                    slack_links(&element["text"]);
                }
            }
            _ => {}
        }
    }
}

fn slack_links(text: &Value) {
    let text = text.as_str().unwrap_or_default();
    for destination in slack_destinations(text) {
        // `<!date^…|…>` is the one control sequence feedhook writes (the entry's date).
        let date = destination.starts_with("!date^");
        assert!(
            date || is_web_destination(&destination),
            "Slack sequence <{destination}> in {text:?}"
        );
    }
}

fn discord_body(value: &Value) {
    assert_eq!(
        value["allowed_mentions"],
        serde_json::json!({ "parse": [] }),
        "Discord mentions must stay disabled"
    );
    let embed = &value["embeds"][0];
    let utf16 = |v: &Value| v.as_str().map_or(0, |s| s.encode_utf16().count());
    let parts = [
        (utf16(&embed["title"]), discord::TITLE_MAX, "title"),
        (
            utf16(&embed["description"]),
            discord::DESCRIPTION_MAX,
            "description",
        ),
        (
            utf16(&embed["footer"]["text"]),
            discord::FOOTER_MAX,
            "footer",
        ),
        (
            utf16(&embed["author"]["name"]),
            discord::AUTHOR_MAX,
            "author",
        ),
    ];
    for (len, max, name) in parts {
        assert!(len <= max, "Discord {name} of {len} UTF-16 units");
    }
    let total: usize = parts.iter().map(|(len, ..)| len).sum();
    assert!(
        total <= discord::EMBED_TOTAL_MAX,
        "Discord embed of {total}"
    );
    assert!(utf16(&value["username"]) <= discord::USERNAME_MAX);
    markdown_links(&embed["title"]);
    markdown_links(&embed["description"]);
}

fn mattermost_body(value: &Value) {
    let text = &value["text"];
    let len = text.as_str().map_or(0, |s| s.chars().count());
    assert!(
        len <= mattermost::MAX_TEXT_CHARS,
        "Mattermost text of {len}"
    );
    markdown_links(text);
}

/// The console gets no control character but the line ends, and no bidi override.
fn console(text: &str) {
    let bad = text.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    });
    assert!(bad.is_none(), "console text holds {bad:?}: {text:?}");
}
