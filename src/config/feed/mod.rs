//! A `[[feeds]]` entry: its URL, name and channels, laid over `[defaults]` for everything else.
//!
//! - `polling`: when and how much (`interval` or `schedule`, `backlog`, `timeout`, `max_body`, …).
//! - `fetch`: how it is requested (`headers`, `user_agent`), with `credentials` and `transport`
//!   (`proxy`, `tls_insecure`, `ca_file`).
//! - `filters`: which of its new entries are posted (`include`, `exclude`, `filter_fields`).
//! - `push`: WebSub (`push`, `push_interval`).
//! - `mention`: who the feed's posts ping on each of its channels, instead of the channel's own
//!   `mention`.

mod credentials;
mod fetch;
mod filters;
mod mention;
mod polling;
mod push;
mod transport;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use crate::config::context::Context;
use crate::config::document::FeedItem;
use crate::config::raw::FeedRaw;
use crate::config::report::{Report, key_path};
use crate::config::secret::{shown_feed_name, shown_url};
use crate::config::values::http_url;

pub use credentials::Credentials;
pub use fetch::FetchOptions;
pub(super) use filters::SharedPatterns;
pub use filters::{FeedFilter, FilterField};
pub(super) use mention::ChannelKinds;
use polling::Polling;
pub use polling::{
    Cadence, DEFAULT_BACKLOG, DEFAULT_INTERVAL, DEFAULT_MAX_BODY, DEFAULT_MAX_NEW_PER_POLL,
    DEFAULT_TIMEOUT,
};
pub use push::DEFAULT_PUSH_INTERVAL;
use push::Push;
pub(super) use transport::SharedTransports;
pub use transport::{ProxySetting, Transport};

/// A feed and the channels it posts to. `Debug` shows its name and URL as
/// [`Feed::display_name`] and [`shown_url`] do.
#[derive(Clone)]
pub struct Feed {
    /// The feed's identity in the state: `name` if set, else the URL, whole. Shown as
    /// [`Feed::display_name`].
    pub name: String,
    pub url: url::Url,
    /// Names of the channels subscribed to this feed; each exists in the config's channels.
    pub channels: Vec<String>,
    /// Who the feed's posts ping, by channel name, instead of that channel's own `mention` (an
    /// empty list: nobody). Channels not listed keep their own.
    pub mention: BTreeMap<String, Vec<String>>,
    pub cadence: Cadence,
    /// Entries queued from the feed's first poll (the newest N).
    pub backlog: usize,
    /// Deadline for one fetch, connect to last byte.
    pub timeout: Duration,
    /// Cap on the decoded body size, in bytes.
    pub max_body: u64,
    /// The most entries one poll after the first posts (0: no limit); more than that looks like a
    /// publisher rewriting its ids, and the rest are summarised in one card.
    pub max_new_per_poll: usize,
    /// Entries published longer ago than this are recorded and not posted.
    pub max_age: Option<Duration>,
    /// Which new entries are posted; the others are recorded as seen and never posted.
    pub filter: FeedFilter,
    /// Headers, credentials, proxy and TLS settings for fetching this feed.
    pub fetch: FetchOptions,
    /// Whether the feed is subscribed to where it advertises a WebSub hub (`push`; only ever true
    /// with `[http] public_url`).
    pub push: bool,
    /// The polling interval while a push subscription is verified (`push_interval`).
    pub push_interval: Duration,
}

impl Feed {
    /// The feed's identity as logs, errors, `status`, metrics and cards show it: its name, or its
    /// URL without login and query values ([`shown_feed_name`]).
    #[must_use]
    pub fn display_name(&self) -> Cow<'_, str> {
        shown_feed_name(&self.name)
    }
}

impl fmt::Debug for Feed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Feed")
            .field("name", &self.display_name())
            .field("url", &shown_url(&self.url))
            .field("channels", &self.channels)
            .field("mention", &self.mention)
            .field("cadence", &self.cadence)
            .field("backlog", &self.backlog)
            .field("timeout", &self.timeout)
            .field("max_body", &self.max_body)
            .field("max_new_per_poll", &self.max_new_per_poll)
            .field("max_age", &self.max_age)
            .field("filter", &self.filter)
            .field("fetch", &self.fetch)
            .field("push", &self.push)
            .field("push_interval", &self.push_interval)
            .finish()
    }
}

/// What `[defaults]` gives every feed.
pub(super) struct Defaults {
    polling: Polling,
    fetch: FetchOptions,
    push: Push,
    /// Whether `[http] public_url` is set, without which nothing is pushed.
    push_possible: bool,
}

impl Defaults {
    /// The built-in settings with the keys of `[defaults]` laid over them; `push_possible` says
    /// whether `[http] public_url` is set.
    pub fn read(
        raw: &FeedRaw,
        push_possible: bool,
        ctx: &Context<'_>,
        report: &mut Report,
    ) -> Self {
        let path = "defaults";
        Self {
            polling: Polling::builtin().overlay(raw, path, report),
            fetch: fetch::overlay(&FetchOptions::default(), raw, path, ctx, report),
            push: Push::builtin().overlay(raw, path, push_possible, report),
            push_possible,
        }
    }
}

/// The feed `item`, posting to channels among `known` (of `kinds`), its patterns compiled through
/// `patterns`; `None` when it has no usable URL (reported with every other problem it has).
pub(super) fn feed(
    item: &FeedItem,
    defaults: &Defaults,
    (known, kinds): (&[&str], &ChannelKinds<'_>),
    ctx: &Context<'_>,
    patterns: &mut SharedPatterns,
    report: &mut Report,
) -> Option<Feed> {
    let path = format!("feeds[{}]", item.index);
    let raw = &item.raw;
    let channels = subscriptions(item, &path, known, report);
    let mention = mention::overrides(raw.mention.as_ref(), &path, &channels, kinds, report);
    let polling = defaults.polling.overlay(raw, &path, report);
    let fetch = fetch::overlay(&defaults.fetch, raw, &path, ctx, report);
    let filter = filters::filter(raw, &path, patterns, report);
    let push = defaults
        .push
        .overlay(raw, &path, defaults.push_possible, report);
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
    // The reason never repeats the URL, which may hold a password or a token.
    let parsed = http_url(url.get_ref())
        .map_err(|reason| {
            let message = format!("invalid feed URL: {reason}");
            report.error(url.span(), &key_path(&path, "url"), message);
        })
        .ok()?;
    // The parsed URL is normalised, so `HTTPS://Example.com` and `https://example.com/` are one feed.
    let name = name.unwrap_or_else(|| parsed.to_string());
    polling.warn_if_impolite(&shown_feed_name(&name), report);
    Some(Feed {
        name,
        url: parsed,
        channels,
        mention,
        cadence: polling.cadence,
        backlog: polling.backlog,
        timeout: polling.timeout,
        max_body: polling.max_body,
        max_new_per_poll: polling.max_new_per_poll,
        max_age: polling.max_age,
        filter,
        fetch,
        push: push.enabled(defaults.push_possible),
        push_interval: push.interval,
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
    let mut seen = std::collections::HashSet::new();
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
