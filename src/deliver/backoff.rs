//! How long to wait before retrying a delivery that failed with a network error or a 5xx.

use std::time::Duration;

use rand::Rng;

/// The first retry comes this soon.
pub const FIRST_RETRY: Duration = Duration::from_secs(2);
/// Retries are never spaced further apart than this.
pub const MAX_RETRY: Duration = Duration::from_secs(10 * 60);
/// A delivery still failing this long after it was queued is given up as `failed`.
pub const GIVE_UP_AFTER: Duration = Duration::from_secs(24 * 3600);

/// The delay before retry number `attempts` (1 after the first failure): doubling from
/// [`FIRST_RETRY`] up to [`MAX_RETRY`], with ±20 % jitter so that many channels failing together
/// do not retry in lockstep.
#[must_use]
pub fn retry_delay(attempts: u32) -> Duration {
    let base = nominal_retry_delay(attempts);
    let spread = base.as_millis() as u64 / 5;
    let offset = rand::rng().random_range(0..=spread * 2);
    (base + Duration::from_millis(offset)).saturating_sub(Duration::from_millis(spread))
}

/// [`retry_delay`] without jitter.
#[must_use]
pub fn nominal_retry_delay(attempts: u32) -> Duration {
    let doublings = attempts.saturating_sub(1).min(20);
    FIRST_RETRY.saturating_mul(1 << doublings).min(MAX_RETRY)
}

/// The time a delivery has spent retrying after `attempts` failures, by the nominal schedule: the
/// delivery is given up when this reaches [`GIVE_UP_AFTER`]. Counting retries rather than the age of
/// the delivery means time spent queued behind others, or in a suspended channel, does not count.
#[must_use]
pub fn retried_for(attempts: u32) -> Duration {
    (1..attempts).map(nominal_retry_delay).sum()
}

#[cfg(test)]
mod tests;
