use super::*;

#[test]
fn every_value_sits_at_its_own_index() {
    assert!(
        PollResult::ALL
            .iter()
            .enumerate()
            .all(|(i, v)| *v as usize == i)
    );
    assert!(
        ErrorKind::ALL
            .iter()
            .enumerate()
            .all(|(i, v)| *v as usize == i)
    );
    assert!(
        DeliveryOutcome::ALL
            .iter()
            .enumerate()
            .all(|(i, v)| *v as usize == i)
    );
}

#[test]
fn each_value_is_exported_as_its_text() {
    assert_eq!(ErrorKind::HttpStatus.as_str(), "http_status");
    assert_eq!(PollResult::NotModified.as_str(), "not_modified");
    assert_eq!(DeliveryOutcome::RateLimited.as_str(), "rate_limited");
}
