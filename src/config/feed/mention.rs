//! A feed's `mention = { CHANNEL = […] }`: who this feed's posts ping on each of its channels,
//! replacing that channel's own `mention` (a feed that matters pings; `[]` keeps a feed quiet on a
//! channel that pings by default). Each list is checked against its channel's kind, as the
//! channel's own list is (`channel::mention`).

use std::collections::BTreeMap;

use crate::config::channel::{ChannelKind, MENTION_KINDS, listed_kinds, mentions};
use crate::config::raw::MentionsRaw;
use crate::config::report::{Report, key_path};
use toml::Spanned;

/// The kind of each channel the file defines, by name; `None` where the kind is missing or unknown
/// (reported with the channel).
pub(in crate::config) type ChannelKinds<'a> = BTreeMap<&'a str, Option<ChannelKind>>;

/// The feed's mentions by channel: each names a channel the feed posts to, of a kind that
/// mentions, in that platform's form. A wrong one is reported and left out, so its channel keeps
/// its own mentions.
pub(super) fn overrides(
    raw: Option<&Spanned<MentionsRaw>>,
    path: &str,
    subscribed: &[String],
    kinds: &ChannelKinds<'_>,
    report: &mut Report,
) -> BTreeMap<String, Vec<String>> {
    let Some(table) = raw else {
        return BTreeMap::new();
    };
    let mut found = BTreeMap::new();
    for (channel, list) in table.get_ref() {
        let name = channel.get_ref().as_str();
        let key = key_path(&key_path(path, "mention"), name);
        match override_for(name, list.get_ref(), subscribed, kinds) {
            Ok(mentions) => {
                found.insert(name.to_owned(), mentions);
            }
            Err(Wrong::Channel(message)) => report.error(channel.span(), &key, message),
            Err(Wrong::Mention(message)) => report.error(list.span(), &key, message),
        }
    }
    found
}

/// What is wrong with one channel's override: the channel named (reported at its name), or the
/// list (reported at the list).
#[derive(Debug, PartialEq, Eq)]
enum Wrong {
    Channel(String),
    Mention(String),
}

fn override_for(
    name: &str,
    list: &[Spanned<String>],
    subscribed: &[String],
    kinds: &ChannelKinds<'_>,
) -> Result<Vec<String>, Wrong> {
    let Some(&kind) = kinds.get(name) else {
        return Err(Wrong::Channel(format!(
            "channel {name:?} is not defined: there is no [channels.{name}] table"
        )));
    };
    if !subscribed.iter().any(|channel| channel == name) {
        return Err(Wrong::Channel(format!(
            "this feed does not post to channel {name:?}: add it to channels, or remove it here"
        )));
    }
    if let Some(kind) = kind.filter(|kind| !MENTION_KINDS.contains(kind)) {
        return Err(Wrong::Channel(format!(
            "channel {name:?} is a {kind} channel, which cannot mention anyone; only {} channels take mention",
            listed_kinds(MENTION_KINDS)
        )));
    }
    mentions(list, kind).map_err(Wrong::Mention)
}

#[cfg(test)]
mod tests;
