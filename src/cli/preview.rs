//! `feedhook preview FEED`: fetches one feed and prints what each channel would receive. Posts
//! nothing and writes nothing to the state.

use std::fmt::Write;
use std::path::Path;

use crate::config::{Channel, ChannelKind, Config, Feed, shown_url};
use crate::parse::Entry;
use crate::poll::Document;
use crate::render::{self, Card, Payload};

use super::escape::printable;
use super::{EXIT_INCOMPLETE, EXIT_OK, load_config, read_feed};

pub struct Request<'a> {
    pub feed: &'a str,
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
    let (feed, channels) = match pick(&config, &request) {
        Ok(picked) => picked,
        Err(message) => {
            eprintln!("feedhook: {message}");
            return EXIT_INCOMPLETE;
        }
    };
    match read_feed(&config, &feed).await {
        Ok(parsed) => {
            let entries = newest(&parsed, request.limit);
            let out = match request.format {
                Format::Text => text(&feed, &parsed, &entries, &channels),
                Format::Json => format!("{:#}\n", to_json(&feed, &parsed, &entries, &channels)),
            };
            // The payloads too: a feed may quote its own token (in its links, say), and what
            // preview prints ends up in terminals and pasted in tickets.
            print!("{}", config.redactor.redact(&out));
            EXIT_OK
        }
        Err(message) => {
            let (name, message) = (feed.display_name(), printable(&message));
            eprintln!("feedhook: feed {name}: {message}");
            EXIT_INCOMPLETE
        }
    }
}

/// The feed (from the config, or a URL not in it) and the channels to render for.
fn pick<'c>(config: &'c Config, request: &Request<'_>) -> Result<(Feed, Vec<&'c Channel>), String> {
    let feed = match config.find_feed(request.feed) {
        Some(feed) => feed.clone(),
        None => adhoc_feed(config, request.feed)?,
    };
    let channels: Vec<&Channel> = match request.channel {
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
        cadence: crate::config::Cadence::Every(std::time::Duration::from_secs(900)),
        backlog: 0,
        timeout: template.map_or(std::time::Duration::from_secs(30), |f| f.timeout),
        max_body: template.map_or(crate::config::DEFAULT_MAX_BODY, |f| f.max_body),
        max_new_per_poll: crate::config::DEFAULT_MAX_NEW_PER_POLL,
        max_age: None,
        filter: crate::config::FeedFilter::default(),
        // Never another feed's credentials or headers: the URL may be on any host.
        fetch: crate::fetch::FetchOptions::default(),
    })
}

/// The newest `limit` entries, newest first.
fn newest(parsed: &Document, limit: usize) -> Vec<Entry> {
    parsed.entries.iter().rev().take(limit).cloned().collect()
}

/// What the cards of `feed` show of it: its name and URL as the delivery shows them, without
/// login or query values.
struct Shown {
    name: String,
    url: String,
}

impl Shown {
    fn of(feed: &Feed) -> Self {
        Self {
            name: feed.display_name().into_owned(),
            url: shown_url(&feed.url),
        }
    }

    fn card<'a>(&'a self, parsed: &'a Document, entry: &'a Entry) -> Card<'a> {
        Card {
            feed_name: &self.name,
            feed_url: &self.url,
            feed: &parsed.info,
            entry,
        }
    }
}

fn text(feed: &Feed, parsed: &Document, entries: &[Entry], channels: &[&Channel]) -> String {
    let shown = Shown::of(feed);
    let mut out = format!(
        "feed {}: {} entries; showing the newest {}\n",
        shown.name,
        parsed.entries.len(),
        entries.len()
    );
    for (index, entry) in entries.iter().enumerate() {
        let title = entry.title.as_deref().unwrap_or("(untitled)");
        let (title, key) = (printable(title), printable(&entry.key));
        // Writing to a String cannot fail.
        let _ = writeln!(out, "\n=== entry {}: {title} (key {key})", index + 1);
        for channel in channels {
            let payload =
                render::render(channel.kind, &channel.options, &shown.card(parsed, entry));
            let size = size_note(channel.kind, payload.to_bytes().len());
            let _ = writeln!(
                out,
                "--- channel {} ({}): {size}",
                channel.name, channel.kind
            );
            let _ = match payload {
                Payload::Json(value) => writeln!(out, "{value:#}"),
                Payload::Text(text) | Payload::Body(text) => writeln!(out, "{text}"),
            };
        }
    }
    out
}

fn to_json(
    feed: &Feed,
    parsed: &Document,
    entries: &[Entry],
    channels: &[&Channel],
) -> serde_json::Value {
    let shown = Shown::of(feed);
    let mut out = Vec::new();
    for entry in entries {
        for channel in channels {
            let payload =
                render::render(channel.kind, &channel.options, &shown.card(parsed, entry));
            let bytes = payload.to_bytes().len();
            let body = match payload {
                Payload::Json(value) => value,
                Payload::Text(text) | Payload::Body(text) => serde_json::Value::String(text),
            };
            out.push(serde_json::json!({
                "feed": shown.name, "entry": entry.key, "title": entry.title, "channel": channel.name,
                "kind": channel.kind.as_str(), "bytes": bytes, "limit": size_limit(channel.kind), "payload": body,
            }));
        }
    }
    serde_json::Value::Array(out)
}

fn size_limit(kind: ChannelKind) -> Option<usize> {
    match kind {
        ChannelKind::Teams | ChannelKind::TeamsMessageCard => Some(28_000),
        ChannelKind::GoogleChat => Some(32_000),
        _ => None,
    }
}

fn size_note(kind: ChannelKind, bytes: usize) -> String {
    match size_limit(kind) {
        Some(limit) => format!("{bytes} bytes of the platform's {limit}"),
        None => format!("{bytes} bytes"),
    }
}
