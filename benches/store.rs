//! The state database under a realistic size: one million seen entry keys (20,000 feeds × 50
//! entries, or `FEEDHOOK_BENCH_SEEN` keys) in an on-disk WAL file, built once per run through
//! `record_poll` itself; the time the fill takes is printed on stderr.
//!
//! Measured against it: a poll's dedupe + outbox transaction (`record_poll` with a 50-entry
//! document of which 1 is new, or none), a `304` (`record_not_modified`), the per-poll
//! `feed_state` read (which counts the feed's seen entries, so it is measured on a 50-entry feed
//! and on the feed the poll benches grew), the outbox worker's `next_pending` + `mark_delivered`
//! and its per-post `channel_state` (which counts the channel's deliveries), and the start-up
//! read of every feed (`feed_states`). Each call goes through the async API the daemon uses, on a
//! current-thread runtime.

use std::cell::Cell;
use std::hint::black_box;
use std::path::Path;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use feedhook::fetch::Validators;
use feedhook::parse::{Entry, FeedInfo};
use feedhook::store::{PollRecord, Store};

const ENTRIES_PER_FEED: usize = 50;
const DEFAULT_SEEN: usize = 1_000_000;
/// Deliveries of the `record_poll` benches queue here and are never consumed.
const QUEUE_CHANNEL: &str = "queue";
/// The delivery bench's channel: exactly one delivery is pending when each iteration starts.
const DELIVER_CHANNEL: &str = "deliver";

/// The store's API is async: each call is driven to its end here, as the daemon's tasks await it.
static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
});

fn run<T>(call: impl Future<Output = T>) -> T {
    RUNTIME.block_on(call)
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("a valid fixed date")
}

fn feed_name(feed: usize) -> String {
    format!("feed-{feed:05}")
}

/// Entry `k` of `feed`: the size and shape of a typical blog entry (about 600 bytes as JSON).
fn entry(feed: &str, k: usize) -> Entry {
    Entry {
        key: format!("https://{feed}.example/posts/{k}"),
        id: Some(format!("https://{feed}.example/posts/{k}")),
        title: Some(format!(
            "Post number {k} of {feed}: a title of ordinary length"
        )),
        link: Some(format!("https://{feed}.example/posts/{k}")),
        published: Some(t0() + TimeDelta::minutes(k as i64)),
        updated: None,
        authors: vec!["Jane Doe".into()],
        summary_html: Some(format!(
            "<p>The summary of post {k}, with <b>some</b> markup and a \
             <a href=\"https://{feed}.example/posts/{k}#more\">link</a>. It runs to a few \
             sentences, as most feeds' summaries do, so that the stored JSON has a realistic \
             size.</p><p>A second paragraph.</p>"
        )),
        categories: vec!["news".into()],
        image: None,
    }
}

/// The document a feed serves when its newest entry is `newest`: the 50 entries up to it,
/// oldest first (the order `record_poll` takes).
fn window(feed: &str, newest: usize) -> Vec<Entry> {
    (newest + 1 - ENTRIES_PER_FEED..=newest)
        .map(|k| entry(feed, k))
        .collect()
}

fn poll(
    store: &Store,
    feed: &str,
    entries: &[Entry],
    channels: &[String],
    at: DateTime<Utc>,
) -> usize {
    let info = FeedInfo {
        title: Some(format!("The {feed} blog")),
        link: Some(format!("https://{feed}.example/")),
    };
    let validators = Validators {
        etag: Some(format!("\"{}\"", entries.len())),
        last_modified: None,
    };
    let summary = run(store.record_poll(PollRecord {
        feed: feed.to_owned(),
        url: format!("https://{feed}.example/feed.xml"),
        polled_at: at,
        validators,
        info,
        entries: entries.to_vec(),
        channels: channels.to_vec(),
        backlog: 0,
        next_due_at: at + TimeDelta::minutes(15),
        limits: feedhook::store::QueueLimits::default(),
    }))
    .expect("record_poll");
    summary.new_entries
}

/// Fills `path` with `seen` keys, one first poll per feed, and reports how long that took.
fn fill(path: &Path, seen: usize) -> (Store, usize) {
    let store = Store::open(path).expect("open the bench store");
    let feeds = seen.div_ceil(ENTRIES_PER_FEED);
    let channels = vec![QUEUE_CHANNEL.to_owned()];
    let started = Instant::now();
    for feed in 0..feeds {
        let name = feed_name(feed);
        poll(
            &store,
            &name,
            &window(&name, ENTRIES_PER_FEED - 1),
            &channels,
            t0(),
        );
    }
    let took = started.elapsed();
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    eprintln!(
        "store fill: {} seen keys ({feeds} feeds × {ENTRIES_PER_FEED}) in {:.1} s \
         ({:.0} keys/s), file {:.0} MB",
        feeds * ENTRIES_PER_FEED,
        took.as_secs_f64(),
        (feeds * ENTRIES_PER_FEED) as f64 / took.as_secs_f64(),
        size as f64 / 1e6,
    );
    (store, feeds)
}

fn store_operations(c: &mut Criterion) {
    let seen = std::env::var("FEEDHOOK_BENCH_SEEN")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_SEEN);
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, feeds) = fill(&dir.path().join("bench.db"), seen);
    let mut group = c.benchmark_group("store");
    group.measurement_time(Duration::from_secs(8));

    let queue = vec![QUEUE_CHANNEL.to_owned()];
    let name = feed_name(0);
    // Each document slides the window by one: 49 known entries and 1 new one.
    let newest = Cell::new(ENTRIES_PER_FEED - 1);
    let clock = Cell::new(t0());
    let tick = || {
        clock.set(clock.get() + TimeDelta::seconds(1));
        clock.get()
    };
    group.bench_function("record_poll/50-entries-1-new", |b| {
        b.iter_batched(
            || {
                newest.set(newest.get() + 1);
                window(&name, newest.get())
            },
            |entries| poll(&store, &name, &entries, &queue, tick()),
            BatchSize::SmallInput,
        );
    });
    let unchanged = window(&name, newest.get());
    group.bench_function("record_poll/50-entries-0-new", |b| {
        b.iter(|| poll(&store, &name, &unchanged, &queue, tick()));
    });
    let url = format!("https://{name}.example/feed.xml");
    group.bench_function("record_not_modified", |b| {
        b.iter(|| {
            let at = tick();
            run(store.record_not_modified(&name, &url, at, at + TimeDelta::minutes(15)))
                .expect("record_not_modified");
        });
    });
    bench_feed_state(&mut group, &store, &feed_name(1));
    // The feed the poll benches grew by one entry per iteration: the per-poll read counts them.
    bench_feed_state(&mut group, &store, &name);
    bench_delivery(&mut group, &store, feeds, &tick);
    // The delivery bench left one delivered row per iteration: the worker reads these counts
    // before every post.
    for channel in [DELIVER_CHANNEL, QUEUE_CHANNEL] {
        let state = run(store.channel_state(channel)).expect("channel_state");
        let rows = state.pending + state.delivered + state.failed;
        group.bench_function(format!("channel_state/{rows}-deliveries"), |b| {
            b.iter(|| run(store.channel_state(black_box(channel))).expect("channel_state"));
        });
    }
    group.sample_size(10);
    group.bench_function(format!("feed_states/{feeds}-feeds"), |b| {
        b.iter(|| run(store.feed_states()).expect("feed_states").len());
    });
    group.finish();
}

/// The read every poll starts with, on a feed with as many seen entries as it has now.
fn bench_feed_state(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    store: &Store,
    feed: &str,
) {
    let entries = run(store.feed_state(feed))
        .expect("feed_state")
        .map_or(0, |state| state.entries_seen);
    group.bench_function(format!("feed_state/{entries}-entries"), |b| {
        b.iter(|| run(store.feed_state(black_box(feed))).expect("feed_state"));
    });
}

/// The outbox worker's two calls per post, on a channel with exactly one pending delivery (the
/// setup queues it), and `next_pending` alone on the deep queue the poll benches left behind.
fn bench_delivery(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    store: &Store,
    feeds: usize,
    tick: &dyn Fn() -> DateTime<Utc>,
) {
    let deliver = vec![DELIVER_CHANNEL.to_owned()];
    let name = feed_name(feeds.saturating_sub(1));
    let newest = Cell::new(ENTRIES_PER_FEED - 1);
    group.bench_function("next_pending+mark_delivered", |b| {
        b.iter_batched(
            || {
                newest.set(newest.get() + 1);
                poll(store, &name, &window(&name, newest.get()), &deliver, tick());
            },
            |()| {
                let pending = run(store.next_pending(DELIVER_CHANNEL))
                    .expect("next_pending")
                    .expect("one delivery is pending");
                run(store.mark_delivered(pending.id, tick())).expect("mark_delivered");
            },
            BatchSize::PerIteration,
        );
    });
    group.bench_function("next_pending/deep-queue", |b| {
        b.iter(|| run(store.next_pending(QUEUE_CHANNEL)).expect("next_pending"));
    });
}

criterion_group!(benches, store_operations);
criterion_main!(benches);
