//! From the raw file to [`Config`]: every rule of the configuration, each failure reported with its key
//! and line and validation carried on, so that one run of `feedhook check` shows every problem.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::addresses::allow_list;
use super::channels::channel;
use super::document::{FeedItem, RawConfig};
use super::fetch_keys;
use super::fetch_options::FetchOptions;
use super::filters::filter;
use super::http::http;
use super::poll::Poll;
use super::raw::{FetchRaw, StoreRaw};
use super::report::{Report, key_path};
use super::values::{self, http_url};
use super::{
    Config, DEFAULT_CONCURRENCY, DEFAULT_PER_HOST, DEFAULT_RETENTION, Feed, FetchSettings,
    StoreSettings,
};

/// Shorter, and the entries of a feed that is unreachable for some hours would be forgotten and
/// posted again when it comes back.
const MIN_RETENTION: Duration = Duration::from_secs(24 * 60 * 60);

/// What validation reads besides the file: where the file is, and the environment.
pub(super) struct Context<'a> {
    /// The config file's folder, against which relative paths in it resolve.
    pub dir: PathBuf,
    pub env: &'a dyn Fn(&str) -> Option<String>,
}

/// What `[defaults]` gives every feed.
struct Defaults {
    poll: Poll,
    fetch: FetchOptions,
}

pub(super) fn config(
    mut raw: RawConfig,
    source: &Path,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Config {
    let channels: BTreeMap<_, _> = raw
        .channels
        .iter()
        .filter_map(|item| channel(item, ctx, report))
        .map(|channel| (channel.name.clone(), channel))
        .collect();
    let defaults = Defaults {
        poll: Poll::builtin().overlay(&raw.defaults, "defaults", report),
        fetch: fetch_keys::overlay(
            &FetchOptions::default(),
            &raw.defaults,
            "defaults",
            ctx,
            report,
        ),
    };
    let unused = unused_channels(&raw);
    // Consumed feed by feed, so that each raw table is freed as its feed is built: with a long
    // list the raw tables are the larger half of the config's memory.
    let feed_items = std::mem::take(&mut raw.feeds);
    let feeds = feeds(feed_items, &raw, &defaults, ctx, report);
    warn_unused(&unused, report);
    Config {
        source: source.to_path_buf(),
        store: store(&raw.store, ctx, report),
        fetch: fetch(&raw.fetch, report),
        http: raw.http.as_ref().and_then(|table| http(table, report)),
        channels,
        feeds: feeds.into(),
        warnings: Vec::new(),
    }
}

fn store(raw: &StoreRaw, ctx: &Context<'_>, report: &mut Report) -> StoreSettings {
    let path = match &raw.path {
        Some(path) if path.get_ref().trim().is_empty() => {
            report.error(path.span(), "store.path", "the path is empty");
            default_store_path(ctx.env)
        }
        // `join` keeps an absolute path as it is.
        Some(path) => ctx.dir.join(path.get_ref()),
        None => default_store_path(ctx.env),
    };
    let retention = raw
        .retention
        .as_ref()
        .map_or(DEFAULT_RETENTION, |retention| {
            parse_retention(retention.get_ref())
                .map_err(|message| report.error(retention.span(), "store.retention", message))
                .unwrap_or(DEFAULT_RETENTION)
        });
    StoreSettings { path, retention }
}

fn parse_retention(text: &str) -> Result<Duration, String> {
    let retention = values::duration(text)?;
    if retention < MIN_RETENTION {
        return Err(format!(
            "retention {text:?} is too short: the minimum is 1d, so that a feed that is down for a \
             while does not post its old entries again"
        ));
    }
    Ok(retention)
}

/// systemd's `StateDirectory=` sets `$STATE_DIRECTORY`, a `:`-separated list when the unit names
/// several; the first is ours.
fn default_store_path(env: &dyn Fn(&str) -> Option<String>) -> PathBuf {
    env("STATE_DIRECTORY")
        .and_then(|dirs| dirs.split(':').next().map(str::to_owned))
        .filter(|dir| !dir.is_empty())
        .map_or_else(
            || PathBuf::from("./feedhook.db"),
            |dir| Path::new(&dir).join("feedhook.db"),
        )
}

fn fetch(raw: &FetchRaw, report: &mut Report) -> FetchSettings {
    let mut at_least_one = |value: &Option<toml::Spanned<i64>>, key: &str, default: usize| {
        let Some(value) = value else { return default };
        match usize::try_from(*value.get_ref()) {
            Ok(n) if n >= 1 => n,
            _ => {
                let message = format!("must be at least 1, not {}", value.get_ref());
                report.error(value.span(), key, message);
                default
            }
        }
    };
    let concurrency = at_least_one(&raw.concurrency, "fetch.concurrency", DEFAULT_CONCURRENCY);
    let per_host = at_least_one(&raw.per_host, "fetch.per_host", DEFAULT_PER_HOST);
    let block = raw
        .block_private_addresses
        .as_ref()
        .is_some_and(|block| *block.get_ref());
    let allow = raw.allow_addresses.as_ref().map_or_else(Vec::new, |list| {
        if !block {
            let message = "allow_addresses has no effect unless block_private_addresses = true";
            report.warn(Some(list.span()), "fetch.allow_addresses", message);
        }
        allow_list(list, "fetch.allow_addresses", report)
    });
    FetchSettings {
        concurrency,
        per_host,
        block_private_addresses: block,
        allow_addresses: allow,
    }
}

fn feeds(
    items: Vec<FeedItem>,
    raw: &RawConfig,
    defaults: &Defaults,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Vec<Feed> {
    if items.is_empty() {
        report.warn(
            None,
            "feeds",
            "no [[feeds]] are configured: there is nothing to poll",
        );
    }
    let known: Vec<&str> = raw.channels.iter().map(|c| c.name.as_str()).collect();
    // Identity → the feed that claimed it first: its index and line.
    let mut identities: HashMap<String, (usize, usize)> = HashMap::new();
    let mut feeds = Vec::with_capacity(items.len());
    for item in items {
        let Some(feed) = feed(&item, defaults, &known, ctx, report) else {
            continue;
        };
        let (key, span) = match &item.raw.name {
            Some(name) => ("name", name.span()),
            None => (
                "url",
                item.raw
                    .url
                    .as_ref()
                    .map_or(item.span.clone(), toml::Spanned::span),
            ),
        };
        let line = report.line_of(span.start);
        if let Some((index, first_line)) = identities.get(&feed.name) {
            let message = format!(
                "feed {:?} is already defined by feeds[{index}] (line {first_line}); feeds need distinct names",
                feed.name
            );
            report.error(span, &format!("feeds[{}].{key}", item.index), message);
        } else {
            identities.insert(feed.name.clone(), (item.index, line));
        }
        feeds.push(feed);
    }
    feeds
}

fn feed(
    item: &FeedItem,
    defaults: &Defaults,
    known: &[&str],
    ctx: &Context<'_>,
    report: &mut Report,
) -> Option<Feed> {
    let path = format!("feeds[{}]", item.index);
    let raw = &item.raw;
    let channels = subscriptions(item, &path, known, report);
    let own = raw.poll();
    let poll = defaults.poll.overlay(&own, &path, report);
    let fetch = fetch_keys::overlay(&defaults.fetch, &own, &path, ctx, report);
    let filter = filter(raw, &path, report);
    let name = match &raw.name {
        Some(name) if name.get_ref().trim().is_empty() => {
            let message = "the name is empty; remove it to name the feed by its URL";
            report.error(name.span(), &key_path(&path, "name"), message);
            None
        }
        Some(name) => Some(name.get_ref().clone()),
        None => None,
    };
    let Some(url) = &raw.url else {
        let message = "missing key url (the address of the RSS, Atom or JSON feed)";
        report.error(item.span.clone(), &key_path(&path, "url"), message);
        return None;
    };
    let parsed = http_url(url.get_ref())
        .map_err(|reason| {
            let message = format!("invalid feed URL {:?}: {reason}", url.get_ref());
            report.error(url.span(), &key_path(&path, "url"), message);
        })
        .ok()?;
    // The parsed URL is normalised, so `HTTPS://Example.com` and `https://example.com/` are one feed.
    let name = name.unwrap_or_else(|| parsed.to_string());
    poll.warn_if_impolite(&name, report);
    Some(Feed {
        name,
        url: parsed,
        channels,
        cadence: poll.cadence,
        backlog: poll.backlog,
        timeout: poll.timeout,
        max_body: poll.max_body,
        max_new_per_poll: poll.max_new_per_poll,
        max_age: poll.max_age,
        filter,
        fetch,
    })
}

/// The feed's `channels`: a non-empty list of defined channels, each named once.
fn subscriptions(item: &FeedItem, path: &str, known: &[&str], report: &mut Report) -> Vec<String> {
    let key = key_path(path, "channels");
    let Some(list) = &item.raw.channels else {
        let message =
            "missing key channels (the channels this feed posts to, e.g. channels = [\"ops\"])";
        report.error(item.span.clone(), &key, message);
        return Vec::new();
    };
    if list.get_ref().is_empty() {
        report.error(
            list.span(),
            &key,
            "the list is empty; name at least one channel",
        );
    }
    let mut seen = HashSet::new();
    let mut names = Vec::new();
    for entry in list.get_ref() {
        let name = entry.get_ref();
        if !known.contains(&name.as_str()) {
            report.error(entry.span(), &key, undefined_channel(name, known));
        } else if !seen.insert(name) {
            report.error(
                entry.span(),
                &key,
                format!("channel {name:?} is listed twice"),
            );
        } else {
            names.push(name.clone());
        }
    }
    names
}

fn undefined_channel(name: &str, known: &[&str]) -> String {
    if known.is_empty() {
        format!("channel {name:?} is not defined: there is no [channels.{name}] table")
    } else {
        format!(
            "channel {name:?} is not defined; defined channels: {}",
            known.join(", ")
        )
    }
}

/// The channels no feed names (valid or not): their names and where they are defined.
fn unused_channels(raw: &RawConfig) -> Vec<(String, Range<usize>)> {
    let used: HashSet<&str> = raw
        .feeds
        .iter()
        .filter_map(|feed| feed.raw.channels.as_ref())
        .flat_map(|list| list.get_ref().iter().map(|name| name.get_ref().as_str()))
        .collect();
    raw.channels
        .iter()
        .filter(|c| !used.contains(c.name.as_str()))
        .map(|c| (c.name.clone(), c.span.clone()))
        .collect()
}

fn warn_unused(unused: &[(String, Range<usize>)], report: &mut Report) {
    for (name, span) in unused {
        let message = format!("channel {name:?} is not used by any feed");
        report.warn(Some(span.clone()), &key_path("channels", name), message);
    }
}
