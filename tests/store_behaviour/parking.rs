//! Deliveries parked while their channel is out of the config: kept in their place, restored when
//! the channel comes back, pruned a retention period after parking.

use std::time::Duration;

use feedhook::store::{ChannelParking, Store};

use super::{Poll, at, drain};

const DAY_MINUTES: i64 = 24 * 60;
const DAY: Duration = Duration::from_secs(24 * 3600);

fn names(channels: &[&str]) -> Vec<String> {
    channels.iter().map(|c| (*c).to_owned()).collect()
}

/// `blog` polled once (nothing queued), then gaining `a` and `b` for `ops` and `gone`, and `gone`
/// removed from the config at 20.
async fn with_gone_parked(store: &Store) -> ChannelParking {
    Poll::new("blog", &[], &["ops", "gone"]).run(store).await;
    Poll::new("blog", &["a", "b"], &["ops", "gone"])
        .at(15)
        .run(store)
        .await;
    store
        .park_channels_not_in(&names(&["ops"]), at(20))
        .await
        .unwrap()
}

pub async fn a_removed_channel_is_parked_and_comes_back_in_its_place(store: &Store) {
    let parking = with_gone_parked(store).await;
    assert_eq!(parking.parked, [("gone".to_owned(), 2)]);
    assert!(parking.restored.is_empty());
    assert_eq!(store.next_pending("gone").await.unwrap(), None);
    assert_eq!(store.parked_channels().await.unwrap(), ["gone"]);
    let gone = store.channel_state("gone").await.unwrap();
    assert_eq!(
        (gone.parked, gone.parked_since, gone.pending, gone.failed),
        (2, Some(at(20)), 0, 0)
    );
    assert_eq!(store.channel_state("ops").await.unwrap().pending, 2);

    // An entry queued for the channel while it is parked (another instance on an older config)
    // waits behind the parked ones.
    Poll::new("blog", &["a", "b", "c"], &["ops", "gone"])
        .at(25)
        .run(store)
        .await;
    let parking = store
        .park_channels_not_in(&names(&["ops", "gone"]), at(30))
        .await
        .unwrap();
    assert_eq!(parking.restored, [("gone".to_owned(), 2)]);
    assert!(parking.parked.is_empty());
    let gone = store.channel_state("gone").await.unwrap();
    assert_eq!((gone.parked, gone.parked_since, gone.pending), (0, None, 3));
    let head = store.next_pending("gone").await.unwrap().unwrap();
    assert_eq!(
        (head.entry.key.as_str(), head.next_attempt_at),
        ("a", at(30)),
        "a restored delivery is due at once"
    );
    assert!(store.parked_channels().await.unwrap().is_empty());
    Poll::new("blog", &["a", "b", "c", "d"], &["ops", "gone"])
        .at(35)
        .run(store)
        .await;
    assert_eq!(drain(store, "gone").await, ["a", "b", "c", "d"]);
}

pub async fn parking_again_changes_nothing(store: &Store) {
    with_gone_parked(store).await;
    let again = store
        .park_channels_not_in(&names(&["ops"]), at(40))
        .await
        .unwrap();
    assert_eq!(again, ChannelParking::default());
    let gone = store.channel_state("gone").await.unwrap();
    assert_eq!(
        (gone.parked, gone.parked_since),
        (2, Some(at(20))),
        "parking keeps the time it first parked them"
    );
}

pub async fn parked_deliveries_are_pruned_a_retention_period_after_parking(store: &Store) {
    with_gone_parked(store).await;
    let early = store.prune(at(20 + DAY_MINUTES - 1), DAY).await.unwrap();
    assert!(early.parked.is_empty(), "{early:?}");
    assert_eq!(store.channel_state("gone").await.unwrap().parked, 2);

    let pruned = store.prune(at(20 + DAY_MINUTES + 1), DAY).await.unwrap();
    assert_eq!(pruned.parked, [("gone".to_owned(), 2)]);
    assert_eq!(
        pruned.entries, 0,
        "the entries are still pending for another channel"
    );
    assert!(store.parked_channels().await.unwrap().is_empty());
    assert_eq!(drain(store, "ops").await, ["a", "b"]);
    let restored = store
        .park_channels_not_in(&names(&["ops", "gone"]), at(20 + DAY_MINUTES + 2))
        .await
        .unwrap();
    assert!(restored.restored.is_empty(), "nothing is left to restore");
}
