//! A Slack digest: one message per part, a header, then each feed's name and its entries as
//! mrkdwn sections; within Slack's 50 blocks (one kept for the channel's mentions) and 3,000
//! characters a section.

use serde_json::{Value, json};

use super::{DigestLine, DigestPart, Part, split};
use crate::config::ChannelOptions;
use crate::render::markup::Markup;
use crate::render::markup::slack_mrkdwn::SlackMrkdwn;
use crate::render::slack::{MAX_BLOCKS, SECTION_MAX_CHARS, add_poster_options};

/// The incoming-webhook bodies of a digest of `lines`, one per part.
#[must_use]
pub fn render(lines: &[DigestLine], options: &ChannelOptions) -> Vec<Part<Value>> {
    split(
        lines,
        |part| {
            let mut payload = layout(part);
            add_poster_options(&mut payload, options);
            payload
        },
        fits,
    )
}

fn fits(payload: &Value) -> bool {
    let Some(blocks) = payload["blocks"].as_array() else {
        return false;
    };
    let section_fits = |block: &Value| {
        block["text"]["text"]
            .as_str()
            .is_none_or(|text| text.chars().count() <= SECTION_MAX_CHARS)
    };
    // One block is left for the section the channel's mentions add.
    blocks.len() < MAX_BLOCKS && blocks.iter().all(section_fits)
}

fn layout(part: &DigestPart<'_>) -> Value {
    let heading = part.heading();
    // A header is plain_text: Slack shows it as typed.
    let mut blocks = vec![json!({
        "type": "header", "text": { "type": "plain_text", "text": heading },
    })];
    for (feed, lines) in part.groups() {
        blocks.push(section(&format!("*{}*", SlackMrkdwn::escape(feed, true))));
        for line in lines {
            let mut text = line.title_link::<SlackMrkdwn>();
            let detail = line.detail::<SlackMrkdwn>();
            if !detail.is_empty() {
                text = format!("{text}\n{detail}");
            }
            blocks.push(section(&text));
        }
    }
    json!({
        "text": SlackMrkdwn::escape(&heading, true),
        "blocks": blocks,
        "unfurl_links": false,
        "unfurl_media": false,
    })
}

fn section(text: &str) -> Value {
    json!({ "type": "section", "text": { "type": "mrkdwn", "text": text } })
}
