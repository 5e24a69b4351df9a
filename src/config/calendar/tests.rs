use std::str::FromStr;

use chrono::TimeZone;

use super::*;

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("a test date")
        .with_timezone(&Utc)
}

fn paris(expression: &str) -> CronSchedule {
    let schedule = cron::Schedule::from_str(expression).expect("a test schedule");
    CronSchedule::new(schedule, chrono_tz::Europe::Paris)
}

#[test]
fn nine_in_paris_is_eight_utc_in_winter_and_seven_in_summer() {
    let weekdays = paris("0 0 9 * * Mon-Fri");
    // Friday 27 March 2026, winter time (UTC+1); the clocks go forward on Sunday 29 March.
    let runs: Vec<_> = weekdays
        .upcoming(utc("2026-03-27T06:00:00Z"))
        .take(2)
        .collect();
    assert_eq!(
        runs,
        [utc("2026-03-27T08:00:00Z"), utc("2026-03-30T07:00:00Z")]
    );
    // The clocks go back on Sunday 25 October 2026.
    let runs: Vec<_> = weekdays
        .upcoming(utc("2026-10-23T06:00:00Z"))
        .take(2)
        .collect();
    assert_eq!(
        runs,
        [utc("2026-10-23T07:00:00Z"), utc("2026-10-26T08:00:00Z")]
    );
}

#[test]
fn a_local_time_skipped_in_spring_does_not_fire_that_day() {
    // 02:30 does not exist in Paris on 29 March 2026 (02:00 → 03:00).
    let nightly = paris("0 30 2 * * *");
    let runs: Vec<_> = nightly
        .upcoming(utc("2026-03-28T02:00:00Z"))
        .take(2)
        .collect();
    assert_eq!(
        runs,
        [utc("2026-03-30T00:30:00Z"), utc("2026-03-31T00:30:00Z")]
    );
}

#[test]
fn a_local_time_repeated_in_autumn_fires_once() {
    // 02:30 happens twice in Paris on 25 October 2026 (03:00 → 02:00).
    let nightly = paris("0 30 2 * * *");
    let runs: Vec<_> = nightly
        .upcoming(utc("2026-10-24T12:00:00Z"))
        .take(2)
        .collect();
    assert_eq!(
        runs,
        [utc("2026-10-25T00:30:00Z"), utc("2026-10-26T01:30:00Z")]
    );
}

#[test]
fn utc_is_the_same_schedule_without_a_zone() {
    let schedule = cron::Schedule::from_str("0 0 9 * * *").expect("a test schedule");
    let in_utc = CronSchedule::new(schedule.clone(), chrono_tz::UTC);
    let now = utc("2026-06-01T10:00:00Z");
    assert_eq!(in_utc.next_after(now), schedule.after(&now).next());
    assert_eq!(
        in_utc.next_after(now),
        Some(Utc.with_ymd_and_hms(2026, 6, 2, 9, 0, 0).unwrap())
    );
}

#[test]
fn time_zones_are_iana_names() {
    assert_eq!(timezone("Europe/Paris"), Ok(chrono_tz::Europe::Paris));
    assert_eq!(timezone("UTC"), Ok(chrono_tz::UTC));
    let error = timezone("CEST+2").expect_err("not a zone name");
    assert!(error.contains("unknown time zone \"CEST+2\""), "{error}");
    assert!(error.contains("Europe/Paris"), "{error}");
}
