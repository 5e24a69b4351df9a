//! WebSub subscriptions: kept per feed, found by their callback token.

use feedhook::store::{PushState, PushSubscription, Store};

use super::at;

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

pub async fn a_subscription_is_kept_and_found_by_its_token(store: &Store) {
    store
        .save_push_subscription(subscription("b", "tok-b"))
        .await
        .unwrap();
    store
        .save_push_subscription(subscription("a", "tok-a"))
        .await
        .unwrap();
    let mut verified = subscription("b", "tok-b");
    verified.state = PushState::Verified;
    verified.lease_expires_at = Some(at(60));
    verified.reason = Some("renewed".to_owned());
    verified.hub_failures = 2;
    store
        .save_push_subscription(verified.clone())
        .await
        .unwrap();

    assert_eq!(
        store.push_subscription("tok-b").await.unwrap(),
        Some(verified.clone())
    );
    assert_eq!(store.push_subscription("nope").await.unwrap(), None);
    let all = store.push_subscriptions().await.unwrap();
    assert_eq!(all, [subscription("a", "tok-a"), verified]);
}

pub async fn saving_again_replaces_the_feeds_subscription_and_delete_forgets_it(store: &Store) {
    store
        .save_push_subscription(subscription("a", "old"))
        .await
        .unwrap();
    store
        .save_push_subscription(subscription("a", "new"))
        .await
        .unwrap();
    assert_eq!(store.push_subscription("old").await.unwrap(), None);
    assert!(store.delete_push_subscription("new").await.unwrap());
    assert!(!store.delete_push_subscription("new").await.unwrap());
    assert!(store.push_subscriptions().await.unwrap().is_empty());
}
