//! Slack incoming webhook: a plain `text` fallback for notifications and screen readers, and Block
//! Kit blocks for the card.
//!
//! The blocks are: the title (a `section` with a bold `<url|title>` link, or a `header` when the
//! entry has no link), the summary as a mrkdwn `section` with the entry image as its `accessory`,
//! and a `context` line with feed, authors and date. Slack's limits: a header of 150 characters, a
//! section text of 3,000, 50 blocks; this card has at most four, and the summary is cut to fit
//! its section. Link unfurling is off: the card already shows the entry.
//! <https://api.slack.com/messaging/webhooks>, <https://api.slack.com/reference/block-kit/blocks>
//!
//! `username`, `icon_url` and `channel` are sent when configured: legacy webhooks honour them and
//! app webhooks ignore them. How feed text is kept from mentioning or linking is in
//! [`super::markup::slack_mrkdwn`].

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::card::{ChannelCard, byline, format_date};
use super::fit::{SHORT_TITLE_CHARS, fit};
use super::markup::Markup;
use super::markup::links::honest_title;
use super::markup::slack_mrkdwn::SlackMrkdwn;
use super::richtext::RichText;
use super::truncate::{Measure, truncate, truncate_rich};
use crate::config::ChannelOptions;

/// Slack's limit on a message's blocks.
pub const MAX_BLOCKS: usize = 50;
/// Slack's limit on a `header` block's text.
pub const HEADER_MAX_CHARS: usize = 150;
/// Slack's limit on a `section` block's text.
pub const SECTION_MAX_CHARS: usize = 3_000;
/// Slack's limit on an image URL.
const IMAGE_URL_MAX_CHARS: usize = 3_000;

const BYLINE_MAX_CHARS: usize = 300;
const FEED_LABEL_MAX_CHARS: usize = 100;

/// Renders `card` as a Slack incoming-webhook body.
#[must_use]
pub fn render(card: &ChannelCard<'_>, options: &ChannelOptions) -> Value {
    let title = card.display_title();
    let link = card.link().map(String::from);
    let mut blocks = vec![title_block(&title, link.as_deref())];
    let image = card
        .image()
        .map(String::from)
        .filter(|url| url.chars().count() <= IMAGE_URL_MAX_CHARS)
        .map(|url| json!({ "type": "image", "image_url": url, "alt_text": title }));
    match (summary_text(card.summary()), image) {
        (Some(text), image) => {
            let mut section = mrkdwn_section(&text);
            if let Some(image) = image {
                section["accessory"] = image;
            }
            blocks.push(section);
        }
        (None, Some(image)) => blocks.push(image),
        (None, None) => {}
    }
    blocks.extend(context_block(card));
    let feed = truncate(&card.feed_label(), FEED_LABEL_MAX_CHARS, Measure::Chars).into_owned();
    let mut payload = json!({
        "text": format!(
            "{}: {}",
            SlackMrkdwn::escape(&feed, true),
            SlackMrkdwn::escape(&title, false)
        ),
        "blocks": blocks,
        "unfurl_links": false,
        "unfurl_media": false,
    });
    add_poster_options(&mut payload, options);
    payload
}

/// Adds the configured `username`, `icon_url` and `channel` overrides to a Slack-compatible body.
pub fn add_poster_options(payload: &mut Value, options: &ChannelOptions) {
    let overrides = [
        ("username", &options.username),
        ("icon_url", &options.icon_url),
        ("channel", &options.channel),
    ];
    for (key, value) in overrides {
        if let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            payload[key] = json!(value);
        }
    }
}

/// The title as a bold link when it fits a section, else as a plain header.
fn title_block(title: &str, link_url: Option<&str>) -> Value {
    if let Some(url) = link_url {
        let short = truncate(title, SHORT_TITLE_CHARS, Measure::Chars);
        for label in [title, &short] {
            let text = format!(
                "*{}*",
                SlackMrkdwn::link(&SlackMrkdwn::escape(&honest_title(label, url), false), url)
            );
            if text.chars().count() <= SECTION_MAX_CHARS {
                return mrkdwn_section(&text);
            }
        }
    }
    // A header is plain_text: Slack shows it as typed, parsing neither entities nor mentions.
    let text = truncate(title, HEADER_MAX_CHARS, Measure::Chars);
    json!({ "type": "header", "text": { "type": "plain_text", "text": text } })
}

/// The summary as mrkdwn within a section's limit, or `None` when there is none.
fn summary_text(summary: &RichText) -> Option<String> {
    let preview = truncate_rich(summary, SECTION_MAX_CHARS);
    let text = fit(SlackMrkdwn::write, &preview, |text| {
        text.chars().count() <= SECTION_MAX_CHARS
    });
    Some(text).filter(|text| !text.is_empty())
}

/// Feed, authors and date on one small line. The date is Slack's date token, shown in each
/// reader's time zone, with the UTC date as its fallback. `None` when there is nothing to say.
fn context_block(card: &ChannelCard<'_>) -> Option<Value> {
    let byline = byline([Some(card.feed_label()), card.authors()], BYLINE_MAX_CHARS);
    let mut parts = vec![SlackMrkdwn::escape(&byline, true)];
    parts.extend(card.date().map(date_token));
    let text = parts
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    (!text.is_empty())
        .then(|| json!({ "type": "context", "elements": [{ "type": "mrkdwn", "text": text }] }))
}

fn date_token(date: DateTime<Utc>) -> String {
    let fallback = format_date(date);
    match date.timestamp() {
        ts if ts >= 0 => format!("<!date^{ts}^{{date_short_pretty}} {{time}}|{fallback}>"),
        _ => fallback,
    }
}

fn mrkdwn_section(text: &str) -> Value {
    json!({ "type": "section", "text": { "type": "mrkdwn", "text": text } })
}

#[cfg(test)]
mod tests;
