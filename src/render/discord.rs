//! Discord execute-webhook: one embed, mentions disabled.
//!
//! The embed's title links to the entry; its description is the summary in Discord Markdown; the
//! footer names the feed and the timestamp shows the entry's date in each reader's time zone.
//! `allowed_mentions` is always `{"parse": []}`, so no feed text can ping anyone, and the
//! Markdown writer escapes mention syntax besides.
//! <https://discord.com/developers/docs/resources/webhook#execute-webhook>
//!
//! Discord counts lengths in UTF-16 units (JavaScript's `length`) and rejects the whole message
//! when one limit is passed: title 256, description 4,096, footer 2,048, author 256, and 6,000
//! for all embed text together. Each part is cut to its limit on its own, then the description
//! to what the total leaves. The footer and author name are plain text in Discord (no
//! Markdown, no mentions), so they are cleaned but not escaped.
//! <https://discord.com/developers/docs/resources/message#embed-object-embed-limits>
//!
//! A channel with `forum = true` starts a forum post for each entry: `thread_name` is the
//! channel's name template rendered for the entry, as one clean line of at most 100 characters
//! (Discord's limit for a thread's name), and the entry's display title when it renders blank.
//! A channel with `thread_id` posts into that thread; the id goes in the webhook URL's query,
//! which the configuration writes.

use chrono::SecondsFormat;
use serde_json::{Value, json};
use url::Url;

use super::RenderError;
use super::card::ChannelCard;
use super::clean::clean_line;
use super::fit::fit;
use super::generic::render_text;
use super::markup::Markup;
use super::markup::discord_md::DiscordMd;
use super::truncate::{Measure, truncate};
use crate::config::{ChannelOptions, Template};

pub const TITLE_MAX: usize = 256;
pub const DESCRIPTION_MAX: usize = 4_096;
pub const FOOTER_MAX: usize = 2_048;
pub const AUTHOR_MAX: usize = 256;
/// The limit on title, description, fields, footer and author of all embeds together.
pub const EMBED_TOTAL_MAX: usize = 6_000;
pub const USERNAME_MAX: usize = 80;
/// The limit on a thread's (a forum post's) name.
pub const THREAD_NAME_MAX: usize = 100;
/// The most a thread name template may write before it is cut: a bound on a runaway template.
const THREAD_NAME_TEMPLATE_BYTES: usize = 4 * 1024;

/// The embed's side bar: the orange of the feed icon.
pub(super) const COLOR: u32 = 0x00EE_802F;

/// Renders `card` as a Discord execute-webhook body, with the name of the forum post it starts if
/// the channel posts to a forum.
///
/// # Errors
///
/// The channel's `thread_name` template failed for this card.
pub fn render_post(card: &ChannelCard<'_>, options: &ChannelOptions) -> Result<Value, RenderError> {
    let mut body = render(card, options);
    if let Some(template) = &options.thread_name {
        body["thread_name"] = json!(thread_name(card, template)?);
    }
    Ok(body)
}

/// The forum post's name: `template` rendered as one line within Discord's limit, or the card's
/// title when that is blank.
fn thread_name(card: &ChannelCard<'_>, template: &Template) -> Result<String, RenderError> {
    let written = render_text(card, template, THREAD_NAME_TEMPLATE_BYTES)
        .map_err(|error| RenderError::ThreadName(Box::new(error)))?;
    let mut name = clean_line(&written);
    if name.is_empty() {
        name = card.display_title();
    }
    Ok(truncate(&name, THREAD_NAME_MAX, Measure::Utf16).into_owned())
}

/// Renders `card` as a Discord execute-webhook body.
#[must_use]
pub fn render(card: &ChannelCard<'_>, options: &ChannelOptions) -> Value {
    let title = escaped_within(&card.display_title(), TITLE_MAX);
    let footer = truncate(&card.feed_label(), FOOTER_MAX, Measure::Utf16).into_owned();
    let author = card
        .authors()
        .map(|a| truncate(&a, AUTHOR_MAX, Measure::Utf16).into_owned());
    let fixed = [Some(&title), Some(&footer), author.as_ref()]
        .into_iter()
        .flatten()
        .map(|text| Measure::Utf16.len(text))
        .sum::<usize>();
    let budget = DESCRIPTION_MAX.min(EMBED_TOTAL_MAX.saturating_sub(fixed));
    let description = fit(DiscordMd::write, &card.preview(), |markdown| {
        Measure::Utf16.len(markdown) <= budget
    });

    let mut embed = json!({ "title": title, "color": COLOR });
    if let Some(link) = card.link() {
        embed["url"] = json!(link);
    }
    if !description.is_empty() {
        embed["description"] = json!(description);
    }
    if let Some(date) = card.date() {
        embed["timestamp"] = json!(date.to_rfc3339_opts(SecondsFormat::Secs, true));
    }
    if !footer.is_empty() {
        embed["footer"] = json!({ "text": footer });
    }
    if let Some(author) = author {
        embed["author"] = json!({ "name": author });
    }
    if let Some(image) = card.image() {
        embed["image"] = json!({ "url": image });
    }
    let mut body = json!({ "embeds": [embed], "allowed_mentions": { "parse": [] } });
    if let Some(username) = username(options) {
        body["username"] = json!(username);
    }
    if let Some(avatar) = avatar_url(options) {
        body["avatar_url"] = json!(avatar);
    }
    body
}

/// `text` escaped as Markdown in at most `max` UTF-16 units: cut before escaping, so that no cut
/// falls between a backslash and what it escapes, and cut further while the escapes overflow.
fn escaped_within(text: &str, max: usize) -> String {
    let mut budget = max;
    loop {
        let escaped = DiscordMd::escape(&truncate(text, budget, Measure::Utf16), true);
        let len = Measure::Utf16.len(&escaped);
        if len <= max {
            return escaped;
        }
        // Escapes grow the text in proportion to the markup it holds; shrink likewise.
        budget = (budget * max / len).min(budget.saturating_sub(1));
    }
}

/// The configured display name, if Discord would accept it: it rejects the whole message when a
/// webhook's name contains "discord" or "clyde", and a card under the webhook's own name is
/// better than none.
pub(super) fn username(options: &ChannelOptions) -> Option<String> {
    let name = clean_line(options.username.as_deref()?);
    let lower = name.to_lowercase();
    if name.is_empty() || lower.contains("discord") || lower.contains("clyde") {
        return None;
    }
    Some(truncate(&name, USERNAME_MAX, Measure::Utf16).into_owned())
}

pub(super) fn avatar_url(options: &ChannelOptions) -> Option<String> {
    let url = Url::parse(options.icon_url.as_deref()?).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.into())
}

#[cfg(test)]
mod tests;
