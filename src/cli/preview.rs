//! `feedhook preview FEED`: fetches one feed and prints what each channel would receive. Posts
//! nothing and writes nothing to the state.

use std::path::Path;

use crate::config::{Channel, ChannelKind, Config, Feed};
use crate::daemon::oldest_first;
use crate::fetch::{FetchOutcome, FetchRequest, Fetcher, Validators};
use crate::parse::{self, Entry, ParsedFeed};
use crate::render::{self, Card, Payload};

use super::{EXIT_INCOMPLETE, EXIT_OK, load_config};

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
    match fetch_and_parse(&config, &feed).await {
        Ok(parsed) => {
            let entries = newest(&parsed, request.limit);
            match request.format {
                Format::Text => print_text(&feed, &parsed, &entries, &channels),
                Format::Json => println!("{:#}", to_json(&feed, &parsed, &entries, &channels)),
            }
            EXIT_OK
        }
        Err(message) => {
            eprintln!("feedhook: feed {}: {message}", feed.name);
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
        let known: Vec<&str> = config.feeds.iter().map(|f| f.name.as_str()).collect();
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

pub(super) async fn fetch_and_parse(config: &Config, feed: &Feed) -> Result<ParsedFeed, String> {
    let fetcher =
        Fetcher::new(&config.fetch, std::slice::from_ref(feed)).map_err(|e| e.to_string())?;
    let validators = Validators::default();
    let request = FetchRequest::for_feed(feed, &validators);
    match fetcher.fetch(request).await.map_err(|e| e.to_string())? {
        FetchOutcome::Fetched(body) => {
            parse::parse_feed(&body.body, body.charset.as_deref(), body.final_url.as_str())
                .map_err(|e| e.to_string())
        }
        FetchOutcome::NotModified { .. } => {
            Err("the server answered 304 to a request without validators".into())
        }
    }
}

/// The newest `limit` entries, newest first.
fn newest(parsed: &ParsedFeed, limit: usize) -> Vec<Entry> {
    let mut entries = oldest_first(parsed.entries.clone());
    entries.reverse();
    entries.truncate(limit);
    entries
}

fn card<'a>(feed: &'a Feed, parsed: &'a ParsedFeed, entry: &'a Entry) -> Card<'a> {
    Card {
        feed_name: &feed.name,
        feed_url: feed.url.as_str(),
        feed: &parsed.info,
        entry,
    }
}

fn print_text(feed: &Feed, parsed: &ParsedFeed, entries: &[Entry], channels: &[&Channel]) {
    println!(
        "feed {}: {} entries; showing the newest {}",
        feed.name,
        parsed.entries.len(),
        entries.len()
    );
    for (index, entry) in entries.iter().enumerate() {
        println!(
            "\n=== entry {}: {} (key {})",
            index + 1,
            entry.title.as_deref().unwrap_or("(untitled)"),
            entry.key
        );
        for channel in channels {
            let payload =
                render::render(channel.kind, &channel.options, &card(feed, parsed, entry));
            println!(
                "--- channel {} ({}): {}",
                channel.name,
                channel.kind,
                size_note(channel.kind, payload.to_bytes().len())
            );
            match payload {
                Payload::Json(value) => println!("{value:#}"),
                Payload::Text(text) | Payload::Body(text) => println!("{text}"),
            }
        }
    }
}

fn to_json(
    feed: &Feed,
    parsed: &ParsedFeed,
    entries: &[Entry],
    channels: &[&Channel],
) -> serde_json::Value {
    let mut out = Vec::new();
    for entry in entries {
        for channel in channels {
            let payload =
                render::render(channel.kind, &channel.options, &card(feed, parsed, entry));
            let bytes = payload.to_bytes().len();
            let body = match payload {
                Payload::Json(value) => value,
                Payload::Text(text) | Payload::Body(text) => serde_json::Value::String(text),
            };
            out.push(serde_json::json!({
                "feed": feed.name, "entry": entry.key, "title": entry.title, "channel": channel.name,
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
