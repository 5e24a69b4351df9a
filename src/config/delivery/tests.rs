use super::*;

#[test]
fn values_within_bounds_are_read_as_written() {
    assert_eq!(bounded("45s", &TIMEOUT), Ok(Duration::from_secs(45)));
    assert_eq!(bounded("1d", &MAX_PAUSE), Ok(DAY));
}

#[test]
fn zero_and_absurd_values_are_refused_with_the_range() {
    assert_eq!(
        bounded("0s", &TIMEOUT),
        Err("timeout \"0s\" is out of range: use from 1s to 10m".to_owned())
    );
    assert_eq!(
        bounded("30years", &MAX_PAUSE),
        Err("max_pause \"30years\" is out of range: use from 1s to 1day".to_owned())
    );
    assert!(bounded("soon", &TIMEOUT).is_err_and(|message| message.contains("invalid duration")));
}
