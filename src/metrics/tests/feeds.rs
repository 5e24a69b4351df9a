//! What a finished poll records, read back from the exported text.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};

use super::{sample, scrape, track, value};
use crate::metrics::{ErrorKind, FeedHealth, Metrics, PollEnd, PollSample};

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_767_225_600 + seconds, 0)
        .single()
        .expect("a valid time")
}

/// A poll of `end`, at `seconds`, whose fetch took a second and brought nothing.
fn poll(end: PollEnd, seconds: i64) -> PollSample {
    PollSample {
        end,
        fetch_duration: Duration::from_secs(1),
        fetched_bytes: 0,
        at: at(seconds),
    }
}

const READ: PollEnd = PollEnd::Read { new_entries: 3 };

#[test]
fn a_read_counts_ok_and_new_entries_and_marks_the_success() {
    let metrics = Metrics::new();
    metrics.record_poll("blog", &poll(READ, 60));
    let text = scrape(&metrics);
    let polls =
        |result: &str| format!("feedhook_feed_polls_total{{feed=\"blog\",result=\"{result}\"}}");
    assert_eq!(value(&text, &polls("ok")), 1);
    assert_eq!(value(&text, &polls("error")), 0);
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
fn failures_count_up_in_a_row_under_their_kind_and_a_success_resets_them() {
    let metrics = Metrics::new();
    metrics.record_poll("blog", &poll(PollEnd::Failed(ErrorKind::Timeout), 0));
    metrics.record_poll("blog", &poll(PollEnd::Failed(ErrorKind::Parse), 60));
    let text = scrape(&metrics);
    assert_eq!(
        value(&text, "feedhook_feed_consecutive_failures{feed=\"blog\"}"),
        2
    );
    let errors =
        |kind: &str| format!("feedhook_feed_poll_errors_total{{feed=\"blog\",kind=\"{kind}\"}}");
    assert_eq!(value(&text, &errors("timeout")), 1);
    assert_eq!(value(&text, &errors("parse")), 1);
    assert_eq!(
        sample(&text, &errors("store")),
        None,
        "a kind appears once it happens"
    );
    assert_eq!(
        sample(
            &text,
            "feedhook_feed_last_success_timestamp_seconds{feed=\"blog\"}"
        ),
        None,
        "no success yet"
    );
    metrics.record_poll("blog", &poll(PollEnd::NotModified, 120));
    let text = scrape(&metrics);
    assert_eq!(
        value(&text, "feedhook_feed_consecutive_failures{feed=\"blog\"}"),
        0
    );
    let polls =
        |result: &str| format!("feedhook_feed_polls_total{{feed=\"blog\",result=\"{result}\"}}");
    assert_eq!(value(&text, &polls("not_modified")), 1);
    assert_eq!(value(&text, &polls("error")), 2);
}

#[test]
fn a_host_asking_to_wait_is_not_a_failure() {
    let metrics = Metrics::new();
    metrics.record_poll("blog", &poll(PollEnd::Wait, 0));
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

#[test]
fn a_fetched_body_counts_its_bytes_and_its_duration() {
    let metrics = Metrics::new();
    let fetched = PollSample {
        fetched_bytes: 1234,
        ..poll(READ, 0)
    };
    metrics.record_poll("blog", &fetched);
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
            "feedhook_feed_fetch_duration_seconds_bucket{feed=\"blog\",le=\"0.5\"}"
        ),
        0
    );
    assert_eq!(
        value(
            &text,
            "feedhook_feed_fetch_duration_seconds_bucket{feed=\"blog\",le=\"1\"}"
        ),
        1
    );
}

#[test]
fn tracking_seeds_health_and_forgets_removed_feeds() {
    let metrics = Metrics::new();
    let good = FeedHealth {
        consecutive_failures: 0,
        last_success: Some(at(30)),
    };
    let bad = FeedHealth {
        consecutive_failures: 3,
        last_success: None,
    };
    let channels = [("hook", "generic")];
    metrics.track(
        &[("good", Some(good)), ("bad", Some(bad)), ("new", None)],
        &channels,
    );
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

    track(&metrics, &["good"]);
    let text = scrape(&metrics);
    assert!(!text.contains("feed=\"bad\""), "{text}");
    assert!(!text.contains("feed=\"new\""), "{text}");
    assert!(text.contains("feed=\"good\""), "{text}");
}
