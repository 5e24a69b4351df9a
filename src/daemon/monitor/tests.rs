use chrono::TimeDelta;

use super::*;
use crate::fetch::Validators;
use crate::parse::{Entry, FeedInfo};
use crate::poll::{FetchStats, PollFailure};
use crate::store::{PollRecord, QueueLimits};

fn report(outcome: PollOutcome) -> PollReport {
    PollReport {
        outcome,
        next_due: Utc::now(),
        state: None,
        fetch: FetchStats {
            duration: Duration::from_millis(250),
            bytes: 1234,
        },
        hubs: None,
    }
}

fn failed(cause: FailureCause) -> PollOutcome {
    PollOutcome::Failed(PollFailure {
        cause,
        message: "it broke".into(),
    })
}

#[test]
fn a_poll_counts_its_fetch_and_how_it_ended() {
    let at = Utc::now();
    let read = PollOutcome::Read {
        new_entries: 3,
        queued: 1,
        first_poll: false,
    };
    let sample = poll_sample(&report(read), at).expect("counted");
    assert_eq!(sample.end, PollEnd::Read { new_entries: 3 });
    assert_eq!(
        (sample.fetch_duration, sample.fetched_bytes, sample.at),
        (Duration::from_millis(250), 1234, at)
    );
    let waiting = report(PollOutcome::Waiting(Duration::from_secs(600)));
    assert_eq!(
        poll_sample(&waiting, at).map(|s| s.end),
        Some(PollEnd::Wait)
    );
}

#[test]
fn a_failed_poll_counts_under_the_cause_that_ended_it() {
    let at = Utc::now();
    let kind = |cause| poll_sample(&report(failed(cause)), at).map(|s| s.end);
    let timeout = FailureCause::Fetch(FetchFailure::Timeout);
    assert_eq!(kind(timeout), Some(PollEnd::Failed(ErrorKind::Timeout)));
    let blocked = FailureCause::Fetch(FetchFailure::Blocked);
    assert_eq!(kind(blocked), Some(PollEnd::Failed(ErrorKind::Blocked)));
    assert_eq!(
        kind(FailureCause::Parse),
        Some(PollEnd::Failed(ErrorKind::Parse))
    );
    assert_eq!(
        kind(FailureCause::Store),
        Some(PollEnd::Failed(ErrorKind::Store))
    );
    assert_eq!(kind(FailureCause::Unfinished), None, "not counted");
}

#[test]
fn a_gone_webhook_counts_as_suspended() {
    let gone = Verdict::ChannelGone {
        reason: "HTTP 410".into(),
    };
    assert_eq!(delivery_outcome(&gone), DeliveryOutcome::Suspended);
    let wait = Verdict::RateLimited {
        retry_after: Duration::from_secs(1),
    };
    assert_eq!(delivery_outcome(&wait), DeliveryOutcome::RateLimited);
    assert_eq!(
        delivery_outcome(&Verdict::Delivered),
        DeliveryOutcome::Delivered
    );
}

fn state(result: &str, failures: u32, polled: DateTime<Utc>) -> FeedState {
    FeedState {
        feed: "blog".into(),
        url: "https://example.com/blog.xml".into(),
        validators: Validators::default(),
        info: FeedInfo::default(),
        last_poll_at: Some(polled),
        last_result: Some(result.into()),
        last_error: None,
        consecutive_failures: failures,
        next_due_at: None,
        entries_seen: 0,
    }
}

#[test]
fn a_feeds_health_is_its_last_poll_only_when_that_poll_succeeded() {
    let polled = Utc::now();
    let good = feed_health(&state("not_modified", 0, polled));
    assert_eq!(good.last_success, Some(polled));
    let bad = feed_health(&state("error", 3, polled));
    assert_eq!((bad.consecutive_failures, bad.last_success), (3, None));
    let waiting = feed_health(&state("wait", 0, polled));
    assert_eq!(waiting.last_success, None);
}

fn config() -> Config {
    let text = "[channels.terminal]\nkind = \"console\"\n\
                [channels.hook]\nkind = \"generic\"\nurl = \"https://hooks.example/x\"\n\
                [[feeds]]\nname = \"blog\"\nurl = \"https://example.com/blog.xml\"\n\
                channels = [\"terminal\", \"hook\"]\n";
    Config::from_toml_str(
        text,
        std::path::Path::new("/etc/feedhook/feedhook.toml"),
        &|_| None,
    )
    .unwrap_or_else(|error| panic!("{error}"))
}

/// Queues `count` deliveries for channel `hook`, polled two minutes ago.
async fn queue(store: &Store, count: usize) {
    queue_for(store, "hook", count).await;
}

/// Queues `count` deliveries for `channel`, polled two minutes ago.
async fn queue_for(store: &Store, channel: &str, count: usize) {
    let entries: Vec<Entry> = (0..count)
        .map(|n| Entry {
            key: format!("entry-{n}"),
            ..Entry::default()
        })
        .collect();
    let now = Utc::now();
    let record = PollRecord {
        feed: "blog".to_owned(),
        url: "https://example.com/blog.xml".to_owned(),
        polled_at: now - TimeDelta::seconds(120),
        validators: Validators::default(),
        info: FeedInfo::default(),
        entries,
        channels: vec![channel.to_owned()],
        backlog: count,
        next_due_at: now,
        limits: QueueLimits::default(),
    };
    store.record_poll(record).await.expect("recorded");
}

fn readings(store: &Arc<Store>) -> Readings {
    Readings::new(
        &config(),
        store,
        &Arc::new(Heartbeat::default()),
        Clock::new(),
    )
}

#[tokio::test]
async fn the_queues_are_read_from_the_state_when_asked() {
    let store = Arc::new(Store::open_in_memory().expect("memory store"));
    queue(&store, 2).await;
    let readings = readings(&store).queues().await.expect("read");
    let hook = readings
        .iter()
        .find(|r| r.channel == "hook")
        .expect("the hook channel");
    assert_eq!(hook.pending, 2);
    assert!(!hook.suspended);
    let age = hook.oldest_pending_age.as_secs();
    assert!((120..180).contains(&age), "{age}");
    let terminal = readings
        .iter()
        .find(|r| r.channel == "terminal")
        .expect("the terminal channel");
    assert_eq!(
        (terminal.pending, terminal.oldest_pending_age),
        (0, Duration::ZERO)
    );
}

#[tokio::test]
async fn a_removed_channels_parked_deliveries_are_read_with_the_queues() {
    let store = Arc::new(Store::open_in_memory().expect("memory store"));
    queue_for(&store, "gone", 3).await;
    // `gone` is not in the config (it was removed): its deliveries are parked.
    let configured = ["terminal".to_owned(), "hook".to_owned()];
    store
        .park_channels_not_in(&configured, Utc::now())
        .await
        .expect("parked");
    let readings = readings(&store).queues().await.expect("read");
    let gone = readings
        .iter()
        .find(|r| r.channel == "gone")
        .expect("the removed channel is read");
    assert_eq!((gone.pending, gone.parked), (0, 3));
}

#[tokio::test(start_paused = true)]
async fn the_health_reads_the_heartbeat_and_asks_the_state() {
    let store = Arc::new(Store::open_in_memory().expect("memory store"));
    let heartbeat = Arc::new(Heartbeat::default());
    let readings = Readings::new(&config(), &store, &heartbeat, Clock::new());
    tokio::time::advance(Duration::from_secs(31)).await;
    assert_eq!(readings.since_heartbeat(), Duration::from_secs(31));
    heartbeat.beat();
    assert_eq!(readings.since_heartbeat(), Duration::ZERO);
    readings.state_answers().await.expect("the state answers");
}

#[test]
fn a_suspension_that_is_over_reads_as_not_suspended() {
    let now = Utc::now();
    let state = |until| ChannelState {
        channel: "hook".into(),
        suspended_until: Some(until),
        ..ChannelState::default()
    };
    assert!(queue_reading(&state(now + TimeDelta::hours(1)), now).suspended);
    assert!(!queue_reading(&state(now - TimeDelta::seconds(1)), now).suspended);
}

#[test]
fn each_round_of_the_lease_keeper_sets_the_leases_held_and_counts_claims() {
    let metrics = Arc::new(Metrics::new());
    let record = record_shares(&metrics);
    record(&ShareReport {
        feeds_held: 2,
        channels_held: 1,
        won: (2, 1),
        lost: (0, 0),
    });
    record(&ShareReport {
        feeds_held: 3,
        channels_held: 1,
        won: (1, 0),
        lost: (0, 1),
    });
    let text = metrics.encode(metrics::Format::Prometheus, Duration::ZERO);
    for line in [
        "feedhook_leases_held{kind=\"feed\"} 3",
        "feedhook_leases_held{kind=\"channel\"} 1",
        "feedhook_lease_claims_won_total{kind=\"feed\"} 3",
        "feedhook_lease_claims_won_total{kind=\"channel\"} 1",
        "feedhook_lease_claims_lost_total{kind=\"channel\"} 1",
    ] {
        assert!(text.contains(line), "{line} in\n{text}");
    }
}
