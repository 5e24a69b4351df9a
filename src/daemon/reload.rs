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
        match old_feeds.get(name) {
            None => lines.push(format!("feed {name} added (its first poll records what is there and posts only its backlog)")),
            Some(before) if !same_feed(before, feed) => lines.push(format!("feed {name} changed")),
            Some(_) => {}
        }
    }
    lines.extend(
        old_feeds
            .keys()
            .filter(|name| !new_feeds.contains_key(*name))
            .map(|name| format!("feed {name} removed (its state is kept)")),
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
            .map(|name| format!("channel {name} removed (its pending deliveries are cancelled)")),
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
mod tests {
    use super::*;

    fn config(text: &str) -> Config {
        Config::from_toml_str(
            text,
            std::path::Path::new("/etc/feedhook/feedhook.toml"),
            &|_| None,
        )
        .expect("valid config")
    }

    #[test]
    fn additions_removals_and_changes_are_each_named() {
        let old = config(
            "[channels.a]\nkind = \"console\"\n[channels.b]\nkind = \"console\"\n\
             [[feeds]]\nname = \"one\"\nurl = \"https://example.com/1\"\nchannels = [\"a\"]\n\
             [[feeds]]\nname = \"two\"\nurl = \"https://example.com/2\"\nchannels = [\"a\"]\n",
        );
        let new = config(
            "[channels.a]\nkind = \"console\"\n[channels.c]\nkind = \"console\"\n\
             [[feeds]]\nname = \"one\"\nurl = \"https://example.com/1\"\nchannels = [\"a\"]\ninterval = \"5m\"\n\
             [[feeds]]\nname = \"three\"\nurl = \"https://example.com/3\"\nchannels = [\"c\"]\n",
        );
        let changes = describe_changes(&old, &new);
        for expected in [
            "feed one changed",
            "feed three added",
            "feed two removed",
            "channel c added",
            "channel b removed",
        ] {
            assert!(
                changes.iter().any(|c| c.starts_with(expected)),
                "{expected} missing from {changes:?}"
            );
        }
        assert_eq!(changes.len(), 5, "{changes:?}");
        assert!(describe_changes(&new, &new).is_empty());
    }
}
