//! Parse throughput on the corpus's largest feeds — feedhook's `parse_feed` (input preparation,
//! feed-rs, conversion into `Entry`) beside feed-rs alone — and the cost of turning entry
//! summaries into rich text (html5ever), which every rendered card pays.
//!
//! `cargo bench --bench parse`; without the corpus (see `common::corpus_dir`) only the synthetic
//! document and summary are measured.

mod common;

use std::fmt::Write;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use feedhook::parse::parse_feed;
use feedhook::render::html::{MAX_INPUT_BYTES, to_rich_text};
use url::Url;

use common::large_feeds;

/// A summary of the size and shape most blog feeds carry: two paragraphs, a link, a list.
const TYPICAL_SUMMARY: &str = "<p>We shipped <b>bold</b> things and <i>italic</i> ones this \
    week, after a long stretch of review. Read the <a href=\"/docs/upgrade\">upgrade guide</a> \
    before you move a production system.</p><ul><li>faster start-up</li><li>smaller state \
    file</li><li>one fewer dependency</li></ul><p>Thanks to everyone who tested the betas &amp; \
    reported problems.</p>";

fn parse_throughput(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(8));
    for file in large_feeds() {
        // A parser that rejects a file early would look fast: say what each one read.
        let ours = parse_feed(&file.body, None, &file.url).map(|f| f.entries.len());
        let theirs = feed_rs::parser::parse(file.body.as_slice()).map(|f| f.entries.len());
        eprintln!(
            "note: {} ({} bytes): feedhook read {ours:?} entries, feed-rs {theirs:?}",
            file.label,
            file.body.len()
        );
        group.throughput(Throughput::Bytes(file.body.len() as u64));
        group.bench_function(format!("feedhook/{}", file.label), |b| {
            b.iter(|| parse_feed(black_box(&file.body), None, &file.url));
        });
        group.bench_function(format!("feed-rs/{}", file.label), |b| {
            b.iter(|| feed_rs::parser::parse(black_box(file.body.as_slice())));
        });
    }
    group.finish();
}

/// The document of a publishing feed under the heavy load (`bench/load.py --profile heavy`): 20
/// RSS items of ~500 bytes, each with a guid, an RFC 2822 date and an HTML description. A changed
/// poll parses one of these; the dates and the unlabelled descriptions are what is measured.
fn publishing_document() -> String {
    let summary = "&lt;p&gt;Lorem ipsum dolor sit amet, &lt;b&gt;consectetur&lt;/b&gt; adipiscing \
        elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim \
        veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo \
        consequat.&lt;/p&gt;";
    let mut items = String::new();
    for k in 0..20 {
        writeln!(
            items,
            "<item><title>Entry {k} of feed 7</title><link>http://bench.invalid/p/7/{k}</link>\
             <guid isPermaLink=\"false\">urn:fh-bench:7:{k}</guid>\
             <pubDate>Thu, 03 Dec 2026 13:{:02}:00 +0000</pubDate>\
             <description>{summary}</description></item>",
            59 - k
        )
        .expect("writing to a String");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Bench feed 7</title><link>http://bench.invalid/f/7</link>\
         <description>A synthetic feed</description>\n{items}</channel></rss>\n"
    )
}

fn parse_publishing_document(c: &mut Criterion) {
    let document = publishing_document();
    let url = "http://127.0.0.1:8080/feeds/7.xml";
    let parsed = parse_feed(document.as_bytes(), None, url).map(|f| f.entries.len());
    assert_eq!(parsed.ok(), Some(20), "the document parses");
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(document.len() as u64));
    group.bench_function("feedhook/publishing-20-items", |b| {
        b.iter(|| parse_feed(black_box(document.as_bytes()), None, url));
    });
    group.finish();
}

fn html_to_rich_text(c: &mut Criterion) {
    let mut group = c.benchmark_group("to_rich_text");
    let base = Url::parse("https://blog.example.com/posts/release-2").ok();
    group.throughput(Throughput::Bytes(TYPICAL_SUMMARY.len() as u64));
    group.bench_function("typical", |b| {
        b.iter(|| to_rich_text(black_box(TYPICAL_SUMMARY), base.as_ref()));
    });
    group.sample_size(10);
    for file in large_feeds() {
        let Ok(feed) = parse_feed(&file.body, None, &file.url) else {
            continue;
        };
        let summaries: Vec<String> = feed
            .entries
            .into_iter()
            .filter_map(|entry| entry.summary_html)
            .collect();
        // `to_rich_text` reads at most MAX_INPUT_BYTES of each summary.
        let bytes: usize = summaries.iter().map(|s| s.len().min(MAX_INPUT_BYTES)).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(format!("all-summaries/{}", file.label), |b| {
            b.iter(|| {
                for summary in &summaries {
                    black_box(to_rich_text(summary, base.as_ref()));
                }
            });
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    parse_publishing_document,
    parse_throughput,
    html_to_rich_text
);
criterion_main!(benches);
