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
