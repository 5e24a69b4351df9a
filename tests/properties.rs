//! Properties of parsing and rendering over generated input (proptest).
//!
//! Dedupe keys decide what a poll posts: a key that changes when a publisher re-serialises its
//! feed, reorders it or fixes a typo in a title re-posts every entry to every channel. So for
//! generated RSS 2.0, Atom and JSON Feed documents (`properties/documents.rs`):
//!
//! - the same bytes give the same keys;
//! - reordering items changes no item's key;
//! - re-serialising (whitespace between elements, attribute quotes, CDATA vs escaped text, numeric
//!   vs named entities, an XML declaration; JSON whitespace, key order, `\u` escapes) keeps keys;
//! - an item without guid is keyed by its link, whatever its title says;
//! - an item with neither guid nor link keeps its content-hash key across re-parse.
//!
//! And every renderer, given an arbitrary entry (`properties/cards.rs`), returns valid JSON within
//! its platform's published limits. Case counts are kept small so the file runs in seconds in a
//! debug build; `PROPTEST_CASES=1000` runs more.

#[path = "properties/cards.rs"]
mod cards;
#[path = "properties/documents.rs"]
mod documents;

use documents::{Format, Item, Style, any_item, serialise};
use feedhook::config::{ChannelKind, ChannelOptions};
use feedhook::parse::{FeedInfo, parse_feed};
use feedhook::render::{Card, Payload, render};
use proptest::prelude::*;

const FEED_URL: &str = "https://example.com/feed.xml";

/// The dedupe key of each item, in document order.
fn keys(format: Format, items: &[Item], style: Style) -> Vec<String> {
    let document = serialise(format, items, style);
    let feed = parse_feed(document.as_bytes(), None, FEED_URL)
        .unwrap_or_else(|error| panic!("{error}:\n{document}"));
    assert_eq!(feed.entries.len(), items.len(), "{document}");
    feed.entries.into_iter().map(|entry| entry.key).collect()
}

fn items(item: impl Strategy<Value = Item>) -> impl Strategy<Value = Vec<Item>> {
    prop::collection::vec(item, 1..6)
}

/// `cases` unless `PROPTEST_CASES` asks for another number.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn the_same_bytes_give_the_same_keys(
        format in documents::format(), items in items(any_item()), style in documents::style(),
    ) {
        prop_assert_eq!(keys(format, &items, style), keys(format, &items, style));
    }

    #[test]
    fn reordering_items_keeps_every_key(
        format in documents::format(),
        (items, order) in items(any_item()).prop_flat_map(|items| {
            let order: Vec<usize> = (0..items.len()).collect();
            (Just(items), Just(order).prop_shuffle())
        }),
        style in documents::style(),
    ) {
        let before = keys(format, &items, style);
        let reordered: Vec<Item> = order.iter().map(|&i| items[i].clone()).collect();
        let after = keys(format, &reordered, style);
        for (position, &original) in order.iter().enumerate() {
            prop_assert_eq!(&after[position], &before[original]);
        }
    }

    #[test]
    fn reserialising_keeps_every_key(
        format in documents::format(),
        items in items(any_item()),
        (a, b) in (documents::style(), documents::style()),
    ) {
        prop_assert_eq!(keys(format, &items, a), keys(format, &items, b));
    }

    #[test]
    fn items_without_guid_are_keyed_by_link_whatever_the_title(
        format in documents::format(),
        items in items(documents::item(Just(None), documents::link().prop_map(Some))),
        titles in prop::collection::vec(documents::text(), 6),
        (a, b) in (documents::style(), documents::style()),
    ) {
        let retitled: Vec<Item> = items
            .iter()
            .zip(&titles)
            .map(|(item, title)| Item { title: title.clone(), ..item.clone() })
            .collect();
        let before = keys(format, &items, a);
        // The key is the link as resolved: `/a/./b` reads as `/a/b`.
        let links: Vec<String> = items
            .iter()
            .filter_map(|item| url::Url::parse(item.link.as_deref()?).ok())
            .map(String::from)
            .collect();
        prop_assert_eq!(&before, &links);
        prop_assert_eq!(keys(format, &retitled, b), before);
    }

    #[test]
    fn items_without_guid_or_link_keep_their_content_key(
        format in documents::format(),
        items in items(documents::item(Just(None), Just(None))),
        (a, b) in (documents::style(), documents::style()),
    ) {
        let first = keys(format, &items, a);
        prop_assert!(first.iter().all(|key| key.starts_with("sha256:")), "{:?}", first);
        prop_assert_eq!(keys(format, &items, b), first.clone());
        let reversed: Vec<Item> = items.iter().rev().cloned().collect();
        let mut again = keys(format, &reversed, b);
        again.reverse();
        prop_assert_eq!(again, first);
    }
}

proptest! {
    #![proptest_config(config(32))]

    #[test]
    fn every_renderer_writes_valid_json_within_its_limits(
        entry in cards::entry(), feed_name in "\\PC{0,40}",
    ) {
        let feed = FeedInfo::default();
        let card = Card { feed_name: &feed_name, feed_url: FEED_URL, feed: &feed, entry: &entry };
        for kind in ChannelKind::ALL {
            let payload = render(kind, &ChannelOptions::default(), &card)
                .map_err(|e| TestCaseError::fail(format!("{kind}: {e}")))?;
            match (kind, &payload) {
                (ChannelKind::Console, Payload::Text(_)) => {}
                (ChannelKind::Email, Payload::Email(parts)) => cards::email_within_limits(parts)
                    .map_err(|e| TestCaseError::fail(format!("{kind}: {e}")))?,
                (_, Payload::Json(value)) => {
                    let reread: serde_json::Value = serde_json::from_slice(&payload.to_bytes())
                        .map_err(|e| TestCaseError::fail(format!("{kind}: {e}")))?;
                    prop_assert_eq!(&reread, value);
                    cards::within_limits(kind, value)
                        .map_err(|e| TestCaseError::fail(format!("{kind}: {e}")))?;
                }
                (kind, other) => prop_assert!(false, "{kind} rendered {other:?}"),
            }
        }
    }
}
