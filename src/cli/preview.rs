//! `feedhook preview FEED`: fetches one feed and prints what each channel would receive, or why a
//! channel would receive nothing (its template fails for that entry); a digest channel is shown
//! the digest of those entries. `feedhook preview --channel NAME` without a feed shows the digest
//! a digest channel would post now, from what waits in its outbox. Posts nothing and writes
//! nothing to the state.

use std::fmt::Write;
use std::path::Path;

use crate::config::{Channel, ChannelKind, Config, Feed, shown_url};
use crate::deliver::email;
use crate::parse::Entry;
use crate::poll::Document;
use crate::render::email::EmailParts;
use crate::render::{self, Card, Payload, RenderError};

mod digest;

use super::escape::printable;
use super::{EXIT_INCOMPLETE, EXIT_OK, load_config, read_feed};

pub struct Request<'a> {
    /// `None`: show the digest a digest channel (`channel`) would post now.
    pub feed: Option<&'a str>,
    pub channel: Option<&'a str>,
    pub limit: usize,
    pub format: Format,
}

/// How `preview` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

pub async fn run(path: &Path, request: Request<'_>) -> u8 {
    let config = match load_config(path) {
        Ok(config) => config,
        Err(code) => return code,
    };
    let Some(feed_key) = request.feed else {
        return digest::run(&config, request.channel, request.format).await;
    };
    let (feed, channels) = match pick(&config, feed_key, request.channel) {
        Ok(picked) => picked,
        Err(message) => {
            eprintln!("feedhook: {message}");
            return EXIT_INCOMPLETE;
        }
    };
    match read_feed(&config, &feed).await {
        Ok(parsed) => {
            let entries = newest(&parsed, request.limit);
            let (digests, singles): (Vec<&Channel>, Vec<&Channel>) = channels
                .iter()
                .partition(|channel| channel.digest.is_some());
            let rendered = render_all(&feed, &parsed, &entries, &singles);
            let digested = digest::of_entries(&Shown::of(&feed), &parsed, &entries, &digests);
            let out = match request.format {
                Format::Text => {
                    text(&feed, &parsed, entries.len(), &rendered) + &digest::text(&digested)
                }
                Format::Json => {
                    let mut all = to_json(&feed, &rendered);
                    if let serde_json::Value::Array(items) = &mut all {
                        items.extend(digest::to_json(&digested));
                    }
                    format!("{all:#}\n")
                }
            };
            // The payloads too: a feed may quote its own token (in its links, say), and what
            // preview prints ends up in terminals and pasted in tickets.
            print!("{}", config.redactor.redact(&out));
            // A card that does not render is a delivery that would fail.
            if rendered.iter().all(|card| card.payload.is_ok()) {
                EXIT_OK
            } else {
                EXIT_INCOMPLETE
            }
        }
        Err(message) => {
            let (name, message) = (feed.display_name(), printable(&message));
            eprintln!("feedhook: feed {name}: {message}");
            EXIT_INCOMPLETE
        }
    }
}

/// The feed (from the config, or a URL not in it) and the channels to render for.
fn pick<'c>(
    config: &'c Config,
    feed: &str,
    channel: Option<&str>,
) -> Result<(Feed, Vec<&'c Channel>), String> {
    let feed = match config.find_feed(feed) {
        Some(found) => found.clone(),
        None => adhoc_feed(config, feed)?,
    };
    let channels: Vec<&Channel> = match channel {
        Some(name) => vec![
            config
                .channels
                .get(name)
                .ok_or_else(|| format!("no channel named {name:?} in the config"))?,
        ],
        None if !feed.channels.is_empty() => feed
            .channels
            .iter()
            .filter_map(|name| config.channels.get(name))
            .collect(),
        None => config.channels.values().collect(),
    };
    if channels.is_empty() {
        return Err("no channel to render for: name one with --channel".into());
    }
    Ok((feed, channels))
}

fn adhoc_feed(config: &Config, key: &str) -> Result<Feed, String> {
    let url = url::Url::parse(key).map_err(|_| {
        let known: Vec<String> = config
            .feeds
            .iter()
            .map(|f| f.display_name().into_owned())
            .collect();
        format!(
            "no feed named {key:?} in the config (feeds: {}); give a feed name or an http(s) URL",
            known.join(", ")
        )
    })?;
    let template = config.feeds.first();
    Ok(Feed {
        name: url.to_string(),
        url,
        channels: Vec::new(),
        mention: std::collections::BTreeMap::new(),
        cadence: crate::config::Cadence::Every(std::time::Duration::from_secs(900)),
        backlog: 0,
        timeout: template.map_or(std::time::Duration::from_secs(30), |f| f.timeout),
        max_body: template.map_or(crate::config::DEFAULT_MAX_BODY, |f| f.max_body),
        max_new_per_poll: crate::config::DEFAULT_MAX_NEW_PER_POLL,
        max_age: None,
        filter: crate::config::FeedFilter::default(),
        // Never another feed's credentials or headers: the URL may be on any host.
        fetch: crate::fetch::FetchOptions::default(),
        push: false,
        push_interval: crate::config::DEFAULT_PUSH_INTERVAL,
    })
}

/// The newest `limit` entries, newest first.
fn newest(parsed: &Document, limit: usize) -> Vec<Entry> {
    parsed.entries.iter().rev().take(limit).cloned().collect()
}

/// What the cards of `feed` show of it: its name and URL as the delivery shows them, without
/// login or query values.
pub(super) struct Shown {
    name: String,
    url: String,
    /// The feed's identity (not shown): whose mentions its posts ping.
    identity: String,
}

impl Shown {
    fn of(feed: &Feed) -> Self {
        Self {
            name: feed.display_name().into_owned(),
            url: shown_url(&feed.url),
            identity: feed.name.clone(),
        }
    }

    pub(super) fn identity(&self) -> &str {
        &self.identity
    }

    pub(super) fn card<'a>(&'a self, parsed: &'a Document, entry: &'a Entry) -> Card<'a> {
        Card {
            feed_name: &self.name,
            feed_url: &self.url,
            feed: &parsed.info,
            entry,
        }
    }
}

/// What one channel would receive for one entry, or why it would receive nothing.
struct Rendered<'a> {
    /// The entry's place among those shown, from 0.
    index: usize,
    entry: &'a Entry,
    channel: &'a Channel,
    payload: Result<Payload, RenderError>,
}

/// Every entry rendered for every channel, entry by entry.
fn render_all<'a>(
    feed: &Feed,
    parsed: &Document,
    entries: &'a [Entry],
    channels: &[&'a Channel],
) -> Vec<Rendered<'a>> {
    let shown = Shown::of(feed);
    let mut out = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        for &channel in channels {
            let card = shown.card(parsed, entry);
            let options = channel.options.for_feeds([feed.name.as_str()]);
            let payload = render::render(channel.kind, &options, &card);
            out.push(Rendered {
                index,
                entry,
                channel,
                payload,
            });
        }
    }
    out
}

fn text(feed: &Feed, parsed: &Document, shown: usize, rendered: &[Rendered<'_>]) -> String {
    let name = Shown::of(feed).name;
    let mut out = format!(
        "feed {name}: {} entries; showing the newest {shown}\n",
        parsed.entries.len(),
    );
    for cards in rendered.chunk_by(|a, b| a.index == b.index) {
        let Some(first) = cards.first() else { continue };
        let title = first.entry.title.as_deref().unwrap_or("(untitled)");
        let (title, key) = (printable(title), printable(&first.entry.key));
        // Writing to a String cannot fail.
        let _ = writeln!(out, "\n=== entry {}: {title} (key {key})", first.index + 1);
        for card in cards {
            out.push_str(&channel_text(card));
        }
    }
    out
}

/// One channel's part of an entry in `text`: the payload, or why there is none.
fn channel_text(card: &Rendered<'_>) -> String {
    let (name, kind) = (&card.channel.name, card.channel.kind);
    match &card.payload {
        Ok(payload) => {
            let body = match payload {
                Payload::Json(value) => format!("{value:#}"),
                Payload::Text(text) | Payload::Body(text) => text.clone(),
                Payload::Email(parts) => message_source(card.channel, parts),
            };
            let bytes = match payload {
                Payload::Email(_) => body.len(),
                _ => payload.to_bytes().len(),
            };
            let size = size_note(kind, bytes);
            format!("--- channel {name} ({kind}): {size}\n{body}\n")
        }
        Err(error) => format!(
            "--- channel {name} ({kind}): {error}\n(nothing would be posted: the delivery would fail)\n"
        ),
    }
}

fn to_json(feed: &Feed, rendered: &[Rendered<'_>]) -> serde_json::Value {
    let shown = Shown::of(feed);
    let cards = rendered.iter().map(|card| {
        let (channel, entry) = (card.channel, card.entry);
        let (bytes, body, error) = match &card.payload {
            Ok(payload) => {
                let body = match payload {
                    Payload::Json(value) => value.clone(),
                    Payload::Text(text) | Payload::Body(text) => {
                        serde_json::Value::String(text.clone())
                    }
                    Payload::Email(parts) => {
                        serde_json::Value::String(message_source(channel, parts))
                    }
                };
                let bytes = body.as_str().map_or_else(|| payload.to_bytes().len(), str::len);
                (Some(bytes), body, None)
            }
            Err(error) => (None, serde_json::Value::Null, Some(error.to_string())),
        };
        serde_json::json!({
            "feed": shown.name, "entry": entry.key, "title": entry.title, "channel": channel.name,
            "kind": channel.kind.as_str(), "bytes": bytes, "limit": size_limit(channel.kind), "payload": body,
            "error": error,
        })
    });
    serde_json::Value::Array(cards.collect())
}

/// The message an email channel would send, as its relay would receive it (dated now).
pub(super) fn message_source(channel: &Channel, parts: &EmailParts) -> String {
    let Some(settings) = channel.email() else {
        return parts.text.clone();
    };
    match email::compose(&channel.name, settings, parts, std::time::SystemTime::now()) {
        Ok(message) => String::from_utf8_lossy(&message.formatted()).into_owned(),
        Err(error) => format!("(the message cannot be made: {error})"),
    }
}

pub(super) fn size_limit(kind: ChannelKind) -> Option<usize> {
    match kind {
        ChannelKind::Teams | ChannelKind::TeamsMessageCard => Some(28_000),
        ChannelKind::GoogleChat => Some(32_000),
        _ => None,
    }
}

pub(super) fn size_note(kind: ChannelKind, bytes: usize) -> String {
    match size_limit(kind) {
        Some(limit) => format!("{bytes} bytes of the platform's {limit}"),
        None => format!("{bytes} bytes"),
    }
}
