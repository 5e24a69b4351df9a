//! Digests for the targets whose message is one text: Mattermost and Rocket.Chat (CommonMark),
//! Google Chat (its card HTML), Matrix (`formatted_body` HTML, with a plain `body`), Telegram
//! (HTML mode) and ntfy (plain text). Each part is the heading, then each feed's name and one
//! line per entry, within the target's own limit.

use serde_json::{Value, json};

use super::{DigestLine, DigestPart, Part, split};
use crate::config::ChannelOptions;
use crate::render::markup::Markup;
use crate::render::markup::chat_html::{MatrixHtml, TelegramHtml};
use crate::render::markup::commonmark::Commonmark;
use crate::render::markup::gchat_text::{GchatHtml, neutralise_message_text};
use crate::render::markup::plain::Plain;
use crate::render::slack::add_poster_options;
use crate::render::truncate::Measure;
use crate::render::{google_chat, matrix, mattermost, ntfy, rocketchat, telegram};

/// A Mattermost post per part, within its 16,383 characters.
#[must_use]
pub fn mattermost(lines: &[DigestLine], options: &ChannelOptions) -> Vec<Part<Value>> {
    split(
        lines,
        |part| {
            let mut payload = json!({ "text": part.text::<Commonmark>("\n") });
            add_poster_options(&mut payload, options);
            payload
        },
        |payload| chars(&payload["text"]) <= mattermost::MAX_TEXT_CHARS,
    )
}

/// A Rocket.Chat message per part, within its 5,000 characters.
#[must_use]
pub fn rocketchat(lines: &[DigestLine], options: &ChannelOptions) -> Vec<Part<Value>> {
    split(
        lines,
        |part| {
            let mut payload = json!({ "text": part.text::<Commonmark>("\n") });
            rocketchat::add_overrides(&mut payload, options);
            payload
        },
        |payload| chars(&payload["text"]) <= rocketchat::MAX_TEXT_CHARS,
    )
}

/// A Google Chat card per part: a section per feed, within a message's 32,000 bytes.
#[must_use]
pub fn google_chat(lines: &[DigestLine]) -> Vec<Part<Value>> {
    split(lines, google_chat_layout, |payload| {
        payload.to_string().len() <= google_chat::MAX_MESSAGE_BYTES
    })
}

fn google_chat_layout(part: &DigestPart<'_>) -> Value {
    let heading = part.heading();
    let sections: Vec<Value> = part
        .groups()
        .map(|(feed, lines)| {
            let entries: Vec<String> = lines.iter().map(DigestLine::entry::<GchatHtml>).collect();
            json!({
                "header": GchatHtml::escape(feed, false),
                "widgets": [{ "textParagraph": { "text": entries.join("<br>") } }],
            })
        })
        .collect();
    json!({
        "text": neutralise_message_text(&heading),
        "cardsV2": [{
            "cardId": "feedhook-digest",
            "card": { "header": { "title": heading }, "sections": sections },
        }],
    })
}

/// A Matrix message per part, within an event's 60,000 bytes of content.
#[must_use]
pub fn matrix(lines: &[DigestLine]) -> Vec<Part<Value>> {
    split(
        lines,
        |part| {
            json!({
                "msgtype": "m.text",
                "body": plain_text(part),
                "format": "org.matrix.custom.html",
                "formatted_body": part.text::<MatrixHtml>("<br>"),
                "m.mentions": {},
            })
        },
        |content| content.to_string().len() <= matrix::MAX_CONTENT_BYTES,
    )
}

/// A Telegram message per part, within its 4,096 UTF-16 units; no link preview, since a digest
/// has no one link to preview.
#[must_use]
pub fn telegram(lines: &[DigestLine]) -> Vec<Part<Value>> {
    split(
        lines,
        |part| {
            json!({
                "text": part.text::<TelegramHtml>("\n"),
                "parse_mode": "HTML",
                "link_preview_options": { "is_disabled": true },
            })
        },
        |body| {
            body["text"]
                .as_str()
                .is_some_and(|text| Measure::Utf16.len(text) <= telegram::MAX_TEXT_UTF16)
        },
    )
}

/// An ntfy notification per part: the heading as its title, the entries with their links as
/// plain text, within a message's 4,096 bytes.
#[must_use]
pub fn ntfy(lines: &[DigestLine], options: &ChannelOptions) -> Vec<Part<Value>> {
    split(
        lines,
        |part| {
            let mut body = json!({ "title": part.heading(), "message": plain_list(part) });
            if !options.tags.is_empty() {
                body["tags"] = json!(options.tags);
            }
            if let Some(priority) = options.priority {
                body["priority"] = json!(priority);
            }
            body
        },
        |body| {
            body["message"]
                .as_str()
                .is_some_and(|message| message.len() <= ntfy::MAX_MESSAGE_BYTES)
        },
    )
}

/// The part as plain text with each entry's link under it: what a reader of a plain message
/// needs to open the entries.
fn plain_text(part: &DigestPart<'_>) -> String {
    format!("{}\n{}", part.heading(), plain_list(part))
}

fn plain_list(part: &DigestPart<'_>) -> String {
    let mut out = Vec::new();
    for (feed, lines) in part.groups() {
        out.push(format!("{feed}:"));
        for line in lines {
            out.push(line.entry::<Plain>());
            if let Some(link) = &line.link {
                out.push(format!("  {link}"));
            }
        }
    }
    out.join("\n")
}

fn chars(text: &Value) -> usize {
    text.as_str().map_or(0, |text| text.chars().count())
}
