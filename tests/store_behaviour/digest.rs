//! What a digest channel's worker asks of the outbox: its pending deliveries at once (bounded),
//! a part's deliveries marked together, and when the last digest went out.

use feedhook::store::{DeliveryId, Store};

use super::{Poll, at};

async fn queued(store: &Store) {
    Poll::new("blog", &[], &["weekly", "ops"]).run(store).await;
    Poll::new("blog", &["a", "b", "c"], &["weekly", "ops"])
        .at(15)
        .run(store)
        .await;
    Poll::new("news", &[], &["weekly"]).run(store).await;
    Poll::new("news", &["n1"], &["weekly"])
        .at(20)
        .run(store)
        .await;
}

pub async fn pending_deliveries_come_oldest_first_up_to_the_bound(store: &Store) {
    queued(store).await;
    let keys = |pending: Vec<feedhook::store::PendingDelivery>| {
        pending
            .into_iter()
            .map(|p| (p.feed, p.entry.key))
            .collect::<Vec<_>>()
    };
    let all = store.pending_deliveries("weekly", 10).await.unwrap();
    assert_eq!(
        keys(all),
        [
            ("blog".to_owned(), "a".to_owned()),
            ("blog".to_owned(), "b".to_owned()),
            ("blog".to_owned(), "c".to_owned()),
            ("news".to_owned(), "n1".to_owned())
        ]
    );
    let bounded = store.pending_deliveries("weekly", 2).await.unwrap();
    assert_eq!(bounded.len(), 2);
    assert_eq!(bounded[1].entry.key, "b");
    assert!(
        store
            .pending_deliveries("nobody", 10)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn a_parts_deliveries_are_marked_delivered_together(store: &Store) {
    queued(store).await;
    let pending = store.pending_deliveries("weekly", 10).await.unwrap();
    let part: Vec<DeliveryId> = pending[..3].iter().map(|p| p.id).collect();
    store.note_channel_failing("weekly", at(21)).await.unwrap();
    let marked = store
        .mark_all_delivered("weekly", &part, at(30))
        .await
        .unwrap();
    assert_eq!(marked, 3);
    let state = store.channel_state("weekly").await.unwrap();
    assert_eq!((state.pending, state.delivered), (1, 3));
    assert_eq!(state.last_delivery_at, Some(at(30)));
    assert_eq!(state.failing_since, None, "healthy again");
    // Settled deliveries, and another channel's, are left as they are.
    let ops = store.next_pending("ops").await.unwrap().expect("ops waits");
    let again = store
        .mark_all_delivered("weekly", &[part[0], ops.id], at(31))
        .await
        .unwrap();
    assert_eq!(again, 0);
    assert_eq!(store.channel_state("ops").await.unwrap().pending, 3);
}

pub async fn the_last_digest_time_is_kept_per_channel(store: &Store) {
    queued(store).await;
    assert_eq!(
        store.channel_state("weekly").await.unwrap().last_digest_at,
        None
    );
    store.record_digest("weekly", at(60)).await.unwrap();
    store.record_digest("weekly", at(120)).await.unwrap();
    let state = store.channel_state("weekly").await.unwrap();
    assert_eq!(state.last_digest_at, Some(at(120)));
    assert_eq!(state.oldest_pending_at, Some(at(15)));
    assert_eq!(
        store.channel_state("ops").await.unwrap().last_digest_at,
        None
    );
}
