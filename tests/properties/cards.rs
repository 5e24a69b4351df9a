//! Arbitrary entries for the renderers, and each platform's limits as the renderers publish them.

use chrono::{DateTime, Utc};
use feedhook::config::ChannelKind;
use feedhook::parse::Entry;
use feedhook::render::email::EmailParts;
use feedhook::render::{
    discord, google_chat, matrix, mattermost, messagecard, ntfy, rocketchat, slack, teams, telegram,
};
use proptest::prelude::*;
use serde_json::Value;

/// HTML pieces a summary is assembled from: tags the reader handles, broken markup, mention and
/// Markdown syntax, and arbitrary Unicode.
fn html_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,40}",
        Just("<p>".to_owned()),
        Just("</p><ul><li>item".to_owned()),
        Just("<a href=\"javascript:alert(1)\">click</a>".to_owned()),
        Just("<a href=\"/relative\">rel</a>".to_owned()),
        Just("<pre>```\n[x](javascript:1)\n</pre>".to_owned()),
        Just("<blockquote><b>**bold** _i_ @everyone <!channel> <@123>".to_owned()),
        Just("&amp;&lt;&#x202e;&nbsp;\u{200b}".to_owned()),
    ]
}

fn summary() -> impl Strategy<Value = String> {
    // Repeating the pieces reaches the platforms' size limits, which the fitters must respect.
    (prop::collection::vec(html_piece(), 0..8), 1..120usize)
        .prop_map(|(pieces, times)| pieces.concat().repeat(times))
}

fn link() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,30}",
        "https://example\\.com/[\\PC&&[^ ]]{0,200}",
        Just("javascript:alert(1)".to_owned()),
    ]
}

fn date() -> impl Strategy<Value = Option<DateTime<Utc>>> {
    prop::option::of(
        (-2_000_000_000i64..5_000_000_000).prop_map(|secs| {
            DateTime::from_timestamp(secs, 0).expect("the range is within chrono's")
        }),
    )
}

pub fn entry() -> impl Strategy<Value = Entry> {
    (
        prop::option::of(any::<String>()),
        prop::option::of(link()),
        prop::option::of(summary()),
        prop::collection::vec(any::<String>(), 0..5),
        prop::option::of(link()),
        date(),
        date(),
    )
        .prop_map(
            |(title, link, summary_html, authors, image, published, updated)| Entry {
                key: "k".to_owned(),
                id: None,
                title,
                link,
                published,
                updated,
                authors,
                summary_html,
                categories: Vec::new(),
                image,
            },
        )
}

/// Whether a JSON payload for `kind` is within that platform's limits.
pub fn within_limits(kind: ChannelKind, value: &Value) -> Result<(), String> {
    let bytes = value.to_string().len();
    let check = |ok: bool, what: String| if ok { Ok(()) } else { Err(what) };
    match kind {
        ChannelKind::Teams => check(
            bytes <= teams::MAX_PAYLOAD_BYTES,
            format!("Teams payload of {bytes} bytes"),
        ),
        ChannelKind::TeamsMessageCard => check(
            bytes <= messagecard::MAX_PAYLOAD_BYTES,
            format!("MessageCard of {bytes} bytes"),
        ),
        ChannelKind::GoogleChat => check(
            bytes <= google_chat::MAX_MESSAGE_BYTES,
            format!("Chat message of {bytes} bytes"),
        ),
        ChannelKind::Mattermost => {
            let chars = value["text"].as_str().map_or(0, |t| t.chars().count());
            check(
                chars <= mattermost::MAX_TEXT_CHARS,
                format!("Mattermost text of {chars} chars"),
            )
        }
        ChannelKind::Matrix => check(
            bytes <= matrix::MAX_CONTENT_BYTES,
            format!("Matrix event content of {bytes} bytes"),
        ),
        ChannelKind::Telegram => {
            let units = value["text"]
                .as_str()
                .map_or(0, |t| t.encode_utf16().count());
            check(
                units <= telegram::MAX_TEXT_UTF16,
                format!("Telegram text of {units} UTF-16 units"),
            )
        }
        ChannelKind::Ntfy => {
            let len = value["message"].as_str().map_or(0, str::len);
            check(
                len <= ntfy::MAX_MESSAGE_BYTES,
                format!("ntfy message of {len} bytes"),
            )
        }
        ChannelKind::Rocketchat => {
            let attachment = &value["attachments"][0];
            let len =
                chars(&value["text"]) + chars(&attachment["title"]) + chars(&attachment["text"]);
            check(
                len <= rocketchat::MAX_TEXT_CHARS,
                format!("Rocket.Chat text of {len} chars"),
            )
        }
        ChannelKind::Slack => slack_limits(value),
        ChannelKind::Discord => discord_limits(value),
        // Email is never JSON: see `email_within_limits`.
        ChannelKind::Generic | ChannelKind::Console | ChannelKind::Email => Ok(()),
    }
}

/// Whether an email's parts hold what a message can carry: a subject of one line, at most 200
/// characters, and HTML without any element that runs or loads something.
pub fn email_within_limits(parts: &EmailParts) -> Result<(), String> {
    let subject = &parts.subject;
    if subject.chars().any(char::is_control) || subject.chars().count() > 200 {
        return Err(format!("subject {subject:?}"));
    }
    let html = parts.html.to_ascii_lowercase();
    for banned in [
        "<script",
        "<iframe",
        "<object",
        "href=\"javascript",
        " onerror=",
    ] {
        if html.contains(banned) {
            return Err(format!("{banned} in the HTML"));
        }
    }
    Ok(())
}

fn chars(value: &Value) -> usize {
    value.as_str().map_or(0, |t| t.chars().count())
}

fn slack_limits(value: &Value) -> Result<(), String> {
    let blocks = value["blocks"]
        .as_array()
        .ok_or("Slack body without blocks")?;
    if blocks.len() > slack::MAX_BLOCKS {
        return Err(format!("{} Slack blocks", blocks.len()));
    }
    for block in blocks {
        let (len, max) = match block["type"].as_str() {
            Some("header") => (chars(&block["text"]["text"]), slack::HEADER_MAX_CHARS),
            Some("section") => (chars(&block["text"]["text"]), slack::SECTION_MAX_CHARS),
            _ => continue,
        };
        if len > max {
            return Err(format!("Slack {} of {len} chars", block["type"]));
        }
    }
    Ok(())
}

fn discord_limits(value: &Value) -> Result<(), String> {
    if value["allowed_mentions"]["parse"] != serde_json::json!([]) {
        return Err("Discord mentions allowed".to_owned());
    }
    let embed = &value["embeds"][0];
    let utf16 = |v: &Value| v.as_str().map_or(0, |t| t.encode_utf16().count());
    let parts = [
        (utf16(&embed["title"]), discord::TITLE_MAX),
        (utf16(&embed["description"]), discord::DESCRIPTION_MAX),
        (utf16(&embed["footer"]["text"]), discord::FOOTER_MAX),
        (utf16(&embed["author"]["name"]), discord::AUTHOR_MAX),
    ];
    if let Some((len, max)) = parts.iter().find(|(len, max)| len > max) {
        return Err(format!("Discord embed part of {len} > {max}"));
    }
    let total: usize = parts.iter().map(|(len, _)| len).sum();
    if total > discord::EMBED_TOTAL_MAX {
        return Err(format!("Discord embed of {total}"));
    }
    Ok(())
}
