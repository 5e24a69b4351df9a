//! A channel's configured mentions (`mention`), added to a rendered payload in the one place each
//! platform pings from. Feed text never pings: the renderers neutralise mention syntax in it, and
//! each platform here is told exactly who may be pinged.
//!
//! - Teams (Workflows, Adaptive Card): each user as `<at>…</at>` in a first `TextBlock`, and
//!   listed in the card's `msteams.entities` as a `mention` naming the user by UPN or Entra
//!   object id. Teams pings only text matching an entity; feed text has `<` and `>`
//!   backslash-escaped, so it never matches one.
//!   <https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-format#mention-support-within-adaptive-cards>
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
//! target's size budget leaves room for; Teams, whose limit is on the whole payload, measures its
//! card with them ([`bytes_with`]).

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
        ChannelKind::Teams => teams(mentions, &mut payload),
        ChannelKind::Slack => slack(mentions, &mut payload),
        ChannelKind::Discord => discord(mentions, &mut payload),
        ChannelKind::Matrix => matrix(mentions, &mut payload),
        _ => {}
    }
    payload
}

/// The serialised size of `payload` once `mentions` are added: what a payload limit measures.
#[must_use]
pub fn bytes_with(kind: ChannelKind, mentions: &[String], payload: &Value) -> usize {
    if mentions.is_empty() {
        return payload.to_string().len();
    }
    add(kind, mentions, payload.clone()).to_string().len()
}

/// Each user is named by what the config holds (UPN or object id): Teams shows the `<at>` text,
/// and the name is only a fallback for clients that cannot resolve the id.
fn teams(users: &[String], payload: &mut Value) {
    let Some(card) = payload.pointer_mut("/attachments/0/content") else {
        return;
    };
    let tags: Vec<String> = users
        .iter()
        .map(|user| format!("<at>{user}</at>"))
        .collect();
    if let Some(body) = card["body"].as_array_mut() {
        let line = json!({ "type": "TextBlock", "text": tags.join(" "), "wrap": true });
        body.insert(0, line);
    }
    let entities: Vec<Value> = users
        .iter()
        .zip(&tags)
        .map(|(user, tag)| {
            json!({ "type": "mention", "text": tag, "mentioned": { "id": user, "name": user } })
        })
        .collect();
    card["msteams"]["entities"] = json!(entities);
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
