use super::*;
use crate::store::sqlite::testing::at;

fn subscription(feed: &str, token: &str) -> PushSubscription {
    PushSubscription {
        feed: feed.to_owned(),
        topic: format!("https://example.com/{feed}"),
        hub: "https://hub.example/".to_owned(),
        token: token.to_owned(),
        secret: "s3cret-s3cret".to_owned(),
        state: PushState::Subscribing,
        reason: None,
        lease_expires_at: None,
        requested_at: at(0),
        hub_failures: 0,
    }
}

#[test]
fn a_subscription_is_kept_and_found_by_its_token() {
    let store = Db::open_in_memory().expect("memory store");
    store
        .save_push_subscription(&subscription("a", "tok-a"))
        .expect("save");
    let mut verified = subscription("b", "tok-b");
    verified.state = PushState::Verified;
    verified.lease_expires_at = Some(at(60));
    store.save_push_subscription(&verified).expect("save");

    assert_eq!(
        store.push_subscription("tok-b").expect("read"),
        Some(verified.clone())
    );
    assert_eq!(store.push_subscription("nope").expect("read"), None);
    let all = store.push_subscriptions().expect("read all");
    assert_eq!(all, [subscription("a", "tok-a"), verified]);
}

#[test]
fn saving_again_replaces_the_feeds_subscription_and_delete_forgets_it() {
    let store = Db::open_in_memory().expect("memory store");
    store
        .save_push_subscription(&subscription("a", "old"))
        .expect("save");
    store
        .save_push_subscription(&subscription("a", "new"))
        .expect("save again");
    assert_eq!(store.push_subscription("old").expect("read"), None);
    assert!(store.delete_push_subscription("new").expect("delete"));
    assert!(!store.delete_push_subscription("new").expect("delete again"));
    assert!(store.push_subscriptions().expect("read").is_empty());
}
