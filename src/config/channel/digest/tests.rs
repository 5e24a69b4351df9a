use std::str::FromStr;

use super::*;

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("a test date")
        .with_timezone(&Utc)
}

#[test]
fn an_interval_is_read_before_a_cron_schedule() {
    let every = schedule("1h", Tz::UTC).expect("an interval");
    assert_eq!(every, DigestSchedule::Every(Duration::from_secs(3600)));
    let at = utc("2026-03-01T10:15:00Z");
    assert_eq!(every.next_after(at), Some(utc("2026-03-01T11:15:00Z")));
}

#[test]
fn a_cron_digest_is_read_in_its_timezone() {
    let paris = chrono_tz::Europe::Paris;
    let digest = schedule("0 0 9 * * Mon-Fri", paris).expect("a cron schedule");
    // Friday 27 March 2026 at 9:00 in Paris is 8:00 UTC; after the spring change on Sunday 29
    // March, Monday's 9:00 is 7:00 UTC.
    let friday = digest.next_after(utc("2026-03-27T06:00:00Z"));
    assert_eq!(friday, Some(utc("2026-03-27T08:00:00Z")));
    let monday = digest.next_after(utc("2026-03-27T08:00:00Z"));
    assert_eq!(monday, Some(utc("2026-03-30T07:00:00Z")));
}

#[test]
fn the_classic_five_fields_are_read_at_second_zero() {
    let digest = schedule("30 8 * * *", Tz::UTC).expect("a five-field cron");
    let cron = cron::Schedule::from_str("0 30 8 * * *").expect("a test schedule");
    assert_eq!(
        digest,
        DigestSchedule::Cron(Box::new(CronSchedule::new(cron, Tz::UTC)))
    );
}

#[test]
fn a_bad_digest_says_what_it_should_be() {
    let word = schedule("weekly", Tz::UTC).expect_err("neither");
    assert!(word.contains("neither an interval"), "{word}");
    let cron = schedule("0 0 25 * * *", Tz::UTC).expect_err("hour 25");
    assert!(cron.starts_with("digest: invalid cron schedule"), "{cron}");
    let short = schedule("10s", Tz::UTC).expect_err("too short");
    assert!(short.contains("out of range"), "{short}");
}

#[test]
fn a_digest_time_is_shown_in_the_schedules_zone_with_its_abbreviation_and_offset() {
    let digest = schedule("0 0 9 * * *", chrono_tz::Europe::Paris).expect("a cron schedule");
    let winter = utc("2026-12-03T08:00:00Z");
    assert_eq!(digest.shown(winter), "2026-12-03 09:00 CET");
    assert_eq!(digest.rfc3339(winter), "2026-12-03T09:00:00+01:00");
    let summer = utc("2026-07-03T07:00:00Z");
    assert_eq!(digest.shown(summer), "2026-07-03 09:00 CEST");
    assert_eq!(digest.rfc3339(summer), "2026-07-03T09:00:00+02:00");
    let kolkata = schedule("0 0 9 * * *", chrono_tz::Asia::Kolkata).expect("a cron schedule");
    assert_eq!(kolkata.shown(winter), "2026-12-03 13:30 IST");
    let every = schedule("1h", chrono_tz::Europe::Paris).expect("an interval");
    assert_eq!(every.shown(winter), "2026-12-03 08:00 UTC");
    assert_eq!(every.rfc3339(winter), "2026-12-03T08:00:00+00:00");
}
