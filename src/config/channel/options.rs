//! The optional keys of `[channels.NAME]` besides the webhook: how posts look (`username`, `icon_url`,
//! `channel`, `template`, and the card keys read in [`super::card`]), how fast they go (`rate`) and
//! what is sent with them (`headers`). Each key is accepted only on the kinds whose platform has a
//! use for it: an option that would silently do nothing is reported instead.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use std::time::Duration;

use reqwest::header::HeaderMap;
use toml::Spanned;

use super::card::{CardOverrides, overrides};
use super::kind::ChannelKind::{self, Discord, Generic, Mattermost, Ntfy, Rocketchat, Slack};
use super::mention::{MENTION_KINDS, mentions};
use super::template::Template;
use crate::config::context::Context;
use crate::config::headers::headers;
use crate::config::raw::ChannelRaw;
use crate::config::report::{Report, key_path};
use crate::config::values;

/// Discord's limit for webhook names; Slack and Mattermost show no more of a name either.
const MAX_USERNAME: usize = 80;
/// Discord refuses a webhook name containing these (in any case) with a 400 on every post.
const DISCORD_RESERVED_NAMES: &[&str] = &["discord", "clyde"];

/// The kinds that take each key (`rate` suits every kind).
const POSTER_KINDS: &[ChannelKind] = &[Slack, Discord, Mattermost, Rocketchat];
const CHANNEL_KINDS: &[ChannelKind] = &[Slack, Mattermost, Rocketchat];
const GENERIC_KINDS: &[ChannelKind] = &[Generic];
const NTFY_KINDS: &[ChannelKind] = &[Ntfy];
/// ntfy's priorities: 1 (min) to 5 (max, urgent); 3 is its default.
const NTFY_PRIORITIES: std::ops::RangeInclusive<i64> = 1..=5;

/// Per-channel presentation options. Each renderer reads the ones its platform supports; `check`
/// rejects an option on a kind that cannot use it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelOptions {
    /// The poster's display name (`username`: Slack, Discord, Mattermost, Rocket.Chat's alias).
    pub username: Option<String>,
    /// The poster's avatar, an https URL (`icon_url`: Slack, Discord as avatar_url, Mattermost,
    /// Rocket.Chat's avatar).
    pub icon_url: Option<String>,
    /// A channel override (`channel`: Mattermost, Rocket.Chat, legacy Slack webhooks).
    pub channel: Option<String>,
    /// A notification's priority, 1 to 5 (`priority`: ntfy).
    pub priority: Option<u8>,
    /// Tags shown with a notification, emoji short codes among them (`tags`: ntfy).
    pub tags: Vec<String>,
    /// A minijinja template for the request body (`template`: generic only), compiled. It sees
    /// `feed` and `entry` exactly as the default generic object has them.
    pub template: Option<Template>,
    /// The name of the forum post each entry starts, a minijinja template like `template`
    /// (`forum`, `thread_name`: Discord), compiled.
    pub thread_name: Option<Template>,
    /// Platform-native mentions that ping with every post (`mention`: Slack, Discord, Matrix),
    /// each checked to be in its platform's form.
    pub mention: Vec<String>,
    /// The feeds that ping others than `mention` (a `[[feeds]]` entry's `mention`), by feed
    /// identity (its name, else its URL): who their posts ping instead.
    pub feed_mention: BTreeMap<String, Vec<String>>,
    /// Changes to every card of this channel, whatever its kind.
    pub card: CardOverrides,
}

impl ChannelOptions {
    /// These options for a post carrying entries of `feeds` (by identity): `mention` is who the
    /// post pings, each feed's own mentions where it has them, else the channel's. A post of
    /// several feeds (a digest) pings all their mentions, each once.
    #[must_use]
    pub fn for_feeds<'a>(&self, feeds: impl IntoIterator<Item = &'a str>) -> Cow<'_, Self> {
        if self.feed_mention.is_empty() {
            return Cow::Borrowed(self);
        }
        let mut mention: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for feed in feeds {
            if !seen.insert(feed) {
                continue;
            }
            let of_feed = self.feed_mention.get(feed).unwrap_or(&self.mention);
            for one in of_feed {
                if !mention.contains(one) {
                    mention.push(one.clone());
                }
            }
        }
        if mention == self.mention {
            return Cow::Borrowed(self);
        }
        Cow::Owned(Self {
            mention,
            ..self.clone()
        })
    }
}

/// What the optional keys of one channel come to; a key that is wrong is reported and left unset.
pub(super) struct Extras {
    pub options: ChannelOptions,
    pub spacing: Option<Duration>,
    pub headers: HeaderMap,
}

/// Reads the optional keys of the channel at `path`. With `kind` unknown (already reported) the keys
/// are still checked, but not against a kind.
pub(super) fn extras(
    raw: &ChannelRaw,
    kind: Option<ChannelKind>,
    path: &str,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Extras {
    let mut table = Table { path, kind, report };
    let template_line = raw
        .template
        .as_ref()
        .map(|source| table.report.line_of(source.span().start));
    // An ntfy channel's username logs in to its server: `address` reads it.
    let display_name = raw.username.as_ref().filter(|_| kind != Some(Ntfy));
    let options = ChannelOptions {
        username: table.read("username", display_name, POSTER_KINDS, |name| {
            username(name, kind)
        }),
        icon_url: table.read("icon_url", raw.icon_url.as_ref(), POSTER_KINDS, icon_url),
        channel: table.read("channel", raw.channel.as_ref(), CHANNEL_KINDS, channel),
        template: table.read("template", raw.template.as_ref(), GENERIC_KINDS, |source| {
            Template::compile(source, template_line)
        }),
        priority: raw.priority.as_ref().and_then(|value| {
            table.parsed("priority", value, NTFY_KINDS, |number| priority(*number))
        }),
        tags: raw
            .tags
            .as_ref()
            .and_then(|value| table.parsed("tags", value, NTFY_KINDS, |list| tags(list)))
            .unwrap_or_default(),
        mention: raw
            .mention
            .as_ref()
            .and_then(|value| {
                table.parsed("mention", value, MENTION_KINDS, |list| mentions(list, kind))
            })
            .unwrap_or_default(),
        // Given by the feeds, once they are read (`validate::give_feed_mentions`).
        feed_mention: BTreeMap::new(),
        // Read with `thread_id` in `super::thread`, which rules on the two together.
        thread_name: None,
        card: overrides(raw, path, table.report),
    };
    let spacing = table.read("rate", raw.rate.as_ref(), &ChannelKind::ALL, values::rate);
    let headers = match &raw.headers {
        Some(table_raw) if table.allows("headers", table_raw.span(), GENERIC_KINDS) => {
            let key = key_path(path, "headers");
            headers(table_raw, &key, ctx.env, table.report)
        }
        _ => HeaderMap::new(),
    };
    Extras {
        options,
        spacing,
        headers,
    }
}

struct Table<'a> {
    path: &'a str,
    kind: Option<ChannelKind>,
    report: &'a mut Report,
}

impl Table<'_> {
    /// Whether the channel's kind takes `key`, reporting it when not.
    fn allows(&mut self, key: &str, span: Range<usize>, kinds: &[ChannelKind]) -> bool {
        match self.kind {
            Some(kind) if !kinds.contains(&kind) => {
                let message = format!(
                    "{key} is not supported by {kind} channels; only {} channels take it",
                    listed(kinds)
                );
                self.report.error(span, &key_path(self.path, key), message);
                false
            }
            _ => true,
        }
    }

    /// The value of `key`, parsed, when it is set on a kind that takes it; each problem reported.
    fn read<T>(
        &mut self,
        key: &str,
        value: Option<&Spanned<String>>,
        kinds: &[ChannelKind],
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        self.parsed(key, value?, kinds, |text: &String| parse(text))
    }

    /// Like [`Self::read`], for a value of any type.
    fn parsed<V, T>(
        &mut self,
        key: &str,
        value: &Spanned<V>,
        kinds: &[ChannelKind],
        parse: impl FnOnce(&V) -> Result<T, String>,
    ) -> Option<T> {
        if !self.allows(key, value.span(), kinds) {
            return None;
        }
        parse(value.get_ref())
            .map_err(|message| {
                self.report
                    .error(value.span(), &key_path(self.path, key), message);
            })
            .ok()
    }
}

/// `slack, discord and mattermost`
pub(in crate::config) fn listed(kinds: &[ChannelKind]) -> String {
    let names: Vec<&str> = kinds.iter().map(|kind| kind.as_str()).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

fn username(name: &str, kind: Option<ChannelKind>) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("the username is empty; remove the key to keep the webhook's own name".into());
    }
    let length = name.chars().count();
    if length > MAX_USERNAME {
        return Err(format!(
            "the username has {length} characters; the most is {MAX_USERNAME}"
        ));
    }
    if kind == Some(Discord) {
        let lower = name.to_lowercase();
        if let Some(word) = DISCORD_RESERVED_NAMES.iter().find(|w| lower.contains(*w)) {
            return Err(format!("Discord refuses webhook names containing {word:?}"));
        }
    }
    Ok(name.to_owned())
}

/// The avatar is fetched by the platform and shown to everyone: only https makes sense.
fn icon_url(text: &str) -> Result<String, String> {
    let url =
        values::http_url(text).map_err(|reason| format!("invalid icon_url {text:?}: {reason}"))?;
    if url.scheme() != "https" {
        return Err(format!("icon_url {text:?} must be an https:// URL"));
    }
    Ok(url.to_string())
}

fn priority(number: i64) -> Result<u8, String> {
    match u8::try_from(number) {
        Ok(priority) if NTFY_PRIORITIES.contains(&number) => Ok(priority),
        _ => Err(format!(
            "priority {number} is not one of ntfy's: 1 (min), 2 (low), 3 (default), 4 (high), 5 (max)"
        )),
    }
}

/// Tags are sent in a JSON list; an empty one or one with a comma would show oddly.
fn tags(list: &[Spanned<String>]) -> Result<Vec<String>, String> {
    list.iter()
        .map(|tag| {
            let text = tag.get_ref().trim();
            if text.is_empty() || text.contains(',') || text.chars().any(char::is_control) {
                return Err(format!(
                    "tag {text:?} is empty or holds a comma or a control character"
                ));
            }
            Ok(text.to_owned())
        })
        .collect()
}

fn channel(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.trim_start_matches(['#', '@']).is_empty() {
        return Err("the channel is empty; remove the key to post where the webhook points".into());
    }
    if name.contains(char::is_whitespace) {
        return Err(format!(
            "channel {name:?} contains a space; write the channel's name as in its URL, \
             e.g. \"town-square\" or \"#alerts\""
        ));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests;
