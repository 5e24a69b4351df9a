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
//! lets a feed break the JSON. Two choices make plain-text templates read well: `null` renders as
//! nothing (not `none`), and an attribute that does not exist renders as nothing too
//! (`{{ entry.nope }}` is empty; as in Jinja, `{{ entry.nope.deeper }}` is an error).
//!
//! A template's syntax is checked when the config is read, but rendering can still fail (a filter
//! that does not exist, arithmetic on a list). Renderers are pure and cannot log, so such an entry
//! is posted as the default object above rather than not at all; [`try_render_template`] returns
//! the error for `feedhook preview` and tests to show.
//!
//! [minijinja]: https://docs.rs/minijinja/2/minijinja/syntax/index.html

use chrono::{DateTime, SecondsFormat, Utc};
use minijinja::{Environment, context, escape_formatter};
use serde_json::{Value, json};

use super::Payload;
use super::card::ChannelCard;
use super::markup::plain::to_plain;

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

/// Renders the channel's minijinja `template` with the same `feed` and `entry` objects as
/// [`render`] produces. A template that fails to render yields the default object instead (see
/// the module docs).
#[must_use]
pub fn render_template(card: &ChannelCard<'_>, template: &str) -> Payload {
    match try_render_template(card, template) {
        Ok(body) => Payload::Body(body),
        Err(_) => Payload::Json(render(card)),
    }
}

/// Renders `template` for `card`, or says why it cannot: a syntax error or a failure while
/// rendering, in one line naming the template line.
pub fn try_render_template(card: &ChannelCard<'_>, template: &str) -> Result<String, String> {
    let object = render(card);
    let env = environment();
    let compiled = env
        .template_from_str(template)
        .map_err(|error| describe(&error))?;
    compiled
        .render(context! { feed => &object["feed"], entry => &object["entry"] })
        .map_err(|error| describe(&error))
}

/// Checks the syntax of `template` as [`render_template`] will read it.
pub fn check_template(template: &str) -> Result<(), String> {
    environment()
        .template_from_str(template)
        .map(drop)
        .map_err(|error| describe(&error))
}

/// No auto-escaping (a body is not always JSON) and `null` written as nothing, not `none`.
fn environment<'source>() -> Environment<'source> {
    let mut env = Environment::new();
    env.set_formatter(|out, state, value| {
        if value.is_none() {
            Ok(())
        } else {
            escape_formatter(out, state, value)
        }
    });
    env
}

/// The error and its causes on one line, as `preview` and the tests show it.
fn describe(error: &minijinja::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message = format!("{message}: {cause}");
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests;
