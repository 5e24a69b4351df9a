//! The registry seen as a scraper sees it: record, encode, read the samples back.

mod channels;
mod endpoint;
mod feeds;
mod process;

use std::time::Duration;

use super::{FeedHealth, Format, Metrics};

/// The channels every test tracks: a console channel `terminal` and a generic channel `hook`.
const CHANNELS: [(&str, &str); 2] = [("terminal", "console"), ("hook", "generic")];

/// Tracks a feed for each name in `feeds` (none seeded) and [`CHANNELS`].
fn track(metrics: &Metrics, feeds: &[&str]) {
    let feeds: Vec<(&str, Option<FeedHealth>)> = feeds.iter().map(|name| (*name, None)).collect();
    metrics.track(&feeds, &CHANNELS);
}

fn scrape(metrics: &Metrics) -> String {
    metrics.encode(Format::Prometheus, Duration::ZERO)
}

/// The value of the sample `series` (name and labels, as exported), if it is there. Every value
/// the tests read is a whole number.
fn sample(text: &str, series: &str) -> Option<i64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map(|value| value.parse().expect("a whole number"))
}

/// The value of `series`, which must be there.
fn value(text: &str, series: &str) -> i64 {
    sample(text, series).unwrap_or_else(|| panic!("no sample {series} in\n{text}"))
}
