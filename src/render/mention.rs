//! A channel's configured mentions (`mention`), added to a rendered payload in the one place each
//! platform pings from. Feed text never pings: the renderers neutralise mention syntax in it, and
//! each platform here is told exactly who may be pinged.
//!
//! - Slack: the mentions as a first `section` block and at the start of `text` (the
//!   notification), in Slack's own syntax (`<!here>`, `<@U…>`, `<!subteam^S…>`).
//!   <https://api.slack.com/reference/surfaces/formatting#mentioning-users>
//! - Discord: the mentions as the message's `content`, with `allowed_mentions` listing exactly
//!   their user and role ids, so nothing else in the message can ping.
//!   <https://discord.com/developers/docs/resources/message#allowed-mentions-object>
//! - Matrix: each user as a pill (a `matrix.to` link) before the message, and listed in
//!   `m.mentions.user_ids`, which is what clients ping from.
//!   <https://spec.matrix.org/v1.11/client-server-api/#user-and-room-mentions>
//!
//! The config allows at most [`crate::config::MAX_MENTIONS`] short mentions, which every
//! target's size budget leaves room for.

use serde_json::{Value, json};

use crate::config::ChannelKind;

/// `payload` rendered for a channel of `kind`, with `mentions` added where the platform pings
/// from. No mentions: the payload as it was.
#[must_use]
pub fn add(kind: ChannelKind, mentions: &[String], mut payload: Value) -> Value {
    if mentions.is_empty() {
        return payload;
    }
    match kind {
        ChannelKind::Slack => slack(mentions, &mut payload),
        ChannelKind::Discord => discord(mentions, &mut payload),
        ChannelKind::Matrix => matrix(mentions, &mut payload),
        _ => {}
    }
    payload
}

fn slack(mentions: &[String], payload: &mut Value) {
    let line = mentions.join(" ");
    let text = payload["text"].as_str().unwrap_or_default().to_owned();
    payload["text"] = json!(format!("{line} {text}"));
    if let Some(blocks) = payload["blocks"].as_array_mut() {
        let block = json!({ "type": "section", "text": { "type": "mrkdwn", "text": line } });
        blocks.insert(0, block);
    }
}

fn discord(mentions: &[String], payload: &mut Value) {
    let (mut users, mut roles) = (Vec::new(), Vec::new());
    for mention in mentions {
        let inner = mention.trim_start_matches("<@").trim_end_matches('>');
        match inner.strip_prefix('&') {
            Some(role) => roles.push(role.to_owned()),
            None => users.push(inner.trim_start_matches('!').to_owned()),
        }
    }
    payload["content"] = json!(mentions.join(" "));
    payload["allowed_mentions"] = json!({ "parse": [], "users": users, "roles": roles });
}

fn matrix(users: &[String], payload: &mut Value) {
    let pills: Vec<String> = users
        .iter()
        .map(|user| format!("<a href=\"https://matrix.to/#/{user}\">{user}</a>"))
        .collect();
    let body = payload["body"].as_str().unwrap_or_default().to_owned();
    let formatted = payload["formatted_body"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    payload["body"] = json!(format!("{}: {body}", users.join(" ")));
    payload["formatted_body"] = json!(format!("{}: {formatted}", pills.join(" ")));
    payload["m.mentions"] = json!({ "user_ids": users });
}

#[cfg(test)]
mod tests;
