use std::path::Path;

use chrono::TimeDelta;

use super::*;
use crate::config::{Config, FetchSettings};
use crate::fetch::Fetcher;
use crate::schedule::Clock;
use crate::store::Store;

fn feeds() -> Arc<[Feed]> {
    let text = "[channels.c]\nkind = \"console\"\n\
                [[feeds]]\nname = \"a\"\nurl = \"https://a.example/feed\"\nchannels = [\"c\"]\ninterval = \"10m\"\n\
                [[feeds]]\nname = \"b\"\nurl = \"https://b.example/feed\"\nchannels = [\"c\"]\ninterval = \"10m\"\n";
    let config = Config::from_toml_str(text, Path::new("t.toml"), &|_| None)
        .unwrap_or_else(|error| panic!("{error}"));
    Arc::clone(&config.feeds)
}

fn context(feeds: &[Feed]) -> PollContext {
    let fetcher =
        Fetcher::new(&FetchSettings::default(), feeds, &Arc::default()).expect("the client builds");
    let store = Arc::new(Store::open_in_memory().expect("a store"));
    PollContext::new(store, fetcher, Clock::new())
}

/// Without sharing: every feed is this instance's.
fn all_mine(feeds: &[Feed]) -> Owned {
    Owned::new(feeds, false)
}

fn line_due_in(feeds: &[Feed], hours: i64) -> (Line, DateTime<Utc>) {
    let at = Utc::now() + TimeDelta::hours(hours);
    let heap: BinaryHeap<_> = (0..feeds.len()).map(|index| Reverse((at, index))).collect();
    (Line::new(feeds, &heap), at)
}

#[test]
fn a_thin_ping_brings_the_feeds_poll_to_now_and_its_old_turn_is_skipped() {
    let feeds = feeds();
    let context = context(&feeds);
    let (mut line, later) = line_due_in(&feeds, 1);
    let (at, index) = line
        .nudged(
            &Nudge::PollNow("b".into()),
            &context,
            &feeds,
            &all_mine(&feeds),
        )
        .expect("moved");
    assert_eq!(index, 1);
    assert!(at <= Utc::now());
    assert!(line.take(1, at), "the nudged turn polls");
    assert!(!line.take(1, later), "the old turn is gone");
    assert!(line.take(0, later), "the other feed keeps its turn");
}

#[test]
fn a_feed_no_longer_pushed_is_due_within_its_own_interval() {
    let feeds = feeds();
    let context = context(&feeds);
    let (mut line, _) = line_due_in(&feeds, 1);
    let (at, _) = line
        .nudged(
            &Nudge::Unpushed("a".into()),
            &context,
            &feeds,
            &all_mine(&feeds),
        )
        .expect("moved");
    assert!(at <= Utc::now() + TimeDelta::minutes(10));
    assert!(at > Utc::now() + TimeDelta::minutes(9));
    let (mut due_now, _) = line_due_in(&feeds, 0);
    assert_eq!(
        due_now.nudged(
            &Nudge::Unpushed("a".into()),
            &context,
            &feeds,
            &all_mine(&feeds)
        ),
        None,
        "already due sooner"
    );
    assert_eq!(
        line.nudged(
            &Nudge::PollNow("nobody".into()),
            &context,
            &feeds,
            &all_mine(&feeds)
        ),
        None
    );
}

#[test]
fn a_nudge_during_the_feeds_poll_takes_effect_after_it() {
    let feeds = feeds();
    let context = context(&feeds);
    let (mut line, at) = line_due_in(&feeds, 0);
    assert!(line.take(0, at));
    assert_eq!(
        line.nudged(
            &Nudge::PollNow("a".into()),
            &context,
            &feeds,
            &all_mine(&feeds)
        ),
        None
    );
    let next = line.finished(0, Utc::now() + TimeDelta::hours(1));
    assert!(next <= Utc::now(), "polled again at once");
    let next = line.finished(0, Utc::now() + TimeDelta::hours(1));
    assert!(next > Utc::now(), "once");
}

#[test]
fn a_nudge_for_a_feed_another_instance_polls_is_left_to_it() {
    let feeds = feeds();
    let context = context(&feeds);
    let mut owned = Owned::new(&feeds, true);
    owned.apply(&Assignment::Gained(vec!["a".into()]));
    let (mut line, _) = line_due_in(&feeds, 1);
    assert_eq!(
        line.nudged(&Nudge::PollNow("b".into()), &context, &feeds, &owned),
        None,
        "b is polled elsewhere"
    );
    assert!(
        line.nudged(&Nudge::PollNow("a".into()), &context, &feeds, &owned)
            .is_some(),
        "a is this instance's"
    );
}

#[test]
fn a_feed_given_back_and_assigned_again_rejoins_the_line_at_its_stored_time() {
    let feeds = feeds();
    let (mut line, at) = line_due_in(&feeds, 0);
    assert!(line.take(0, at));
    // Its poll ended after the feed went to another instance: it leaves the line.
    line.dropped(0);
    assert!(!line.take(0, at), "no turn left");
    let stored = Utc::now() + TimeDelta::minutes(3);
    line.joined(0, stored);
    assert!(
        line.take(0, stored),
        "polled from the time it was given with"
    );
}

#[test]
fn a_thin_ping_for_a_feed_another_instance_polls_is_read_here_at_once() {
    let feeds = feeds();
    let mut owned = Owned::new(&feeds, true);
    owned.apply(&Assignment::Gained(vec!["a".into()]));
    let (line, _) = line_due_in(&feeds, 1);
    assert_eq!(
        line.pinged_elsewhere(&Nudge::PollNow("b".into()), &owned),
        Some(1)
    );
    assert_eq!(
        line.pinged_elsewhere(&Nudge::PollNow("a".into()), &owned),
        None,
        "a is polled here"
    );
    assert_eq!(
        line.pinged_elsewhere(&Nudge::Unpushed("b".into()), &owned),
        None,
        "only a ping calls for a read"
    );
    assert_eq!(
        line.pinged_elsewhere(&Nudge::PollNow("b".into()), &all_mine(&feeds)),
        None,
        "without sharing every feed is polled here"
    );
}
