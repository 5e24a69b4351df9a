//! `store copy`: a state copied into an empty one, across backends, is the same state — the
//! same feeds, seen entries, outbox in the same order, channel standing and subscriptions — so a
//! poll of the copy queues nothing again and new entries queue after the copied ones.

use feedhook::store::{PushState, PushSubscription, Store};

use super::{Poll, Subject, at, drain, entry};

/// `blog` polled twice (a key holding U+0000 among its entries), leaving on `ops` one failed
/// delivery, one retried and left unanswered, and two fresh ones, and on `dev` the same entries
/// pending, and parked on `gone` (removed from the config); `ops` suspended and failing, `dev`
/// paused; `news` polled once only, with an error; one subscription.
async fn fill(store: &Store) {
    Poll::new("blog", &[], &["ops", "dev", "gone"])
        .run(store)
        .await;
    let keys = ["a", "b\0nul", "c", "d"];
    Poll::new("blog", &keys, &["ops", "dev", "gone"])
        .at(15)
        .run(store)
        .await;
    let configured = ["ops".to_owned(), "dev".to_owned()];
    store
        .park_channels_not_in(&configured, at(15))
        .await
        .unwrap();
    let head = store.next_pending("ops").await.unwrap().unwrap().id;
    store.mark_failed(head, at(16), "HTTP 400").await.unwrap();
    let head = store.next_pending("ops").await.unwrap().unwrap().id;
    store
        .schedule_retry(head, at(30), "HTTP 500")
        .await
        .unwrap();
    store
        .schedule_unanswered(head, at(40), "timed out")
        .await
        .unwrap();
    store.note_channel_failing("ops", at(16)).await.unwrap();
    store
        .suspend_channel("ops", at(90), "failing since 16")
        .await
        .unwrap();
    store.pause_channel("dev", at(50), "429").await.unwrap();
    news_failed(store).await;
    store
        .save_push_subscription(PushSubscription {
            feed: "blog".to_owned(),
            topic: "https://example.com/blog".to_owned(),
            hub: "https://hub.example/".to_owned(),
            token: "tok-blog".to_owned(),
            secret: "s3cret-s3cret".to_owned(),
            state: PushState::Verified,
            reason: None,
            lease_expires_at: Some(at(600)),
            requested_at: at(1),
            hub_failures: 1,
        })
        .await
        .unwrap();
}

/// `news` polled for the first time, and failing.
async fn news_failed(store: &Store) {
    let url = "https://example.com/news";
    let failures = store.record_failure("news", url, at(3), "HTTP 503", at(20));
    assert_eq!(failures.await.unwrap(), 1);
}

/// Everything the API shows of a state, to compare two of them.
async fn seen_through_the_api(store: &Store) -> String {
    let channels = ["ops".to_owned(), "dev".to_owned(), "gone".to_owned()];
    format!(
        "{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}",
        store.feed_states().await.unwrap(),
        // In name order: a HashMap's order differs from one map to the next.
        store
            .poll_states()
            .await
            .unwrap()
            .into_iter()
            .collect::<std::collections::BTreeMap<_, _>>(),
        store.channel_states(&channels).await.unwrap(),
        store.next_pending("ops").await.unwrap(),
        store.push_subscriptions().await.unwrap(),
    )
}

async fn copy_is_the_same_state(source: &Store, target: &Store) {
    fill(source).await;
    assert!(!target.holds_anything().await.unwrap());
    let report = source.copy_into(target).await.unwrap();
    assert_eq!(
        (
            report.rows("feeds"),
            report.rows("entries"),
            report.rows("deliveries"),
            report.rows("channels"),
            report.rows("push_subscriptions")
        ),
        (2, 4, 12, 2, 1)
    );
    assert_eq!(
        seen_through_the_api(target).await,
        seen_through_the_api(source).await
    );
    // The copy polled again queues nothing; a new entry queues after the copied ones.
    let keys = ["a", "b\0nul", "c", "d", "e"];
    let summary = Poll::new("blog", &keys, &["ops", "dev"])
        .at(60)
        .run(target)
        .await;
    assert_eq!((summary.first_poll, summary.queued), (false, 2));
    target.resume_channel("ops").await.unwrap();
    assert_eq!(drain(target, "ops").await, ["b\0nul", "c", "d", "e"]);
    assert_eq!(drain(target, "dev").await, ["a", "b\0nul", "c", "d", "e"]);
    assert_eq!(target.requeue_failed(Some("ops"), at(70)).await.unwrap(), 1);
    let failed = target.next_pending("ops").await.unwrap().unwrap();
    assert_eq!(failed.entry, entry("a"));
    let every = ["ops".to_owned(), "dev".to_owned(), "gone".to_owned()];
    target.park_channels_not_in(&every, at(80)).await.unwrap();
    assert_eq!(drain(target, "gone").await, ["a", "b\0nul", "c", "d"]);
}

#[tokio::test]
async fn sqlite_copied_into_postgres_is_the_same_state() {
    let (source, target) = (Subject::sqlite(), Subject::postgres().await);
    copy_is_the_same_state(&source.store, &target.store).await;
}

#[tokio::test]
async fn postgres_copied_into_sqlite_is_the_same_state() {
    let (source, target) = (Subject::postgres().await, Subject::sqlite());
    copy_is_the_same_state(&source.store, &target.store).await;
}

#[tokio::test]
async fn a_state_holding_rows_says_so_until_cleared() {
    for subject in [Subject::sqlite(), Subject::postgres().await] {
        let store = &subject.store;
        assert!(!store.holds_anything().await.unwrap());
        news_failed(store).await;
        assert!(store.holds_anything().await.unwrap());
        store.clear().await.unwrap();
        assert!(!store.holds_anything().await.unwrap());
    }
}
