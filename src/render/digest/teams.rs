//! A Teams digest: one Workflows message per part, its Adaptive Card 1.4 listing the entries under
//! their feeds' names, within Teams' 28 KB ([`crate::render::teams::MAX_PAYLOAD_BYTES`]).

use serde_json::{Value, json};

use super::{DigestPart, Part, split};
use crate::config::ChannelKind;
use crate::render::markup::Markup;
use crate::render::markup::teams_md::TeamsMd;
use crate::render::mention::bytes_with;
use crate::render::teams::{CARD_SCHEMA, CARD_VERSION, MAX_PAYLOAD_BYTES, message};

/// The Workflows payloads of a digest of `lines`, one per part, each with room for `mentions`
/// (added to every part by [`super::render_digest`]).
#[must_use]
pub fn render(lines: &[super::DigestLine], mentions: &[String]) -> Vec<Part<Value>> {
    split(lines, layout, |payload| {
        bytes_with(ChannelKind::Teams, mentions, payload) < MAX_PAYLOAD_BYTES
    })
}

fn layout(part: &DigestPart<'_>) -> Value {
    let mut body = vec![json!({
        "type": "TextBlock", "text": TeamsMd::escape(&part.heading(), true), "size": "Medium",
        "weight": "Bolder", "wrap": true,
    })];
    for (feed, lines) in part.groups() {
        body.push(json!({
            "type": "TextBlock", "text": TeamsMd::escape(feed, true), "weight": "Bolder",
            "wrap": true, "spacing": "Medium", "separator": true,
        }));
        for line in lines {
            body.push(json!({
                "type": "TextBlock", "text": line.title_link::<TeamsMd>(), "wrap": true,
                "spacing": "Small",
            }));
            let detail = line.detail::<TeamsMd>();
            if !detail.is_empty() {
                body.push(json!({
                    "type": "TextBlock", "text": detail, "size": "Small", "isSubtle": true,
                    "wrap": true, "spacing": "None",
                }));
            }
        }
    }
    message(&json!({
        "$schema": CARD_SCHEMA,
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "msteams": { "width": "Full" },
        "body": body,
    }))
}
