use chrono::{DateTime, TimeDelta, Utc};

use super::*;

fn at(minutes: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000, 0).expect("origin") + TimeDelta::minutes(minutes)
}

fn url(text: &str) -> Url {
    Url::parse(text).expect("test URL")
}

fn sub(state: PushState) -> PushSubscription {
    PushSubscription {
        feed: "blog".to_owned(),
        topic: "https://blog.example/feed".to_owned(),
        hub: "https://hub.example/".to_owned(),
        token: "token".to_owned(),
        secret: "secret".to_owned(),
        state,
        reason: None,
        lease_expires_at: None,
        requested_at: at(0),
        hub_failures: 0,
    }
}

fn offer_at(current: Option<&PushSubscription>, minutes: i64) -> Offer {
    let (hub, topic) = (
        url("https://hub.example/"),
        url("https://blog.example/feed"),
    );
    offer(current, &hub, &topic, at(minutes))
}

#[test]
fn a_feed_without_subscription_subscribes_and_a_pending_one_waits() {
    assert_eq!(offer_at(None, 0), Offer::Subscribe { hub_failures: 0 });
    let pending = sub(PushState::Subscribing);
    assert_eq!(offer_at(Some(&pending), 30), Offer::Keep);
    assert_eq!(
        offer_at(Some(&pending), 61),
        Offer::Subscribe { hub_failures: 0 },
        "never verified within the hour"
    );
}

#[test]
fn a_verified_subscription_is_kept_until_its_lease_lapses() {
    let mut verified = sub(PushState::Verified);
    verified.lease_expires_at = Some(at(600));
    assert_eq!(offer_at(Some(&verified), 10), Offer::Keep);
    assert!(is_active(&verified, at(10)));
    assert_eq!(
        offer_at(Some(&verified), 600),
        Offer::Subscribe { hub_failures: 0 }
    );
    assert!(!is_active(&verified, at(600)));
}

#[test]
fn another_hub_or_topic_subscribes_afresh() {
    let mut verified = sub(PushState::Verified);
    verified.lease_expires_at = Some(at(600));
    let hub = url("https://other-hub.example/");
    let topic = url("https://blog.example/feed");
    assert_eq!(
        offer(Some(&verified), &hub, &topic, at(1)),
        Offer::Subscribe { hub_failures: 0 }
    );
}

#[test]
fn a_failing_hub_is_backed_off() {
    let mut failed = sub(PushState::Failed);
    failed.hub_failures = 2;
    assert_eq!(
        offer_at(Some(&failed), 29),
        Offer::Keep,
        "30 min after 2 failures"
    );
    assert_eq!(
        offer_at(Some(&failed), 30),
        Offer::Subscribe { hub_failures: 2 }
    );
}

#[test]
fn renewal_comes_in_the_last_tenth_of_the_lease() {
    let mut verified = sub(PushState::Verified);
    verified.lease_expires_at = Some(at(1000));
    assert!(!renewal_due(&verified, at(899)));
    assert!(renewal_due(&verified, at(900)));
    assert!(!renewal_due(&verified, at(1000)), "lapsed, not renewed");
    let mut renewing = verified.clone();
    renewing.state = PushState::Renewing;
    renewing.requested_at = at(900);
    assert!(!renewal_due(&renewing, at(930)));
    assert!(renewal_due(&renewing, at(960)), "asked again after an hour");
}
