//! `feedhook preview FEED`: fetches one feed and prints what each channel would receive. Posts
//! nothing and writes nothing to the state.

use std::path::Path;

use crate::config::{Channel, ChannelKind, Config, Feed};
use crate::daemon::oldest_first;
use crate::fetch::{FetchOutcome, FetchRequest, Fetcher, Validators};
use crate::parse::{self, ParsedFeed};
use crate::render::{self, Card, Payload};

use super::{EXIT_INCOMPLETE, EXIT_OK, load_config};

pub struct Request<'a> {
    pub feed: &'a str,
    pub channel: Option<&'a str>,
    pub limit: usize,
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
            print_preview(&feed, &parsed, &channels, request.limit);
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
        // Never another feed's credentials or headers: the URL may be on any host.
        fetch: crate::fetch::FetchOptions::default(),
    })
}

async fn fetch_and_parse(config: &Config, feed: &Feed) -> Result<ParsedFeed, String> {
    let fetcher = Fetcher::new(&config.fetch).map_err(|e| e.to_string())?;
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

fn print_preview(feed: &Feed, parsed: &ParsedFeed, channels: &[&Channel], limit: usize) {
    let mut entries = oldest_first(parsed.entries.clone());
    entries.reverse();
    entries.truncate(limit);
    println!(
        "feed {}: {} entries; showing the newest {}",
        feed.name,
        parsed.entries.len(),
        entries.len()
    );
    for (index, entry) in entries.iter().enumerate() {
        let card = Card {
            feed_name: &feed.name,
            feed_url: feed.url.as_str(),
            feed: &parsed.info,
            entry,
        };
        println!(
            "\n=== entry {}: {} (key {})",
            index + 1,
            entry.title.as_deref().unwrap_or("(untitled)"),
            entry.key
        );
        for channel in channels {
            let payload = render::render(channel.kind, &channel.options, &card);
            let bytes = payload.to_bytes().len();
            println!(
                "--- channel {} ({}): {}",
                channel.name,
                channel.kind,
                size_note(channel.kind, bytes)
            );
            match payload {
                Payload::Json(value) => println!("{value:#}"),
                Payload::Text(text) | Payload::Body(text) => println!("{text}"),
            }
        }
    }
}

fn size_note(kind: ChannelKind, bytes: usize) -> String {
    let limit = match kind {
        ChannelKind::Teams | ChannelKind::TeamsMessageCard => Some(28_000),
        ChannelKind::GoogleChat => Some(32_000),
        _ => None,
    };
    match limit {
        Some(limit) => format!("{bytes} bytes of the platform's {limit}"),
        None => format!("{bytes} bytes"),
    }
}
