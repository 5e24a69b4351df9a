use super::*;
use crate::parse::FeedInfo;
use crate::store::sqlite::testing::{Poll, at, pending_keys};

fn note(channel: &str, feed: &str, _: &FeedInfo, held: &[&Entry], _: DateTime<Utc>) -> Entry {
    let keys: Vec<&str> = held.iter().map(|entry| entry.key.as_str()).collect();
    Entry {
        key: String::new(),
        title: Some(format!("{channel}/{feed}: {}", keys.join(","))),
        ..Entry::default()
    }
}

fn caps(pairs: &[(&str, usize)]) -> HashMap<String, usize> {
    pairs
        .iter()
        .map(|(feed, cap)| ((*feed).to_owned(), *cap))
        .collect()
}

#[test]
fn the_oldest_beyond_the_cap_become_one_card_in_the_place_of_the_oldest() {
    let store = Db::open_in_memory().expect("memory store");
    Poll::new("blog", &[], &["ops", "other"]).run(&store);
    Poll::new("blog", &["a", "b", "c", "d", "e"], &["ops", "other"])
        .at(at(1))
        .run(&store);
    let summarised = store
        .summarise_backlog("ops", &caps(&[("blog", 2)]), note, at(60))
        .expect("summarise");
    assert_eq!(summarised, [("blog".to_owned(), 3)]);
    let keys = pending_keys(&store, "ops");
    assert_eq!(keys.len(), 3);
    assert!(keys[0].starts_with("feedhook:backlog:ops:"), "{keys:?}");
    assert_eq!(keys[1..], ["d", "e"]);
    let first = store.next_pending("ops").expect("read").expect("pending");
    assert_eq!(first.entry.title.as_deref(), Some("ops/blog: a,b,c"));
    let state = store.channel_state("ops").expect("read");
    assert_eq!((state.pending, state.delivered, state.failed), (3, 2, 0));
    assert_eq!(
        pending_keys(&store, "other"),
        ["a", "b", "c", "d", "e"],
        "another channel keeps its own queue"
    );
}

#[test]
fn a_backlog_within_the_cap_or_uncapped_is_left_alone() {
    let store = Db::open_in_memory().expect("memory store");
    Poll::new("blog", &[], &["ops"]).run(&store);
    Poll::new("blog", &["a", "b", "c"], &["ops"])
        .at(at(1))
        .run(&store);
    for limits in [caps(&[("blog", 3)]), caps(&[("blog", 0)]), caps(&[])] {
        let summarised = store
            .summarise_backlog("ops", &limits, note, at(60))
            .expect("summarise");
        assert!(summarised.is_empty());
        assert_eq!(pending_keys(&store, "ops"), ["a", "b", "c"]);
    }
}
