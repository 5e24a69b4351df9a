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
mod tests {
    use super::*;

    #[test]
    fn first_retry_comes_within_seconds() {
        for _ in 0..50 {
            let delay = retry_delay(1);
            assert!(
                delay >= Duration::from_millis(1600) && delay <= Duration::from_millis(2400),
                "{delay:?}"
            );
        }
    }

    #[test]
    fn retries_double_up_to_ten_minutes() {
        let delays: Vec<u64> = (1..=10).map(|n| nominal_retry_delay(n).as_secs()).collect();
        assert_eq!(delays, [2, 4, 8, 16, 32, 64, 128, 256, 512, 600]);
        assert_eq!(nominal_retry_delay(1000), MAX_RETRY);
    }

    #[test]
    fn a_delivery_is_given_up_after_a_day_of_retries() {
        let first_over = (1..500)
            .find(|&n| retried_for(n) >= GIVE_UP_AFTER)
            .expect("reaches a day");
        assert!(retried_for(first_over - 1) < GIVE_UP_AFTER);
        assert!((140..160).contains(&first_over), "{first_over}");
    }
}
