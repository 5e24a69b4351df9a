//! Digest channels under simulated time: entries wait for the digest time and go out together,
//! oldest first; nothing waiting posts nothing; a digest missed while feedhook was stopped is
//! posted once at start; a digest's parts ride the same retries, pauses and write retries as
//! single posts; one digest takes a bounded number of entries and the rest wait for the next.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]
#![allow(clippy::unwrap_used)]

mod common;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use tokio_util::sync::CancellationToken;

use common::hook::{self, Scripted, channel, run_until, start_channel, t0};
use feedhook::config::{Channel, CronSchedule, DigestSchedule};
use feedhook::deliver::MAX_DIGEST_ENTRIES;
use feedhook::fetch::Validators;
use feedhook::parse::{Entry, FeedInfo};
use feedhook::store::{PollRecord, QueueLimits, Store};

/// Queues `keys` of `feed` (oldest first) for `hook` as a poll at `at`.
async fn queue_at(store: &Store, feed: &str, keys: &[String], at: DateTime<Utc>) {
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    hook::queue_at(store, feed, &keys, &["hook"], at).await;
}

fn keys(prefix: &str, count: usize) -> Vec<String> {
    (0..count).map(|n| format!("{prefix}{n:03}")).collect()
}

/// The generic channel `hook` posting a digest on `schedule`.
fn digest_channel(schedule: DigestSchedule) -> Channel {
    Channel {
        digest: Some(schedule),
        ..channel("hook")
    }
}

/// Every day at 9:00 in Paris: 8:00 UTC in winter (t0 is 1 March 2026, winter time).
fn daily_nine_in_paris() -> DigestSchedule {
    let cron = cron::Schedule::from_str("0 0 9 * * *").unwrap();
    DigestSchedule::Cron(Box::new(CronSchedule::new(cron, chrono_tz::Europe::Paris)))
}

fn since_start(start: tokio::time::Instant, at: tokio::time::Instant) -> Duration {
    at - start
}

#[tokio::test(start_paused = true)]
async fn entries_wait_for_the_digest_time_and_go_out_together_oldest_first() {
    let store = Arc::new(Store::open_in_memory().unwrap());
    queue_at(&store, "feed", &keys("a", 3), t0()).await;
    let hook = Scripted::new(&[]);
    let stop = CancellationToken::new();
    let start = tokio::time::Instant::now();
    start_channel(
        &store,
        digest_channel(daily_nine_in_paris()),
        Arc::clone(&hook),
        &stop,
    );

    run_until(|| !hook.posts().is_empty()).await;
    let posts = hook.posts();
    assert_eq!(hook.keys(), ["a000,a001,a002"], "one post, oldest first");
    assert_eq!(
        since_start(start, posts[0].0),
        Duration::from_secs(8 * 3600)
    );
    let state = store.channel_state("hook").await.unwrap();
    assert_eq!((state.pending, state.delivered), (0, 3));
    assert_eq!(state.last_digest_at, Some(t0() + TimeDelta::hours(8)));

    // Nothing new: the next days' digest times pass without a post.
    tokio::time::sleep(Duration::from_secs(3 * 24 * 3600)).await;
    assert_eq!(hook.posts().len(), 1);
    stop.cancel();
}

#[tokio::test(start_paused = true)]
async fn entries_of_several_feeds_are_grouped_by_feed() {
    let store = Arc::new(Store::open_in_memory().unwrap());
    queue_at(&store, "one", &keys("a", 2), t0()).await;
    queue_at(&store, "two", &keys("b", 1), t0() + TimeDelta::minutes(1)).await;
    queue_at(
        &store,
        "one",
        &["a900".to_owned()],
        t0() + TimeDelta::minutes(2),
    )
    .await;
    let hook = Scripted::new(&[]);
    let stop = CancellationToken::new();
    let hourly = DigestSchedule::Every(Duration::from_secs(3600));
    start_channel(&store, digest_channel(hourly), Arc::clone(&hook), &stop);
    run_until(|| !hook.posts().is_empty()).await;
    assert_eq!(hook.keys(), ["a000,a001,a900,b000"]);
    stop.cancel();
}

#[tokio::test(start_paused = true)]
async fn nothing_waiting_posts_nothing() {
    let store = Arc::new(Store::open_in_memory().unwrap());
    let hook = Scripted::new(&[]);
    let stop = CancellationToken::new();
    start_channel(
        &store,
        digest_channel(daily_nine_in_paris()),
        Arc::clone(&hook),
        &stop,
    );
    tokio::time::sleep(Duration::from_secs(3 * 24 * 3600)).await;
    assert!(hook.posts().is_empty());
    assert_eq!(
        store.channel_state("hook").await.unwrap().last_digest_at,
        None
    );
    stop.cancel();
}

#[tokio::test(start_paused = true)]
async fn an_interval_digest_comes_that_long_after_the_first_entry_waiting() {
    let store = Arc::new(Store::open_in_memory().unwrap());
    queue_at(&store, "feed", &keys("a", 1), t0()).await;
    let hook = Scripted::new(&[]);
    let stop = CancellationToken::new();
    let start = tokio::time::Instant::now();
    let every = DigestSchedule::Every(Duration::from_secs(2 * 3600));
    start_channel(&store, digest_channel(every), Arc::clone(&hook), &stop);
    run_until(|| !hook.posts().is_empty()).await;
    assert_eq!(
        since_start(start, hook.posts()[0].0),
        Duration::from_secs(2 * 3600)
    );
    stop.cancel();
}

#[tokio::test(start_paused = true)]
async fn a_digest_missed_while_stopped_is_posted_once_at_start() {
    let store = Arc::new(Store::open_in_memory().unwrap());
    // The last digest went out five days ago; entries came four and three days ago; feedhook was
    // stopped through three digest times since.
    store
        .record_digest("hook", t0() - TimeDelta::days(5))
        .await
        .unwrap();
    queue_at(&store, "feed", &keys("a", 2), t0() - TimeDelta::days(4)).await;
    queue_at(&store, "late", &keys("b", 1), t0() - TimeDelta::days(3)).await;
    let hook = Scripted::new(&[]);
    let stop = CancellationToken::new();
    let start = tokio::time::Instant::now();
    start_channel(
        &store,
        digest_channel(daily_nine_in_paris()),
        Arc::clone(&hook),
        &stop,
    );
    run_until(|| !hook.posts().is_empty()).await;
    tokio::time::sleep(Duration::from_secs(3600)).await;
    let posts = hook.posts();
    assert_eq!(hook.keys(), ["a000,a001,b000"], "once, with everything");
    assert_eq!(since_start(start, posts[0].0), Duration::ZERO, "at start");
    stop.cancel();
}

#[tokio::test(start_paused = true)]
async fn a_failed_digest_is_retried_with_backoff_and_its_entries_delivered_only_when_accepted() {
    let store = Arc::new(Store::open_in_memory().unwrap());
    queue_at(&store, "feed", &keys("a", 3), t0()).await;
    let hook = Scripted::new(&[(500, Some(600)), (503, Some(600))]);
    let stop = CancellationToken::new();
    let hourly = DigestSchedule::Every(Duration::from_secs(3600));
    start_channel(&store, digest_channel(hourly), Arc::clone(&hook), &stop);

    run_until(|| !hook.posts().is_empty()).await;
    let state = store.channel_state("hook").await.unwrap();
    assert_eq!(
        (state.pending, state.delivered),
        (3, 0),
        "nothing marked yet"
    );
    assert_eq!(state.last_digest_at, None);

    run_until(|| hook.posts().len() >= 3).await;
    let posts = hook.posts();
    assert!(posts.iter().all(|(_, keys)| keys == "a000,a001,a002"));
    assert!(
        posts[1].0 > posts[0].0 && posts[2].0 > posts[1].0,
        "backed off"
    );
    let state = store.channel_state("hook").await.unwrap();
    assert_eq!((state.pending, state.delivered), (0, 3));
    tokio::time::sleep(Duration::from_secs(24 * 3600)).await;
    assert_eq!(hook.posts().len(), 3, "delivered once");
    stop.cancel();
}

#[tokio::test(start_paused = true)]
async fn a_rate_limited_digest_pauses_the_channel_then_goes_out() {
    let store = Arc::new(Store::open_in_memory().unwrap());
    queue_at(&store, "feed", &keys("a", 2), t0()).await;
    let hook = Scripted::new(&[(429, Some(120))]);
    let stop = CancellationToken::new();
    let hourly = DigestSchedule::Every(Duration::from_secs(3600));
    start_channel(&store, digest_channel(hourly), Arc::clone(&hook), &stop);
    run_until(|| hook.posts().len() >= 2).await;
    let posts = hook.posts();
    assert!(posts[1].0 - posts[0].0 >= Duration::from_secs(120));
    assert_eq!(store.channel_state("hook").await.unwrap().delivered, 2);
    stop.cancel();
}

#[tokio::test(start_paused = true)]
async fn a_posted_digest_whose_delivery_cannot_be_recorded_is_never_posted_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let store = Arc::new(Store::open(&path).unwrap());
    queue_at(&store, "feed", &keys("a", 2), t0()).await;
    let saboteur = hook::fill_the_disk(&path);
    let hook = Scripted::new(&[]);
    let stop = CancellationToken::new();
    let hourly = DigestSchedule::Every(Duration::from_secs(3600));
    start_channel(&store, digest_channel(hourly), Arc::clone(&hook), &stop);

    run_until(|| !hook.posts().is_empty()).await;
    tokio::time::sleep(Duration::from_secs(10 * 60)).await;
    assert_eq!(hook.posts().len(), 1, "posted once while the write failed");
    assert_eq!(store.channel_state("hook").await.unwrap().delivered, 0);

    saboteur.execute_batch("DROP TRIGGER full_disk;").unwrap();
    tokio::time::sleep(Duration::from_secs(60)).await;
    let state = store.channel_state("hook").await.unwrap();
    assert_eq!((state.delivered, state.pending), (2, 0), "recorded");
    tokio::time::sleep(Duration::from_secs(24 * 3600)).await;
    assert_eq!(hook.posts().len(), 1, "and never posted again");
    stop.cancel();
}

#[tokio::test(start_paused = true)]
async fn one_digest_takes_a_bounded_number_of_entries_and_the_rest_wait_for_the_next() {
    let store = Arc::new(Store::open_in_memory().unwrap());
    let all = keys("a", MAX_DIGEST_ENTRIES + 5);
    queue_at(&store, "feed", &all, t0()).await;
    let hook = Scripted::new(&[]);
    let stop = CancellationToken::new();
    let start = tokio::time::Instant::now();
    start_channel(
        &store,
        digest_channel(daily_nine_in_paris()),
        Arc::clone(&hook),
        &stop,
    );

    run_until(|| !hook.posts().is_empty()).await;
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert_eq!(hook.posts().len(), 1);
    assert_eq!(hook.keys()[0], all[..MAX_DIGEST_ENTRIES].join(","));
    assert_eq!(store.channel_state("hook").await.unwrap().pending, 5);

    run_until(|| hook.posts().len() >= 2).await;
    let posts = hook.posts();
    assert_eq!(posts[1].1, all[MAX_DIGEST_ENTRIES..].join(","));
    assert_eq!(
        since_start(start, posts[1].0),
        Duration::from_secs(32 * 3600),
        "at the next day's digest time"
    );
    stop.cancel();
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Through the binary: `once` queues a digest channel's entries without posting them (its digest
/// time is tomorrow at the latest), `status` shows the next digest, in the channel's time zone,
/// and the entries waiting, and `preview --channel` shows the digest that would be posted now.
#[tokio::test(flavor = "multi_thread")]
async fn status_and_preview_show_what_waits_for_the_digest() {
    use common::{Doc, FeedServer, Setup, Sink, rss, stderr};
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    let url = feeds.url("/feed.xml");
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("a", "First"), ("b", "Second")])),
    );
    let config = format!(
        "[channels.hook]\nkind = \"generic\"\nurl = \"{}\"\ndigest = \"0 0 9 * * *\"\n\
         timezone = \"Europe/Paris\"\n\n[[feeds]]\nurl = \"{url}\"\nchannels = [\"hook\"]\nbacklog = 2\n",
        sink.url()
    );
    let setup = Setup::new(&config);
    let (once, text, json, preview) = tokio::task::spawn_blocking(move || {
        (
            setup.run(&["once"]),
            setup.run(&["status"]),
            setup.run(&["status", "--json"]),
            setup.run(&["preview", "--channel", "hook"]),
        )
    })
    .await
    .expect("join");
    assert_eq!(once.status.code(), Some(0), "{}", stderr(&once));
    assert!(
        sink.bodies().await.is_empty(),
        "nothing posted before the digest time"
    );
    let text = stdout(&text);
    assert!(
        text.contains("NEXT DIGEST") && text.contains("2 waiting"),
        "{text}"
    );
    // 09:00 in Paris, whichever of winter and summer time the test runs in.
    let nine_in_paris = [" 09:00 CET (in ", " 09:00 CEST (in "];
    assert!(nine_in_paris.iter().any(|at| text.contains(at)), "{text}");
    let json: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("valid JSON");
    let digest = &json["channels"][0]["digest"];
    assert_eq!(digest["waiting"], 2, "{json:#}");
    let next = digest["next"].as_str().expect("a time");
    let parsed = DateTime::parse_from_rfc3339(next).expect("RFC 3339");
    assert!(
        next.ends_with("T09:00:00+01:00") || next.ends_with("T09:00:00+02:00"),
        "{next}"
    );
    assert!(parsed > Utc::now() && parsed < Utc::now() + TimeDelta::hours(25));
    assert!(
        digest["schedule"]
            .as_str()
            .unwrap()
            .contains("Europe/Paris")
    );
    assert_eq!(preview.status.code(), Some(0), "{}", stderr(&preview));
    let preview = stdout(&preview);
    assert!(
        preview.contains("channel hook: 2 entries wait; next digest"),
        "{preview}"
    );
    assert!(
        nine_in_paris
            .iter()
            .any(|at| preview.contains(&at.replace(" (in ", " (0 0 9 * * *"))),
        "{preview}"
    );
    assert!(preview.contains("part 1/1: 2 entries"), "{preview}");
    assert!(preview.contains("\"total\": 2"), "{preview}");
}

/// A Teams digest too large for one card goes out in parts, each through its own verdict: a part
/// the webhook fails holds back the rest, and only the parts accepted are marked delivered.
#[tokio::test(start_paused = true)]
async fn a_digest_in_parts_marks_each_part_delivered_only_once_accepted() {
    let store = Arc::new(Store::open_in_memory().unwrap());
    queue_at(&store, "feed", &keys("a", 450), t0()).await;
    // 450 entries make two Teams cards. The first part is accepted, the second fails (retry in 10 minutes), then all are accepted.
    let hook = Scripted::new(&[(200, None), (500, Some(600))]);
    let stop = CancellationToken::new();
    let channel = Channel {
        kind: feedhook::config::ChannelKind::Teams,
        ..digest_channel(DigestSchedule::Every(Duration::from_secs(3600)))
    };
    start_channel(&store, channel, Arc::clone(&hook), &stop);

    run_until(|| hook.posts().len() >= 2).await;
    let state = store.channel_state("hook").await.unwrap();
    assert!(
        state.delivered > 0 && state.pending > 0,
        "the first part delivered, the rest held: {state:?}"
    );
    assert_eq!(state.delivered + state.pending, 450);
    assert_eq!(state.last_digest_at, None, "the digest is not done");

    run_until(|| hook.posts().len() >= 3).await;
    tokio::time::sleep(Duration::from_secs(3600)).await;
    let posts = hook.posts();
    assert_eq!(posts.len(), 3, "the failed part once more, nothing else");
    assert!(
        posts[2].0 - posts[1].0 >= Duration::from_secs(600),
        "after its retry delay"
    );
    let state = store.channel_state("hook").await.unwrap();
    assert_eq!((state.delivered, state.pending, state.failed), (450, 0, 0));
    assert!(state.last_digest_at.is_some());
    stop.cancel();
}

/// What one poll queues for a digest channel is bounded by the feed's flood cap as for any channel:
/// a burst beyond it is one note entry, then the newest, all in the next digest.
#[tokio::test(start_paused = true)]
async fn the_flood_cap_applies_per_poll_to_a_digest_channel() {
    fn note(feed: &str, _: &FeedInfo, held: &[&Entry], _: DateTime<Utc>) -> Entry {
        Entry {
            key: format!("note-{feed}-{}", held.len()),
            title: Some(format!("…and {} more", held.len())),
            ..Entry::default()
        }
    }
    let store = Arc::new(Store::open_in_memory().unwrap());
    queue_at(&store, "feed", &keys("old", 1), t0()).await;
    let burst: Vec<Entry> = keys("new", 10)
        .into_iter()
        .map(|key| Entry {
            key,
            ..Entry::default()
        })
        .collect();
    store
        .record_poll(PollRecord {
            feed: "feed".to_owned(),
            url: "https://example.com/feed.xml".to_owned(),
            polled_at: t0(),
            validators: Validators::default(),
            info: FeedInfo::default(),
            entries: burst,
            channels: vec!["hook".to_owned()],
            backlog: 0,
            next_due_at: t0(),
            limits: QueueLimits {
                max_new: 3,
                overflow_note: Some(note),
                ..QueueLimits::default()
            },
        })
        .await
        .unwrap();
    let hook = Scripted::new(&[]);
    let stop = CancellationToken::new();
    let hourly = DigestSchedule::Every(Duration::from_secs(3600));
    start_channel(&store, digest_channel(hourly), Arc::clone(&hook), &stop);
    run_until(|| !hook.posts().is_empty()).await;
    assert_eq!(
        hook.keys(),
        ["old000,note-feed-7,new007,new008,new009"],
        "one digest: the held back ones as one note, then the newest three"
    );
    stop.cancel();
}

/// Through the binary: `preview FEED` shows a digest channel the one digest card its entries
/// would make (oldest first, the part numbered), never a card per entry, while a channel of the
/// same feed without a digest still sees each entry's card; `--format json` lists the digest
/// part beside the single cards. Nothing is posted.
#[tokio::test(flavor = "multi_thread")]
async fn preview_of_a_feed_shows_a_digest_channel_its_digest_card() {
    use common::{Doc, FeedServer, Setup, Sink, rss, stderr};
    let feeds = FeedServer::start().await;
    let sink = Sink::start().await;
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("b", "Second"), ("a", "First")])),
    );
    let config = format!(
        "[channels.weekly]\nkind = \"teams\"\nurl = \"{0}/weekly\"\ndigest = \"0 0 9 * * Mon\"\n\
         timezone = \"Europe/Paris\"\n\n[channels.live]\nkind = \"slack\"\nurl = \"{0}/live\"\n\n\
         [[feeds]]\nname = \"news\"\nurl = \"{1}\"\nchannels = [\"weekly\", \"live\"]\n",
        sink.url(),
        feeds.url("/feed.xml")
    );
    let setup = Setup::new(&config);
    let (text, json) = tokio::task::spawn_blocking(move || {
        (
            setup.run(&["preview", "news"]),
            setup.run(&["preview", "news", "--format", "json"]),
        )
    })
    .await
    .expect("join");
    assert_eq!(text.status.code(), Some(0), "{}", stderr(&text));
    let text = stdout(&text);
    assert!(
        text.contains("=== digest for channel weekly (teams), part 1/1: 2 entries"),
        "{text}"
    );
    assert!(!text.contains("--- channel weekly"), "{text}");
    assert_eq!(
        text.matches("--- channel live (slack)").count(),
        2,
        "{text}"
    );
    let digest = text
        .split("=== digest for channel weekly")
        .nth(1)
        .expect("a digest");
    assert!(digest.contains("\"AdaptiveCard\""), "{digest}");
    let (first, second) = (digest.find("First"), digest.find("Second"));
    assert!(first.is_some() && first < second, "oldest first: {digest}");

    let json: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("valid JSON");
    let items = json.as_array().expect("a list");
    let digests: Vec<_> = items.iter().filter(|i| i["channel"] == "weekly").collect();
    assert_eq!(digests.len(), 1, "{json:#}");
    assert_eq!(
        (&digests[0]["digest_part"], &digests[0]["entries"]),
        (&serde_json::json!(1), &serde_json::json!(2))
    );
    assert_eq!(items.iter().filter(|i| i["channel"] == "live").count(), 2);
    assert!(sink.bodies().await.is_empty(), "preview posts nothing");
}
