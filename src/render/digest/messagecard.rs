//! A legacy connector digest: one MessageCard per part, a section per feed listing its entries,
//! within the connector's 28 KB ([`crate::render::messagecard::MAX_PAYLOAD_BYTES`]).

use serde_json::{Value, json};

use super::{DigestLine, DigestPart, Part, split};
use crate::render::markup::Markup;
use crate::render::markup::teams_md::TeamsMd;
use crate::render::messagecard::{CONTEXT, MAX_PAYLOAD_BYTES, THEME_COLOR};

/// The MessageCards of a digest of `lines`, one per part.
#[must_use]
pub fn render(lines: &[DigestLine]) -> Vec<Part<Value>> {
    split(lines, layout, |payload| {
        payload.to_string().len() < MAX_PAYLOAD_BYTES
    })
}

fn layout(part: &DigestPart<'_>) -> Value {
    let heading = part.heading();
    let sections: Vec<Value> = part
        .groups()
        .map(|(feed, lines)| {
            let entries: Vec<String> = lines.iter().map(DigestLine::entry::<TeamsMd>).collect();
            json!({
                "markdown": true,
                "activityTitle": TeamsMd::escape(feed, true),
                "text": entries.join("\n\n"),
            })
        })
        .collect();
    json!({
        "@type": "MessageCard",
        "@context": CONTEXT,
        "summary": heading,
        "themeColor": THEME_COLOR,
        "title": TeamsMd::escape(&heading, true),
        "sections": sections,
    })
}
