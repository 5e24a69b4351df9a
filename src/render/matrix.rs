//! A Matrix `m.room.message` event's content: `m.text` with a plain `body` (the title and the
//! link, what notifications and plain clients show) and an HTML `formatted_body`
//! (`org.matrix.custom.html`): the title linked to the entry, a byline, the summary.
//! <https://spec.matrix.org/v1.11/client-server-api/#mtext>
//!
//! `m.mentions` is always sent, empty: under intentional mentions (Matrix 1.7) a client pings
//! only the users it lists, so no feed text (`@room`, a user id, a display name) can ping
//! anyone. The summary's markup is escaped by [`MatrixHtml`].
//! <https://spec.matrix.org/v1.11/client-server-api/#user-and-room-mentions>
//!
//! A homeserver refuses events over 65,536 bytes, envelope included; the content is kept within
//! [`MAX_CONTENT_BYTES`], the summary cut first. The entry's image is not shown: Matrix shows
//! only images uploaded to a homeserver (`mxc://`).

use serde_json::{Value, json};

use super::card::{ChannelCard, byline, format_date};
use super::fit::{Frame, Layout, fit};
use super::markup::Markup;
use super::markup::chat_html::MatrixHtml;
use super::markup::links::honest_title;
use super::richtext::RichText;

/// The room event limit is 65,536 bytes for the whole event; this leaves room for the envelope
/// the homeserver adds (ids, timestamps, signatures).
pub const MAX_CONTENT_BYTES: usize = 60_000;

const BYLINE_MAX_CHARS: usize = 300;

/// Renders `card` as the content of a Matrix `m.room.message` event.
#[must_use]
pub fn render(card: &ChannelCard<'_>) -> Value {
    let byline = byline(
        [
            Some(card.feed_label()),
            card.authors(),
            card.date().map(format_date),
        ],
        BYLINE_MAX_CHARS,
    );
    fit(
        Frame::new(card, Event { byline }),
        &card.preview(),
        |content| content.to_string().len() <= MAX_CONTENT_BYTES,
    )
}

/// The parts of the event besides its title, link and summary: plain text.
#[derive(Debug, Clone)]
struct Event {
    byline: String,
}

impl Layout for Event {
    type Output = Value;

    fn render(frame: &Frame<Self>, summary: &RichText) -> Value {
        let title = match &frame.link {
            Some(url) => MatrixHtml::link(
                &MatrixHtml::escape(&honest_title(&frame.title, url), false),
                url,
            ),
            None => MatrixHtml::escape(&frame.title, false),
        };
        let mut html = vec![format!("<b>{title}</b>")];
        if !frame.parts.byline.is_empty() {
            html.push(format!(
                "<i>{}</i>",
                MatrixHtml::escape(&frame.parts.byline, false)
            ));
        }
        let summary = MatrixHtml::write(summary);
        let head = html.join("<br>");
        let formatted = if summary.is_empty() {
            head
        } else {
            format!("{head}<br><br>{summary}")
        };
        let body = match &frame.link {
            Some(url) => format!("{}\n{url}", frame.title),
            None => frame.title.clone(),
        };
        json!({
            "msgtype": "m.text",
            "body": body,
            "format": "org.matrix.custom.html",
            "formatted_body": formatted,
            "m.mentions": {},
        })
    }
}

#[cfg(test)]
mod tests;
