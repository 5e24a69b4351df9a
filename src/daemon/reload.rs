//! What a reload changes, in words for the log: feeds and channels added, removed or changed.

use std::collections::BTreeMap;

use crate::config::{Cadence, Config, Feed, FeedFilter};

/// One line per feed or channel that differs between `old` and `new`.
#[must_use]
pub fn describe_changes(old: &Config, new: &Config) -> Vec<String> {
    let mut lines = Vec::new();
    let old_feeds: BTreeMap<&str, &Feed> = old.feeds.iter().map(|f| (f.name.as_str(), f)).collect();
    let new_feeds: BTreeMap<&str, &Feed> = new.feeds.iter().map(|f| (f.name.as_str(), f)).collect();
    for (name, feed) in &new_feeds {
        let shown = feed.display_name();
        match old_feeds.get(name) {
            None => lines.push(format!("feed {shown} added (its first poll records what is there and posts only its backlog)")),
            Some(before) if !same_feed(before, feed) => lines.push(format!("feed {shown} changed")),
            Some(_) => {}
        }
    }
    lines.extend(
        old_feeds
            .iter()
            .filter(|(name, _)| !new_feeds.contains_key(*name))
            .map(|(_, feed)| format!("feed {} removed (its state is kept)", feed.display_name())),
    );
    for (name, channel) in &new.channels {
        match old.channels.get(name) {
            None => lines.push(format!("channel {name} added")),
            Some(before) if before != channel => lines.push(format!("channel {name} changed")),
            Some(_) => {}
        }
    }
    lines.extend(
        old.channels
            .keys()
            .filter(|name| !new.channels.contains_key(*name))
            .map(|name| format!("channel {name} removed (its pending deliveries are parked: posted if it comes back, pruned after [store] retention)")),
    );
    lines
}

fn same_feed(a: &Feed, b: &Feed) -> bool {
    a.url == b.url
        && a.channels == b.channels
        && a.backlog == b.backlog
        && a.timeout == b.timeout
        && a.max_body == b.max_body
        && a.max_new_per_poll == b.max_new_per_poll
        && a.fetch == b.fetch
        && a.max_age == b.max_age
        && a.push == b.push
        && a.push_interval == b.push_interval
        && same_cadence(&a.cadence, &b.cadence)
        && same_filter(&a.filter, &b.filter)
}

fn same_filter(a: &FeedFilter, b: &FeedFilter) -> bool {
    let patterns = |list: &[regex::Regex]| {
        list.iter()
            .map(regex::Regex::as_str)
            .collect::<Vec<_>>()
            .join("\n")
    };
    patterns(&a.include) == patterns(&b.include)
        && patterns(&a.exclude) == patterns(&b.exclude)
        && a.fields == b.fields
}

fn same_cadence(a: &Cadence, b: &Cadence) -> bool {
    match (a, b) {
        (Cadence::Every(x), Cadence::Every(y)) => x == y,
        (Cadence::Cron(x), Cadence::Cron(y)) => x.to_string() == y.to_string(),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
