//! The generic JSON webhook: feedhook's own documented object, for scripts, automation tools and
//! chat systems without a dedicated target.
//!
//! # The object
//!
//! ```json
//! {
//!   "feed": {
//!     "name": "rust-blog",                        // the feed's name in the config, else its URL
//!     "title": "Example Blog",                    // the feed's own title, or null
//!     "url": "https://blog.example.com/feed.xml", // the URL feedhook polls
//!     "link": "https://blog.example.com/"         // the feed's home page, or null
//!   },
//!   "entry": {
//!     "id": "tag:blog.example.com,2026:release-2",   // id/guid as published, or null
//!     "key": "tag:blog.example.com,2026:release-2",  // feedhook's dedupe key; never null
//!     "title": "Release 2.0 is out",                 // plain text, or null
//!     "link": "https://blog.example.com/posts/release-2", // absolute http(s) URL, or null
//!     "published": "2026-11-27T14:05:00Z",           // RFC 3339 in UTC, or null
//!     "updated": "2026-11-28T09:30:00Z",             // RFC 3339 in UTC, or null
//!     "author": "Jane Doe, Ann Smith",               // the authors joined for display, or null
//!     "authors": ["Jane Doe", "Ann Smith"],          // possibly empty
//!     "summary_text": "We shipped bold things…",     // the summary as plain text, or null
//!     "summary_html": "<p>We shipped <b>bold</b>…",  // the summary as published, or null
//!     "categories": ["release", "rust"],             // possibly empty
//!     "image": "https://blog.example.com/img.png"    // https URL, or null
//!   }
//! }
//! ```
//!
//! Every key is always present; absent values are `null` (or `[]` for lists). Strings other
//! than `summary_text` are passed on as the feed published them: `summary_html` is untrusted HTML
//! and must be sanitised before it is shown in a page. `summary_text` is derived from it: markup
//! removed, entities decoded, invisible and control characters dropped, paragraphs separated by a
//! blank line and list items by a newline. It is not shortened, but it is made from the first
//! 64 KiB of the summary only ([`super::html::MAX_INPUT_BYTES`]).
//!
//! # Templates
//!
//! A generic channel with a `template` posts that [minijinja] template rendered with two values,
//! `feed` and `entry`, exactly the objects above. Nothing is escaped for you, because a body may
//! be JSON, form data or plain text: in a JSON body put every value through the `tojson` filter,
//! which quotes and escapes it (`{"text": {{ entry.title | tojson }}}`); a bare `{{ entry.title }}`
//! lets a feed break the JSON. `null` renders as nothing (not `none`), so that plain-text
//! templates read well.
//!
//! The rule for missing values: every key above is always present, so a template may use any of
//! them on any entry. `{{ entry.title }}` on an untitled entry writes nothing and
//! `{% if entry.title %}` is false; but a key or a variable that does not exist is an error
//! (`{{ entry.titel }}`), as is a filter that does not exist or a value of the wrong type. Where
//! a value may be `null`, say what to write instead: `{{ entry.title or "untitled" }}`,
//! `{{ entry.authors[0] if entry.authors else "anonymous" }}`.
//!
//! A template's syntax is checked when the config is read (and compiled then, once);
//! `feedhook check` also renders it for two sample entries, one with every field set and one
//! with none of the optional ones ([`samples`]). A render that still fails, or takes more than
//! [`Template::FUEL`] steps, or writes more than [`MAX_TEMPLATE_BYTES`], is a
//! [`RenderError`]: that delivery fails with the reason, and nothing is posted in its place.
//!
//! [minijinja]: https://docs.rs/minijinja/2/minijinja/syntax/index.html

use std::io;
use std::ops::Range;

use chrono::{DateTime, SecondsFormat, Utc};
use minijinja::ErrorKind;
use serde_json::{Value, json};

use super::card::ChannelCard;
use super::markup::plain::to_plain;
use super::truncate::{Measure, truncate};
use super::{Payload, RenderError};
use crate::config::Template;

/// The largest body a template may write: far more than any chat message takes, room for a whole
/// article's HTML, and a bound on the body a runaway loop can build.
pub const MAX_TEMPLATE_BYTES: usize = 1024 * 1024;

/// Renders the generic webhook object for `card`.
#[must_use]
pub fn render(card: &ChannelCard<'_>) -> Value {
    let source = card.source();
    let entry = source.entry;
    let summary_text = Some(to_plain(card.summary())).filter(|text| !text.is_empty());
    let author = (!entry.authors.is_empty()).then(|| entry.authors.join(", "));
    json!({
        "feed": {
            "name": source.feed_name,
            "title": source.feed.title,
            "url": source.feed_url,
            "link": source.feed.link,
        },
        "entry": {
            "id": entry.id,
            "key": entry.key,
            "title": card.raw_title(),
            "link": entry.link,
            "published": entry.published.map(rfc3339),
            "updated": entry.updated.map(rfc3339),
            "author": author,
            "authors": entry.authors,
            "summary_text": summary_text,
            "summary_html": card.summary_html(),
            "categories": entry.categories,
            "image": entry.image,
        },
    })
}

fn rfc3339(date: DateTime<Utc>) -> String {
    date.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Renders the channel's `template` with the same `feed` and `entry` objects as [`render`]
/// produces, into a body of at most [`MAX_TEMPLATE_BYTES`].
///
/// # Errors
///
/// Why the template did not render this card (see the module docs); nothing is posted instead.
pub fn render_template(
    card: &ChannelCard<'_>,
    template: &Template,
) -> Result<Payload, RenderError> {
    render_text(card, template, MAX_TEMPLATE_BYTES).map(Payload::Body)
}

/// Renders `template` with the `feed` and `entry` objects of [`render`] into at most `limit`
/// bytes of text: a generic body, or a short text another target takes from the operator (a
/// Discord forum post's name).
///
/// # Errors
///
/// As [`render_template`], with `limit` for [`RenderError::TooLarge`].
pub fn render_text(
    card: &ChannelCard<'_>,
    template: &Template,
    limit: usize,
) -> Result<String, RenderError> {
    let object = render(card);
    let context = minijinja::context! { feed => &object["feed"], entry => &object["entry"] };
    let mut out = Capped::new(limit);
    match template.render_to(&context, &mut out) {
        Ok(()) => Ok(out.into_string()),
        Err(_) if out.overflowed => Err(RenderError::TooLarge { limit }),
        Err(error) => Err(failure(&error, template.source())),
    }
}

/// What a template wrote, refused past `limit` bytes: the writer's error stops minijinja at once.
struct Capped {
    body: Vec<u8>,
    limit: usize,
    overflowed: bool,
}

impl Capped {
    fn new(limit: usize) -> Self {
        Self {
            body: Vec::new(),
            limit,
            overflowed: false,
        }
    }

    /// minijinja writes whole `str`s, so the body is UTF-8; were it not, nothing is lost but the
    /// odd bytes.
    fn into_string(self) -> String {
        String::from_utf8(self.body)
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
    }
}

impl io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.body.len() + buf.len() > self.limit {
            self.overflowed = true;
            return Err(io::Error::other("the template's output is too large"));
        }
        self.body.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The longest piece of the template quoted in an error.
const MAX_QUOTED_CHARS: usize = 60;

/// minijinja's error as a [`RenderError`]: the line in the template, the expression that failed
/// (quoted from `source`) and what went wrong.
fn failure(error: &minijinja::Error, source: &str) -> RenderError {
    let line = error.line();
    if error.kind() == ErrorKind::OutOfFuel {
        return RenderError::OutOfFuel { line };
    }
    let expression = error
        .range()
        .and_then(|range| source.get(enclosing_tag(source, range)))
        .map(|quoted| quoted.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|quoted| !quoted.is_empty())
        .map(|quoted| truncate(&quoted, MAX_QUOTED_CHARS, Measure::Chars).into_owned());
    let reason = match error.detail() {
        Some(detail) => format!("{}: {detail}", error.kind()),
        None => error.kind().to_string(),
    };
    RenderError::Template {
        line,
        expression,
        reason,
    }
}

/// The `{{ … }}` or `{% … %}` around `range`: minijinja locates some errors on a part of an
/// expression only (the filter's name, the last attribute), which means little quoted alone.
fn enclosing_tag(source: &str, range: Range<usize>) -> Range<usize> {
    let (before, after) = (source.get(..range.start), source.get(range.end..));
    let start = before.and_then(|before| before.rfind("{{").max(before.rfind("{%")));
    let end = after.and_then(|after| {
        let ends = [after.find("}}"), after.find("%}")];
        ends.into_iter().flatten().min()
    });
    match (start, end) {
        (Some(start), Some(end)) => start..range.end + end + 2,
        _ => range,
    }
}

pub mod samples;

#[cfg(test)]
mod tests;
