//! A Discord digest: one message per part, the heading as its content and an embed per feed
//! listing its entries; within Discord's limits (10 embeds, a description of 4,096 UTF-16 units,
//! 6,000 for every embed together). Mentions are off, as for single cards; in a forum channel
//! the digest starts a post named after its heading.

use serde_json::{Value, json};

use super::{DigestLine, DigestPart, Part, split};
use crate::config::ChannelOptions;
use crate::render::discord::{
    COLOR, DESCRIPTION_MAX, EMBED_TOTAL_MAX, THREAD_NAME_MAX, TITLE_MAX, avatar_url, username,
};
use crate::render::markup::Markup;
use crate::render::markup::discord_md::DiscordMd;
use crate::render::truncate::{Measure, truncate};

/// Discord's limit on a message's embeds.
const MAX_EMBEDS: usize = 10;

/// The execute-webhook bodies of a digest of `lines`, one per part.
#[must_use]
pub fn render(lines: &[DigestLine], options: &ChannelOptions) -> Vec<Part<Value>> {
    split(lines, |part| layout(part, options), fits)
}

fn fits(body: &Value) -> bool {
    let Some(embeds) = body["embeds"].as_array() else {
        return false;
    };
    let units = |value: &Value| value.as_str().map_or(0, |text| Measure::Utf16.len(text));
    let total: usize = embeds
        .iter()
        .map(|embed| units(&embed["title"]) + units(&embed["description"]))
        .sum();
    embeds.len() <= MAX_EMBEDS
        && total <= EMBED_TOTAL_MAX
        && embeds
            .iter()
            .all(|embed| units(&embed["description"]) <= DESCRIPTION_MAX)
}

fn layout(part: &DigestPart<'_>, options: &ChannelOptions) -> Value {
    let heading = part.heading();
    let embeds: Vec<Value> = part
        .groups()
        .map(|(feed, lines)| {
            let title = truncate(feed, TITLE_MAX / 2, Measure::Utf16);
            let entries: Vec<String> = lines.iter().map(DigestLine::entry::<DiscordMd>).collect();
            json!({
                "title": DiscordMd::escape(&title, true),
                "description": entries.join("\n"),
                "color": COLOR,
            })
        })
        .collect();
    let mut body = json!({
        "content": format!("**{}**", DiscordMd::escape(&heading, false)),
        "embeds": embeds,
        "allowed_mentions": { "parse": [] },
    });
    if let Some(username) = username(options) {
        body["username"] = json!(username);
    }
    if let Some(avatar) = avatar_url(options) {
        body["avatar_url"] = json!(avatar);
    }
    if options.thread_name.is_some() {
        body["thread_name"] = json!(truncate(&heading, THREAD_NAME_MAX, Measure::Utf16));
    }
    body
}
