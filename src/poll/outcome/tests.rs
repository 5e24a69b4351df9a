use std::time::Duration;

use super::*;

#[test]
fn fetch_errors_map_to_their_kind() {
    let status = FetchError::Status {
        status: 404,
        hints: crate::fetch::ServerHints::default(),
    };
    assert_eq!(FetchFailure::of(&status), FetchFailure::HttpStatus);
    let large = FetchError::TooLarge { limit: 10 };
    assert_eq!(FetchFailure::of(&large), FetchFailure::TooLarge);
    let timeout = FetchError::Timeout(Duration::from_secs(30));
    assert_eq!(FetchFailure::of(&timeout), FetchFailure::Timeout);
    let blocked = FetchError::Blocked("10.0.0.1 is private".into());
    assert_eq!(FetchFailure::of(&blocked), FetchFailure::Blocked);
}

#[test]
fn a_failure_reads_as_its_message() {
    let outcome = PollOutcome::failed(FailureCause::Parse, "not a valid RSS, Atom or JSON feed");
    let PollOutcome::Failed(failure) = outcome else {
        panic!("a failure: {outcome:?}");
    };
    assert_eq!(failure.cause, FailureCause::Parse);
    assert_eq!(failure.to_string(), "not a valid RSS, Atom or JSON feed");
}
