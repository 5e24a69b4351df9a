//! What the poll task records, read back from the exported text.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};

use super::{config, sample, scrape, value};
use crate::daemon::PollOutcome;
use crate::fetch::{FetchError, FetchOutcome, FetchedBody, ServerHints};
use crate::metrics::Metrics;
use crate::store::FeedState;

pub(super) fn at(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_767_225_600 + seconds, 0)
        .single()
        .expect("a valid time")
}

const READ: PollOutcome = PollOutcome::Read {
    new_entries: 3,
    queued: 3,
    first_poll: false,
};

fn failed() -> PollOutcome {
    PollOutcome::Failed("it broke".into())
}

async fn fetch_failing(metrics: &Metrics, feed: &str, error: FetchError) {
    let result = metrics.timed_fetch(feed, async { Err(error) }).await;
    assert!(result.is_err(), "the fetch's result is passed through");
}

#[test]
fn a_read_counts_ok_and_new_entries_and_marks_the_success() {
    let metrics = Metrics::new();
    metrics.poll_finished("blog", &READ, at(60));
    let text = scrape(&metrics);
    assert_eq!(
        value(
            &text,
            "feedhook_feed_polls_total{feed=\"blog\",result=\"ok\"}"
        ),
        1
    );
    assert_eq!(
        value(
            &text,
            "feedhook_feed_polls_total{feed=\"blog\",result=\"error\"}"
        ),
        0
    );
    assert_eq!(
        value(&text, "feedhook_feed_new_entries_total{feed=\"blog\"}"),
        3
    );
    let last = value(
        &text,
        "feedhook_feed_last_success_timestamp_seconds{feed=\"blog\"}",
    );
    assert_eq!(last, at(60).timestamp());
}

#[test]
fn failures_count_up_in_a_row_and_a_success_resets_them() {
    let metrics = Metrics::new();
    metrics.poll_finished("blog", &failed(), at(0));
    metrics.poll_finished("blog", &failed(), at(60));
    let text = scrape(&metrics);
    assert_eq!(
        value(&text, "feedhook_feed_consecutive_failures{feed=\"blog\"}"),
        2
    );
    // Without a failed fetch, only the parsing can have failed.
    assert_eq!(
        value(
            &text,
            "feedhook_feed_poll_errors_total{feed=\"blog\",kind=\"parse\"}"
        ),
        2
    );
    assert_eq!(
        sample(
            &text,
            "feedhook_feed_last_success_timestamp_seconds{feed=\"blog\"}"
        ),
        None,
        "no success yet"
    );
    metrics.poll_finished("blog", &PollOutcome::NotModified, at(120));
    let text = scrape(&metrics);
    assert_eq!(
        value(&text, "feedhook_feed_consecutive_failures{feed=\"blog\"}"),
        0
    );
    assert_eq!(
        value(
            &text,
            "feedhook_feed_polls_total{feed=\"blog\",result=\"not_modified\"}"
        ),
        1
    );
    assert_eq!(
        value(
            &text,
            "feedhook_feed_polls_total{feed=\"blog\",result=\"error\"}"
        ),
        2
    );
}

#[tokio::test]
async fn a_failed_fetch_is_counted_under_its_kind() {
    let metrics = Metrics::new();
    fetch_failing(
        &metrics,
        "blog",
        FetchError::Timeout(Duration::from_secs(30)),
    )
    .await;
    metrics.poll_finished("blog", &failed(), at(0));
    let text = scrape(&metrics);
    assert_eq!(
        value(
            &text,
            "feedhook_feed_poll_errors_total{feed=\"blog\",kind=\"timeout\"}"
        ),
        1
    );
    assert_eq!(
        sample(
            &text,
            "feedhook_feed_poll_errors_total{feed=\"blog\",kind=\"parse\"}"
        ),
        None
    );
    assert_eq!(
        value(
            &text,
            "feedhook_feed_fetch_duration_seconds_count{feed=\"blog\"}"
        ),
        1
    );
    // The note is consumed: a later parse failure is not blamed on the old timeout.
    metrics.poll_finished("blog", &failed(), at(60));
    let text = scrape(&metrics);
    assert_eq!(
        value(
            &text,
            "feedhook_feed_poll_errors_total{feed=\"blog\",kind=\"parse\"}"
        ),
        1
    );
}

#[tokio::test]
async fn a_host_asking_to_wait_is_not_a_failure() {
    let metrics = Metrics::new();
    let hints = ServerHints {
        retry_after: Some(Duration::from_secs(600)),
        ..ServerHints::default()
    };
    fetch_failing(&metrics, "blog", FetchError::Status { status: 429, hints }).await;
    metrics.poll_finished(
        "blog",
        &PollOutcome::Waiting(Duration::from_secs(600)),
        at(0),
    );
    let text = scrape(&metrics);
    assert_eq!(
        value(
            &text,
            "feedhook_feed_polls_total{feed=\"blog\",result=\"wait\"}"
        ),
        1
    );
    assert_eq!(
        value(&text, "feedhook_feed_consecutive_failures{feed=\"blog\"}"),
        0
    );
    assert!(
        !text.contains("feedhook_feed_poll_errors_total{feed=\"blog\""),
        "{text}"
    );
}

#[tokio::test]
async fn a_state_that_cannot_record_the_poll_is_the_cause_named() {
    let metrics = Metrics::new();
    fetch_failing(&metrics, "blog", FetchError::Connect("refused".into())).await;
    metrics.poll_store_failed("blog");
    metrics.poll_finished("blog", &failed(), at(0));
    let text = scrape(&metrics);
    assert_eq!(
        value(
            &text,
            "feedhook_feed_poll_errors_total{feed=\"blog\",kind=\"store\"}"
        ),
        1
    );
    assert_eq!(
        sample(
            &text,
            "feedhook_feed_poll_errors_total{feed=\"blog\",kind=\"connect\"}"
        ),
        None
    );
    assert_eq!(
        value(
            &text,
            "feedhook_feed_polls_total{feed=\"blog\",result=\"error\"}"
        ),
        1
    );
}

#[tokio::test]
async fn a_fetched_body_counts_its_bytes_and_its_duration() {
    let metrics = Metrics::new();
    let body = FetchedBody {
        body: vec![b'x'; 1234],
        charset: None,
        validators: crate::fetch::Validators::default(),
        final_url: url::Url::parse("https://example.com/blog.xml").expect("url"),
        moved_permanently_to: None,
        hints: ServerHints::default(),
    };
    let result = metrics
        .timed_fetch("blog", async { Ok(FetchOutcome::Fetched(body)) })
        .await;
    assert!(matches!(result, Ok(FetchOutcome::Fetched(_))));
    let text = scrape(&metrics);
    assert_eq!(
        value(&text, "feedhook_feed_fetched_bytes_total{feed=\"blog\"}"),
        1234
    );
    assert_eq!(
        value(
            &text,
            "feedhook_feed_fetch_duration_seconds_count{feed=\"blog\"}"
        ),
        1
    );
    assert_eq!(
        value(
            &text,
            "feedhook_feed_fetch_duration_seconds_bucket{feed=\"blog\",le=\"60\"}"
        ),
        1
    );
}

fn state(feed: &str, result: &str, failures: u32, polled: DateTime<Utc>) -> FeedState {
    FeedState {
        feed: feed.into(),
        url: format!("https://example.com/{feed}.xml"),
        validators: crate::fetch::Validators::default(),
        info: crate::parse::FeedInfo::default(),
        last_poll_at: Some(polled),
        last_result: Some(result.into()),
        last_error: None,
        consecutive_failures: failures,
        next_due_at: None,
        entries_seen: 0,
    }
}

#[test]
fn tracking_seeds_health_from_the_state_and_forgets_removed_feeds() {
    let metrics = Metrics::new();
    let states = [
        state("good", "not_modified", 0, at(30)),
        state("bad", "error", 3, at(90)),
    ];
    metrics.track(&config(&["good", "bad", "new"]), &states);
    let text = scrape(&metrics);
    let good = value(
        &text,
        "feedhook_feed_last_success_timestamp_seconds{feed=\"good\"}",
    );
    assert_eq!(good, at(30).timestamp());
    assert_eq!(
        value(&text, "feedhook_feed_consecutive_failures{feed=\"bad\"}"),
        3
    );
    assert_eq!(
        sample(
            &text,
            "feedhook_feed_last_success_timestamp_seconds{feed=\"bad\"}"
        ),
        None
    );
    assert_eq!(
        value(
            &text,
            "feedhook_feed_polls_total{feed=\"new\",result=\"ok\"}"
        ),
        0
    );
    assert_eq!(
        value(
            &text,
            "feedhook_channel_deliveries_total{channel=\"hook\",kind=\"generic\",outcome=\"delivered\"}"
        ),
        0
    );

    metrics.track(&config(&["good"]), &states);
    let text = scrape(&metrics);
    assert!(!text.contains("feed=\"bad\""), "{text}");
    assert!(!text.contains("feed=\"new\""), "{text}");
    assert!(text.contains("feed=\"good\""), "{text}");
}
