use chrono::{DateTime, TimeDelta, Utc};

use super::*;

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000, 0).expect("origin") + TimeDelta::seconds(seconds)
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

fn query(mode: &str, topic: &str) -> Verification {
    Verification::from_query(&format!(
        "hub.mode={mode}&hub.topic={}&hub.challenge=ch%20al&hub.lease_seconds=600",
        url::form_urlencoded::byte_serialize(topic.as_bytes()).collect::<String>()
    ))
}

#[test]
fn a_pending_subscription_is_confirmed_with_the_granted_lease() {
    let request = query("subscribe", "https://blog.example/feed");
    assert_eq!(request.challenge.as_deref(), Some("ch al"));
    let Verdict::Confirm { challenge, next } =
        judge(Some(&sub(PushState::Subscribing)), &request, at(5))
    else {
        panic!("a pending subscription must be confirmed");
    };
    assert_eq!(challenge, "ch al");
    let next = next.expect("kept");
    assert_eq!(next.state, PushState::Verified);
    assert_eq!(next.lease_expires_at, Some(at(605)));
}

#[test]
fn a_wrong_topic_mode_or_callback_is_refused() {
    let pending = sub(PushState::Subscribing);
    let other_topic = query("subscribe", "https://evil.example/feed");
    assert_eq!(judge(Some(&pending), &other_topic, at(1)), Verdict::Refuse);
    let unsubscribe = query("unsubscribe", "https://blog.example/feed");
    assert_eq!(judge(Some(&pending), &unsubscribe, at(1)), Verdict::Refuse);
    let subscribe = query("subscribe", "https://blog.example/feed");
    assert_eq!(judge(None, &subscribe, at(1)), Verdict::Refuse);
    let verified = sub(PushState::Verified);
    assert_eq!(
        judge(Some(&verified), &subscribe, at(1)),
        Verdict::Refuse,
        "no request of ours is waiting"
    );
}

#[test]
fn an_unsubscription_is_confirmed_and_forgotten() {
    let request = query("unsubscribe", "https://blog.example/feed");
    let verdict = judge(Some(&sub(PushState::Unsubscribing)), &request, at(1));
    assert_eq!(
        verdict,
        Verdict::Confirm {
            challenge: "ch al".to_owned(),
            next: None
        }
    );
}

#[test]
fn a_denial_fails_the_subscription_with_the_hubs_reason() {
    let request = Verification::from_query(
        "hub.mode=denied&hub.topic=https%3A%2F%2Fblog.example%2Ffeed&hub.reason=not+allowed",
    );
    let Verdict::Denied(failed) = judge(Some(&sub(PushState::Subscribing)), &request, at(1)) else {
        panic!("a denial must be recorded");
    };
    assert_eq!(failed.state, PushState::Failed);
    assert_eq!(
        failed.reason.as_deref(),
        Some("denied by the hub: not allowed")
    );
}
