//! The registry seen as a scraper sees it: record, encode, read the samples back.

mod channels;
mod endpoint;
mod feeds;

use std::fmt::Write;
use std::path::Path;
use std::time::Duration;

use super::{Format, Metrics};
use crate::config::Config;

/// A console channel `terminal`, a generic channel `hook`, and a feed for each name in `feeds`.
fn config(feeds: &[&str]) -> Config {
    let mut text = String::from(
        "[channels.terminal]\nkind = \"console\"\n\
         [channels.hook]\nkind = \"generic\"\nurl = \"https://hooks.example/x\"\n",
    );
    for name in feeds {
        let url = format!("https://example.com/{name}.xml");
        writeln!(text, "[[feeds]]\nname = \"{name}\"\nurl = \"{url}\"")
            .and_then(|()| writeln!(text, "channels = [\"terminal\", \"hook\"]"))
            .expect("writing to a String");
    }
    Config::from_toml_str(&text, Path::new("/etc/feedhook/feedhook.toml"), &|_| None)
        .unwrap_or_else(|error| panic!("{error}"))
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
