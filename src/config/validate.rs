//! The channels and feeds of the raw file, validated, with the rules that span tables: a feed names
//! channels that exist, two feeds do not share an identity, a channel no feed uses is worth a
//! warning. Like every rule of the configuration, each failure is reported with its key and line
//! and validation carries on, so that one run of `feedhook check` shows every problem.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use super::channel::{Channel, ChannelKind, MAX_MENTIONS, channel};
use super::context::Context;
use super::delivery;
use super::document::{FeedItem, RawConfig};
use super::feed::{ChannelKinds, Defaults, Feed, SharedPatterns, SharedTransports, feed};
use super::report::{Report, key_path};

/// The channels of the file, by name; a channel whose table cannot be read is left out (reported).
pub(super) fn channels(
    raw: &RawConfig,
    ctx: &Context<'_>,
    report: &mut Report,
) -> BTreeMap<String, Channel> {
    let defaults = delivery::defaults(&raw.delivery, report);
    raw.channels
        .iter()
        .filter_map(|item| channel(item, &defaults, ctx, report))
        .map(|channel| (channel.name.clone(), channel))
        .collect()
}

/// The feeds of the file in order, each laid over `[defaults]`. The raw feed tables are consumed
/// feed by feed, so that each is freed as its feed is built: with a long list the raw tables are
/// the larger half of the config's memory.
pub(super) fn feeds(raw: &mut RawConfig, ctx: &Context<'_>, report: &mut Report) -> Vec<Feed> {
    let push_possible = raw
        .http
        .as_ref()
        .is_some_and(|http| http.get_ref().public_url.is_some());
    let defaults = Defaults::read(&raw.defaults, push_possible, ctx, report);
    let unused = unused_channels(raw);
    let items = std::mem::take(&mut raw.feeds);
    let feeds = feed_list(items, raw, &defaults, ctx, report);
    warn_unused(&unused, report);
    feeds
}

fn feed_list(
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
    let kinds = channel_kinds(raw);
    let mut digest_pings = DigestPings::of(raw);
    // Identity → the feed that claimed it first: its index and line.
    let mut identities: HashMap<String, (usize, usize)> = HashMap::new();
    // The same for what is shown of feeds named by a URL with a login or a query.
    let mut shown: HashMap<String, (usize, usize)> = HashMap::new();
    let mut transports = SharedTransports::default();
    let mut patterns = SharedPatterns::default();
    let mut feeds = Vec::with_capacity(items.len());
    for item in items {
        let subscriptions = (known.as_slice(), &kinds);
        let Some(mut feed) = feed(&item, defaults, subscriptions, ctx, &mut patterns, report)
        else {
            continue;
        };
        if let Some(table) = &item.raw.mention {
            digest_pings.add(
                &feed,
                table.span(),
                &format!("feeds[{}]", item.index),
                report,
            );
        }
        feed.fetch.transport = transports.share(&feed.fetch.transport);
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
                feed.display_name()
            );
            report.error(span, &format!("feeds[{}].{key}", item.index), message);
        } else {
            identities.insert(feed.name.clone(), (item.index, line));
            let display = feed.display_name();
            if display != feed.name {
                let at = (span, format!("feeds[{}].{key}", item.index));
                warn_if_shown_alike(
                    &mut shown,
                    display.into_owned(),
                    (item.index, line),
                    at,
                    report,
                );
            }
        }
        feeds.push(feed);
    }
    feeds
}

/// The kind of each channel of the file, as far as it could be read.
fn channel_kinds(raw: &RawConfig) -> ChannelKinds<'_> {
    raw.channels
        .iter()
        .map(|item| {
            let name = item.raw.as_ref().and_then(|raw| raw.kind.as_ref());
            let kind = name.and_then(|name| {
                ChannelKind::ALL
                    .into_iter()
                    .find(|kind| kind.as_str() == name.get_ref())
            });
            (item.name.as_str(), kind)
        })
        .collect()
}

/// Who each digest channel's digests may ping: a digest pings every mention of the feeds in it
/// (see [`Channel::options`]), which must stay within [`MAX_MENTIONS`] like one list.
struct DigestPings<'a> {
    by_channel: HashMap<&'a str, HashSet<String>>,
}

impl<'a> DigestPings<'a> {
    /// The digest channels of `raw`, each with its own mentions.
    fn of(raw: &'a RawConfig) -> Self {
        let by_channel = raw
            .channels
            .iter()
            .filter_map(|item| Some((item.name.as_str(), item.raw.as_ref()?)))
            .filter(|(_, channel)| channel.digest.is_some())
            .map(|(name, channel)| {
                let own = channel
                    .mention
                    .as_ref()
                    .map(|list| list.get_ref().as_slice());
                let own = own.unwrap_or_default();
                (
                    name,
                    own.iter().map(|m| m.get_ref().trim().to_owned()).collect(),
                )
            })
            .collect();
        Self { by_channel }
    }

    /// Adds the mentions `feed` gives digest channels, reporting a channel they take past the
    /// limit at the feed's `mention` (`span`).
    fn add(&mut self, feed: &Feed, span: Range<usize>, path: &str, report: &mut Report) {
        for (channel, mentions) in &feed.mention {
            let Some(pings) = self.by_channel.get_mut(channel.as_str()) else {
                continue;
            };
            pings.extend(mentions.iter().cloned());
            if pings.len() > MAX_MENTIONS {
                let message = format!(
                    "channel {channel:?} posts digests, which ping the mentions of every feed in \
                     them: with this feed's they come to {} different mentions; the most is \
                     {MAX_MENTIONS}",
                    pings.len()
                );
                report.error(span.clone(), &key_path(path, "mention"), message);
            }
        }
    }
}

/// Hands each feed's `mention` to the channels it names: a channel renders a delivery with the
/// mentions of the delivery's feed.
pub(super) fn give_feed_mentions(channels: &mut BTreeMap<String, Channel>, feeds: &[Feed]) {
    for feed in feeds {
        for (name, mentions) in &feed.mention {
            if let Some(channel) = channels.get_mut(name) {
                let by_feed = &mut channel.options.feed_mention;
                by_feed.insert(feed.name.clone(), mentions.clone());
            }
        }
    }
}

/// Feeds named by URLs that differ only in their login or query values are shown alike in logs and
/// `status`; a name tells them apart.
fn warn_if_shown_alike(
    shown: &mut HashMap<String, (usize, usize)>,
    display: String,
    this: (usize, usize),
    (span, key): (Range<usize>, String),
    report: &mut Report,
) {
    if let Some((index, first_line)) = shown.get(&display) {
        let message = format!(
            "this feed is shown as {display:?} like feeds[{index}] (line {first_line}), since logs \
             and status leave out the login and query values of a feed URL; give it a name to \
             tell them apart"
        );
        report.warn(Some(span), &key, message);
    } else {
        shown.insert(display, this);
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
