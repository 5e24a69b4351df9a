//! The checks behind feedhook's fuzz targets (`fuzz_targets/`), kept in a library so that both
//! targets share them and `cargo test` here exercises the scanners they rely on.
//!
//! - [`check_feed`]: bytes through `parse_feed`, then every entry rendered for every channel kind.
//! - [`check_html`]: bytes as an entry summary through `to_rich_text` and every markup writer.
//!
//! A violated invariant panics, which libFuzzer records as a crash with the input in
//! `fuzz/artifacts/<target>/`. Panics inside feed-rs are contained by `parse` and come back as
//! `ParseError::ParserPanicked`; they are not findings.

pub mod markup;
pub mod payload;
pub mod richtext;

use feedhook::config::{ChannelKind, ChannelOptions};
use feedhook::parse::{Entry, parse_feed};
use feedhook::render::Card;

/// The URL every fuzzed document is "fetched" from; relative links resolve against it.
pub const FEED_URL: &str = "https://example.com/feed.xml";
const FEED_NAME: &str = "fuzz";

/// Parses `data` as a feed and renders each entry for every channel kind, asserting the
/// invariants of [`check_entry`] and [`payload::check`].
pub fn check_feed(data: &[u8]) {
    let Ok(feed) = parse_feed(data, None, FEED_URL) else {
        return;
    };
    // Dedupe relies on the same bytes giving the same keys on every poll.
    let again = parse_feed(data, None, FEED_URL).expect("bytes read once are read again");
    assert_eq!(feed, again, "two parses of the same bytes differ");
    let options = ChannelOptions::default();
    for entry in &feed.entries {
        check_entry(entry);
        let card = Card {
            feed_name: FEED_NAME,
            feed_url: FEED_URL,
            feed: &feed.info,
            entry,
        };
        for kind in ChannelKind::ALL {
            let rendered = feedhook::render::render(kind, &options, &card);
            payload::check(kind, &card, &rendered);
        }
    }
}

/// The entry model's documented guarantees: a non-empty key chosen id → link → content hash,
/// an http(s) link and an https image.
pub fn check_entry(entry: &Entry) {
    assert!(!entry.key.is_empty(), "empty dedupe key: {entry:?}");
    let expected = entry.id.as_ref().or(entry.link.as_ref());
    match expected {
        Some(key) => assert_eq!(&entry.key, key, "key is not the id, else the link"),
        None => assert!(entry.key.starts_with("sha256:"), "key {:?}", entry.key),
    }
    if let Some(link) = &entry.link {
        let url = url::Url::parse(link).expect("entry links are absolute URLs");
        assert!(matches!(url.scheme(), "http" | "https"), "link {link:?}");
    }
    if let Some(image) = &entry.image {
        let url = url::Url::parse(image).expect("entry images are absolute URLs");
        assert_eq!(url.scheme(), "https", "image {image:?}");
    }
}

/// Reads `data` as an entry summary (lossy UTF-8; the first byte picks whether relative links
/// have a base) and checks the rich text and what every markup language writes from it.
pub fn check_html(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let summary = String::from_utf8_lossy(rest);
    let base = (selector & 1 == 1)
        .then(|| url::Url::parse("https://example.com/posts/1?x=y").expect("a valid base"));
    let rich = feedhook::render::html::to_rich_text(&summary, base.as_ref());
    richtext::check(&rich);
    richtext::check_writers(&rich);
    // The writers also see shortened summaries: every fitter cuts before writing.
    let max = usize::from(selector >> 1) * 16;
    let short = feedhook::render::truncate::truncate_rich(&rich, max);
    let len = feedhook::render::truncate::rich_len(&short);
    assert!(len <= max, "truncate_rich to {max} gave {len} chars");
    richtext::check(&short);
    richtext::check_writers(&short);
}
