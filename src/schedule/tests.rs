use super::*;
use crate::config::CronSchedule;

fn every(secs: u64) -> Cadence {
    Cadence::Every(Duration::from_secs(secs))
}

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
        .expect("valid date")
        .with_timezone(&Utc)
}

#[test]
fn regular_poll_comes_at_most_one_interval_later_and_a_little_early() {
    for _ in 0..100 {
        let next = next_regular(&every(900), t0());
        let delay = until(t0(), next);
        assert!(
            delay >= Duration::from_secs(870) && delay <= Duration::from_secs(900),
            "{delay:?}"
        );
    }
}

#[test]
fn whole_seconds_round_up_and_stay_put() {
    let exact = t0() + chrono::TimeDelta::seconds(5);
    assert_eq!(on_whole_second(exact), exact);
    let inside = exact + chrono::TimeDelta::milliseconds(1);
    assert_eq!(
        on_whole_second(inside),
        exact + chrono::TimeDelta::seconds(1)
    );
    let late = exact + chrono::TimeDelta::nanoseconds(999_999_999);
    assert_eq!(on_whole_second(late), exact + chrono::TimeDelta::seconds(1));
}

#[test]
fn cron_schedule_fires_at_its_next_time() {
    let schedule: cron::Schedule = "0 */5 * * * *".parse().expect("valid cron");
    let cadence = Cadence::Cron(Box::new(CronSchedule::new(schedule, chrono_tz::UTC)));
    let now = t0() + chrono::TimeDelta::seconds(61);
    assert_eq!(
        next_regular(&cadence, now),
        t0() + chrono::TimeDelta::minutes(5)
    );
    assert_eq!(nominal_interval(&cadence, now), Duration::from_secs(300));
}

#[test]
fn backoff_doubles_and_caps_at_six_intervals() {
    let interval = Duration::from_secs(900);
    let delays: Vec<u64> = (1..=6)
        .map(|n| backoff_delay(interval, n).as_secs())
        .collect();
    assert_eq!(delays, [900, 1800, 3600, 5400, 5400, 5400]);
}

#[test]
fn backoff_caps_at_six_hours_for_long_intervals() {
    let interval = Duration::from_secs(2 * 3600);
    assert_eq!(backoff_delay(interval, 10), BACKOFF_CAP);
}

#[test]
fn backoff_never_shorter_than_the_interval() {
    let interval = Duration::from_secs(24 * 3600);
    assert_eq!(backoff_delay(interval, 5), interval);
}

#[test]
fn max_age_delays_the_next_poll_within_a_cap() {
    let hints = ServerHints {
        max_age: Some(Duration::from_secs(7200)),
        retry_after: None,
    };
    let next = after_success(&every(60), t0(), hints);
    assert!(until(t0(), next) >= Duration::from_secs(7200));
    let huge = ServerHints {
        max_age: Some(Duration::from_secs(86_400 * 7)),
        retry_after: None,
    };
    let next = after_success(&every(60), t0(), huge);
    assert!(until(t0(), next) <= MAX_AGE_CAP + Duration::from_secs(60));
}

#[test]
fn retry_after_is_honoured_and_capped() {
    let next = after_wait(&every(60), t0(), Duration::from_secs(3600));
    assert!(until(t0(), next) >= Duration::from_secs(3600));
    let next = after_wait(&every(60), t0(), Duration::from_secs(86_400 * 30));
    assert_eq!(until(t0(), next), RETRY_AFTER_CAP);
}

#[tokio::test(start_paused = true)]
async fn clock_follows_paused_tokio_time() {
    let clock = Clock::starting_at(t0());
    tokio::time::advance(Duration::from_secs(3600)).await;
    assert_eq!(clock.now(), t0() + chrono::TimeDelta::hours(1));
    let at = clock.instant_at(t0() + chrono::TimeDelta::hours(2));
    assert_eq!(at - tokio::time::Instant::now(), Duration::from_secs(3600));
}

#[test]
fn a_pushed_feed_is_polled_at_its_push_interval_unless_its_own_is_slower() {
    let hour = Duration::from_secs(3600);
    assert!(matches!(
        while_pushed(&every(900), hour, t0()).as_ref(),
        Cadence::Every(interval) if *interval == hour
    ));
    assert!(matches!(
        while_pushed(&every(6 * 3600), hour, t0()).as_ref(),
        Cadence::Every(interval) if *interval == Duration::from_secs(6 * 3600)
    ));
}
