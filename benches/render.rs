//! Rendering one card per target: the work a delivery does besides the HTTP post.
//!
//! Two cards: a typical blog entry, and the entry with the largest summary in the corpus's
//! large feeds (capped at 64 KiB by the HTML reader). Each render reads the summary HTML once,
//! as a delivery does.

mod common;

use std::hint::black_box;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use feedhook::config::{ChannelKind, ChannelOptions};
use feedhook::parse::{Entry, FeedInfo, parse_feed};
use feedhook::render::{Card, render};

use common::large_feeds;

struct Sample {
    label: &'static str,
    feed: FeedInfo,
    entry: Entry,
}

fn typical() -> Sample {
    Sample {
        label: "typical",
        feed: FeedInfo {
            title: Some("Example Blog".into()),
            link: Some("https://blog.example.com/".into()),
        },
        entry: Entry {
            key: "tag:blog.example.com,2026:release-2".into(),
            id: Some("tag:blog.example.com,2026:release-2".into()),
            title: Some("Release 2.0 is out".into()),
            link: Some("https://blog.example.com/posts/release-2".into()),
            published: Utc.with_ymd_and_hms(2026, 11, 27, 14, 5, 0).single(),
            updated: None,
            authors: vec!["Jane Doe".into(), "Ann Smith".into()],
            summary_html: Some(
                "<p>We shipped <b>bold</b> things and <i>italic</i> ones. Read the \
                 <a href=\"/docs/upgrade\">upgrade guide</a>.</p>\
                 <ul><li>first item</li><li>second item</li></ul>"
                    .into(),
            ),
            categories: vec!["release".into(), "rust".into()],
            image: Some("https://blog.example.com/img.png".into()),
        },
    }
}

/// The entry with the longest summary among the large corpus feeds, if the corpus is there.
fn largest_corpus_entry() -> Option<Sample> {
    large_feeds()
        .iter()
        .filter_map(|file| parse_feed(&file.body, None, &file.url).ok())
        .flat_map(|feed| {
            let info = feed.info;
            feed.entries.into_iter().map(move |e| (info.clone(), e))
        })
        .max_by_key(|(_, entry)| entry.summary_html.as_ref().map_or(0, String::len))
        .map(|(feed, entry)| Sample {
            label: "largest-corpus-summary",
            feed,
            entry,
        })
}

fn render_per_target(c: &mut Criterion) {
    let samples: Vec<Sample> = std::iter::once(typical())
        .chain(largest_corpus_entry())
        .collect();
    let mut group = c.benchmark_group("render");
    for sample in &samples {
        let card = Card {
            feed_name: "bench-feed",
            feed_url: "https://blog.example.com/feed.xml",
            feed: &sample.feed,
            entry: &sample.entry,
        };
        for kind in ChannelKind::ALL {
            let options = ChannelOptions::default();
            group.bench_function(format!("{}/{}", kind.as_str(), sample.label), |b| {
                b.iter(|| {
                    render(kind, &options, black_box(&card)).map(|payload| payload.to_bytes())
                });
            });
        }
    }
    group.finish();
}

criterion_group!(benches, render_per_target);
criterion_main!(benches);
