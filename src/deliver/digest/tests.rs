use std::str::FromStr;
use std::time::Duration;

use super::*;
use crate::config::CronSchedule;

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("a test date")
        .with_timezone(&Utc)
}

fn nine_in_paris() -> DigestSchedule {
    let cron = cron::Schedule::from_str("0 0 9 * * *").expect("a test schedule");
    DigestSchedule::Cron(Box::new(CronSchedule::new(cron, chrono_tz::Europe::Paris)))
}

fn waiting(oldest: &str, last_digest: Option<&str>) -> ChannelState {
    ChannelState {
        pending: 3,
        oldest_pending_at: Some(utc(oldest)),
        last_digest_at: last_digest.map(utc),
        ..ChannelState::default()
    }
}

#[test]
fn nothing_waiting_means_no_digest() {
    let state = ChannelState::default();
    assert_eq!(next_digest(&nine_in_paris(), &state), None);
}

#[test]
fn the_digest_comes_at_the_digest_time_after_the_oldest_entry() {
    let state = waiting("2026-01-12T10:00:00Z", None);
    let due = next_digest(&nine_in_paris(), &state);
    assert_eq!(
        due,
        Some(utc("2026-01-13T08:00:00Z")),
        "9:00 in Paris, winter"
    );
}

#[test]
fn the_digest_time_follows_the_clocks_across_daylight_saving_changes() {
    // The clocks go forward on Sunday 29 March 2026 and back on Sunday 25 October.
    let spring = waiting("2026-03-28T10:00:00Z", None);
    let due = next_digest(&nine_in_paris(), &spring);
    assert_eq!(due, Some(utc("2026-03-29T07:00:00Z")), "9:00 CEST");
    let autumn = waiting("2026-10-24T10:00:00Z", None);
    let due = next_digest(&nine_in_paris(), &autumn);
    assert_eq!(due, Some(utc("2026-10-25T08:00:00Z")), "9:00 CET");
}

#[test]
fn what_waited_past_a_digest_waits_for_the_next_one() {
    // The digest of 13 January went out, leaving entries queued before it (beyond its bound).
    let state = waiting("2026-01-12T10:00:00Z", Some("2026-01-13T08:00:05Z"));
    let due = next_digest(&nine_in_paris(), &state);
    assert_eq!(due, Some(utc("2026-01-14T08:00:00Z")));
}

#[test]
fn a_missed_digest_is_due_once_however_long_ago_it_fell() {
    // The last digest went out on the 1st; entries queued on the 2nd; feedhook was stopped until
    // the 20th: one digest is due, at the first digest time missed, which is in the past.
    let state = waiting("2026-01-02T10:00:00Z", Some("2026-01-01T08:00:00Z"));
    let due = next_digest(&nine_in_paris(), &state).expect("due");
    assert_eq!(due, utc("2026-01-03T08:00:00Z"));
    assert!(due < utc("2026-01-20T12:00:00Z"));
}

#[test]
fn an_interval_digest_comes_that_long_after_the_oldest_entry() {
    let hourly = DigestSchedule::Every(Duration::from_secs(3600));
    let state = waiting("2026-01-12T10:20:00Z", Some("2026-01-12T09:00:00Z"));
    assert_eq!(
        next_digest(&hourly, &state),
        Some(utc("2026-01-12T11:20:00Z"))
    );
}
