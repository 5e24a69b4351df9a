//! When each feed is next due: the one place that knows the polling policy.
//!
//! A feed is polled on its interval or its cron schedule. The interval is the longest gap between two
//! polls: each regular poll comes a little early (jitter, so that feeds added together do not poll in
//! lockstep), never late, which bounds how long a new entry waits to be seen. A server's `Cache-Control: max-age` can push the next poll later,
//! and a 429/503 `Retry-After` makes feedhook wait without counting a failure. A failing feed backs off
//! exponentially, capped, and recovers by itself once the feed answers again.
//!
//! Every time decision reads a [`Clock`], which follows tokio's clock: under `tokio::time::pause()`
//! the tests move wall time forward by advancing tokio's.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use rand::Rng;

use crate::config::Cadence;
use crate::fetch::ServerHints;

/// The longest a `Cache-Control: max-age` may delay a poll.
pub const MAX_AGE_CAP: Duration = Duration::from_secs(4 * 3600);
/// The longest a `Retry-After` from a feed host may delay a poll.
pub const RETRY_AFTER_CAP: Duration = Duration::from_secs(6 * 3600);
/// The longest a failing feed's backoff grows (unless its own interval is longer).
pub const BACKOFF_CAP: Duration = Duration::from_secs(6 * 3600);
/// Backoff grows to at most this many intervals.
pub const BACKOFF_INTERVALS: u32 = 6;
/// The largest jitter taken off an interval.
const MAX_JITTER: Duration = Duration::from_secs(30);

/// Wall-clock time that advances with tokio's clock.
///
/// In production this is the system clock (re-read at each call through tokio's monotonic clock, so a
/// wall-clock jump does not reorder deadlines). Under `tokio::time::pause()` it moves only when tokio's
/// clock is advanced, which is what lets tests run days of schedule in milliseconds.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    wall_at_start: DateTime<Utc>,
    instant_at_start: tokio::time::Instant,
}

impl Default for Clock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock {
    #[must_use]
    pub fn new() -> Self {
        Self {
            wall_at_start: Utc::now(),
            instant_at_start: tokio::time::Instant::now(),
        }
    }

    /// A clock whose "now" is `wall` at tokio's current instant (for tests).
    #[must_use]
    pub fn starting_at(wall: DateTime<Utc>) -> Self {
        Self {
            wall_at_start: wall,
            instant_at_start: tokio::time::Instant::now(),
        }
    }

    #[must_use]
    pub fn now(&self) -> DateTime<Utc> {
        let elapsed = self.instant_at_start.elapsed();
        self.wall_at_start + to_chrono(elapsed)
    }

    /// The tokio instant at which wall time will be `at` (now, if `at` is past).
    #[must_use]
    pub fn instant_at(&self, at: DateTime<Utc>) -> tokio::time::Instant {
        tokio::time::Instant::now() + until(self.now(), at)
    }
}

/// The first whole second at or after `at`. The poll loop wakes only on these, so that the polls
/// falling due within one second go out together: one wake-up of the runtime, the connection pool
/// and the state database per second instead of one per poll. No poll starts early, and none more
/// than a second late.
#[must_use]
pub fn on_whole_second(at: DateTime<Utc>) -> DateTime<Utc> {
    let into_second = TimeDelta::nanoseconds(i64::from(at.timestamp_subsec_nanos()));
    if into_second.is_zero() {
        at
    } else {
        at - into_second + TimeDelta::seconds(1)
    }
}

/// The non-negative time from `now` to `at`.
#[must_use]
pub fn until(now: DateTime<Utc>, at: DateTime<Utc>) -> Duration {
    (at - now).to_std().unwrap_or(Duration::ZERO)
}

/// Converts a std duration to chrono's, saturating at chrono's range.
#[must_use]
pub fn to_chrono(duration: Duration) -> chrono::TimeDelta {
    chrono::TimeDelta::from_std(duration).unwrap_or(chrono::TimeDelta::MAX)
}

/// The feed's nominal time between polls (for cron: the gap between its next two firings).
#[must_use]
pub fn nominal_interval(cadence: &Cadence, now: DateTime<Utc>) -> Duration {
    match cadence {
        Cadence::Every(interval) => *interval,
        Cadence::Cron(schedule) => {
            let mut upcoming = schedule.upcoming(now);
            match (upcoming.next(), upcoming.next()) {
                (Some(first), Some(second)) => until(first, second),
                _ => Duration::from_secs(24 * 3600),
            }
        }
    }
}

/// The cadence of a feed whose hub pushes to us: every `push_interval`, unless its own cadence
/// is slower already — push makes polling rarer, never more frequent.
#[must_use]
pub fn while_pushed(
    cadence: &Cadence,
    push_interval: Duration,
    now: DateTime<Utc>,
) -> std::borrow::Cow<'_, Cadence> {
    if push_interval > nominal_interval(cadence, now) {
        std::borrow::Cow::Owned(Cadence::Every(push_interval))
    } else {
        std::borrow::Cow::Borrowed(cadence)
    }
}

/// The next regular poll after `now`: the interval less jitter, or the next cron firing.
#[must_use]
pub fn next_regular(cadence: &Cadence, now: DateTime<Utc>) -> DateTime<Utc> {
    match cadence {
        Cadence::Every(interval) => now + to_chrono(interval.saturating_sub(jitter(*interval))),
        Cadence::Cron(schedule) => schedule
            .next_after(now)
            .unwrap_or(now + chrono::TimeDelta::days(1)),
    }
}

/// After a successful poll: the regular time, or later if the server's `max-age` asks for it.
#[must_use]
pub fn after_success(cadence: &Cadence, now: DateTime<Utc>, hints: ServerHints) -> DateTime<Utc> {
    let regular = next_regular(cadence, now);
    match hints.max_age {
        Some(max_age) => regular.max(now + to_chrono(max_age.min(MAX_AGE_CAP))),
        None => regular,
    }
}

/// After the feed host asked us to wait (429, or 503 with `Retry-After`): no sooner than it asked
/// (capped), and no sooner than the regular time. Waiting is not a failure.
#[must_use]
pub fn after_wait(cadence: &Cadence, now: DateTime<Utc>, retry_after: Duration) -> DateTime<Utc> {
    next_regular(cadence, now).max(now + to_chrono(retry_after.min(RETRY_AFTER_CAP)))
}

/// After the `consecutive_failures`-th failure in a row: the interval doubled per failure, capped at
/// [`BACKOFF_INTERVALS`] intervals or [`BACKOFF_CAP`], whichever is shorter (but never shorter than one
/// interval). The feed keeps being polled: it is never given up.
#[must_use]
pub fn after_failure(
    cadence: &Cadence,
    now: DateTime<Utc>,
    consecutive_failures: u32,
) -> DateTime<Utc> {
    let delay = backoff_delay(nominal_interval(cadence, now), consecutive_failures);
    now + to_chrono(delay + jitter(delay))
}

/// The backoff delay before jitter; see [`after_failure`].
#[must_use]
pub fn backoff_delay(interval: Duration, consecutive_failures: u32) -> Duration {
    let cap = (interval * BACKOFF_INTERVALS)
        .min(BACKOFF_CAP)
        .max(interval);
    let doublings = consecutive_failures.saturating_sub(1).min(16);
    interval.saturating_mul(1 << doublings).min(cap)
}

/// Up to a tenth of `interval`, at most [`MAX_JITTER`].
fn jitter(interval: Duration) -> Duration {
    let max = (interval / 10).min(MAX_JITTER);
    if max.is_zero() {
        return Duration::ZERO;
    }
    let millis = rand::rng().random_range(0..=max.as_millis() as u64);
    Duration::from_millis(millis)
}

#[cfg(test)]
mod tests;
