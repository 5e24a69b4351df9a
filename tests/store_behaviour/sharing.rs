//! Work sharing on a database: leases claimed with `FOR UPDATE SKIP LOCKED`, renewed, taken over
//! once they run out, and the epoch that fences a stale holder's writes. PostgreSQL only: a SQLite
//! state has one process, which holds everything.

use std::collections::BTreeSet;

use feedhook::store::{InstanceInfo, LeaseKind, Store};

use super::common::pg::TestDatabase;
use super::{Poll, at};

/// A store on `database` that has joined the instances as `host`.
async fn instance(database: &TestDatabase, host: &str) -> Store {
    let store = Store::connect(&database.settings()).await.unwrap();
    let info = InstanceInfo {
        host: host.to_owned(),
        pid: 42,
        config_digest: "0123456789abcdef".to_owned(),
    };
    let joined = store.join(&info).await.unwrap();
    assert!(joined.is_some(), "a database is shared");
    store
}

/// Ends every lease held, as if its holder had stopped renewing it a lease ago.
async fn run_out(database: &TestDatabase) {
    database
        .execute(
            "UPDATE leases SET expires_at = now() - interval '1 second' WHERE owner IS NOT NULL",
        )
        .await;
}

/// Instances `a` and `b` on `database`; `a` holds feed `blog` (posting to `ops`) and has polled it
/// once.
async fn a_polls_blog(database: &TestDatabase) -> (Store, Store) {
    let (a, b) = (instance(database, "a").await, instance(database, "b").await);
    let feeds = names(&["blog"]);
    a.offer_leases(LeaseKind::Feed, &feeds).await.unwrap();
    a.claim_leases(LeaseKind::Feed, &feeds, 1).await.unwrap();
    Poll::new("blog", &[], &["ops"]).run(&a).await;
    (a, b)
}

/// Instances on `database` at hosts `host-a` and `host-b`, after a one-off command queued two
/// entries of `blog` for `channel`, whose lease `host-a` holds.
async fn two_queued_for_a(database: &TestDatabase, channel: &str) -> (Store, Store) {
    // The one-off commands never join: they write without leases.
    let command = Store::connect(&database.settings()).await.unwrap();
    Poll::new("blog", &[], &[channel]).run(&command).await;
    Poll::new("blog", &["y", "x"], &[channel])
        .at(15)
        .run(&command)
        .await;
    let (a, b) = (
        instance(database, "host-a").await,
        instance(database, "host-b").await,
    );
    let channels = names(&[channel]);
    a.offer_leases(LeaseKind::Channel, &channels).await.unwrap();
    let claimed = a.claim_leases(LeaseKind::Channel, &channels, 1).await;
    assert_eq!(claimed.unwrap(), channels);
    (a, b)
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|name| (*name).to_owned()).collect()
}

fn set(names: Vec<String>) -> BTreeSet<String> {
    names.into_iter().collect()
}

#[tokio::test]
async fn a_lease_is_one_instances_until_it_runs_out_then_another_takes_it() {
    let database = TestDatabase::create().await;
    let (a, b) = (
        instance(&database, "a").await,
        instance(&database, "b").await,
    );
    let feeds = names(&["blog", "news"]);
    a.offer_leases(LeaseKind::Feed, &feeds).await.unwrap();

    let claimed = a.claim_leases(LeaseKind::Feed, &feeds, 5).await.unwrap();
    assert_eq!(set(claimed), set(feeds.clone()));
    assert!(
        b.claim_leases(LeaseKind::Feed, &feeds, 5)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        set(a.renew_leases(LeaseKind::Feed).await.unwrap()),
        set(feeds.clone())
    );
    // A lease of one kind is not one of the other.
    assert!(a.renew_leases(LeaseKind::Channel).await.unwrap().is_empty());

    run_out(&database).await;
    let taken = b.claim_leases(LeaseKind::Feed, &feeds, 5).await.unwrap();
    assert_eq!(set(taken), set(feeds.clone()));
    assert!(a.renew_leases(LeaseKind::Feed).await.unwrap().is_empty());
    let holders = a.lease_holders(LeaseKind::Feed).await.unwrap();
    assert!(holders.iter().all(|holder| holder.running), "{holders:?}");
}

#[tokio::test]
async fn a_holder_whose_feed_was_taken_over_cannot_record_its_poll() {
    let database = TestDatabase::create().await;
    let (a, b) = a_polls_blog(&database).await;

    // Without the lease, an instance records nothing of the feed.
    let error = b
        .record_poll(Poll::new("blog", &["x"], &["ops"]).at(15).0)
        .await
        .unwrap_err();
    assert!(error.is_fenced(), "{error}");

    run_out(&database).await;
    b.claim_leases(LeaseKind::Feed, &names(&["blog"]), 1)
        .await
        .unwrap();
    let late = a
        .record_poll(Poll::new("blog", &["x"], &["ops"]).at(15).0)
        .await;
    let error = late.unwrap_err();
    assert!(error.is_fenced(), "{error}");
    assert!(error.to_string().contains("feed blog"), "{error}");
    let failed = a.record_failure(
        "blog",
        "https://example.com/feed.xml",
        at(15),
        "timeout",
        at(30),
    );
    assert!(failed.await.unwrap_err().is_fenced());

    // Nothing of the stale poll was applied: the new holder finds the entry new.
    let summary = Poll::new("blog", &["x"], &["ops"]).at(16).run(&b).await;
    assert_eq!(summary.queued, 1);
}

#[tokio::test]
async fn a_stale_channel_holder_cannot_settle_and_its_successor_knows_it_repeats_a_post() {
    let database = TestDatabase::create().await;
    let (a, b) = two_queued_for_a(&database, "ops").await;
    let channels = names(&["ops"]);

    let head = a.next_pending("ops").await.unwrap().unwrap();
    assert_eq!(a.mark_in_flight(head.id).await.unwrap(), None);
    assert!(b.mark_in_flight(head.id).await.unwrap_err().is_fenced());

    run_out(&database).await;
    b.claim_leases(LeaseKind::Channel, &channels, 1)
        .await
        .unwrap();
    let repeated = b.mark_in_flight(head.id).await.unwrap();
    let previous = repeated.expect("the post in flight at a is known to be repeated");
    assert!(previous.contains("host-a"), "{previous}");

    // The stale holder's answer arrives late: none of its writes applies.
    for error in [
        a.mark_delivered(head.id, at(20)).await.unwrap_err(),
        a.schedule_retry(head.id, at(30), "500")
            .await
            .map(drop)
            .unwrap_err(),
        a.schedule_unanswered(head.id, at(30), "timeout")
            .await
            .map(drop)
            .unwrap_err(),
        a.mark_failed(head.id, at(20), "410").await.unwrap_err(),
        a.mark_in_flight(head.id).await.map(drop).unwrap_err(),
    ] {
        assert!(error.is_fenced(), "{error}");
        assert!(error.to_string().contains("channel ops"), "{error}");
    }
    b.mark_delivered(head.id, at(21)).await.unwrap();
    let state = b.channel_state("ops").await.unwrap();
    assert_eq!((state.delivered, state.pending), (1, 1));
    let next = b.next_pending("ops").await.unwrap().unwrap();
    assert_ne!(next.entry.key, head.entry.key);
    assert_eq!(b.mark_in_flight(next.id).await.unwrap(), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn instances_claiming_at_once_take_disjoint_leases() {
    let database = TestDatabase::create().await;
    let (a, b, c) = (
        instance(&database, "a").await,
        instance(&database, "b").await,
        instance(&database, "c").await,
    );
    let feeds: Vec<String> = (0..100).map(|n| format!("feed-{n}")).collect();
    a.offer_leases(LeaseKind::Feed, &feeds).await.unwrap();
    let claims = tokio::join!(
        a.claim_leases(LeaseKind::Feed, &feeds, 40),
        b.claim_leases(LeaseKind::Feed, &feeds, 40),
        c.claim_leases(LeaseKind::Feed, &feeds, 40),
    );
    let claims = [claims.0.unwrap(), claims.1.unwrap(), claims.2.unwrap()];
    assert!(claims.iter().all(|claimed| claimed.len() <= 40));
    let all: Vec<String> = claims.concat();
    assert_eq!(all.len(), 100, "every lease claimed exactly once");
    assert_eq!(set(all), set(feeds));
}

#[tokio::test]
async fn liveness_goes_by_the_databases_clock_and_leaving_frees_the_work_at_once() {
    let database = TestDatabase::create().await;
    let (a, b) = (
        instance(&database, "a").await,
        instance(&database, "b").await,
    );
    assert_eq!(a.heartbeat().await.unwrap().len(), 2);

    database
        .execute("UPDATE instances SET heartbeat_at = now() - interval '1 hour' WHERE host = 'b'")
        .await;
    let live = a.heartbeat().await.unwrap();
    assert_eq!(
        live.iter().map(|i| i.host.as_str()).collect::<Vec<_>>(),
        ["a"]
    );
    let known = a.instances().await.unwrap();
    let b_row = known.iter().find(|i| i.host == "b").unwrap();
    assert!(!b_row.live);
    assert_eq!(b_row.pid, 42);

    let feeds = names(&["blog"]);
    a.offer_leases(LeaseKind::Feed, &feeds).await.unwrap();
    a.claim_leases(LeaseKind::Feed, &feeds, 1).await.unwrap();
    a.leave().await.unwrap();
    let holders = b.lease_holders(LeaseKind::Feed).await.unwrap();
    assert_eq!(holders[0].owner, None);
    assert_eq!(
        b.claim_leases(LeaseKind::Feed, &feeds, 1).await.unwrap(),
        feeds
    );
    let known = b.instances().await.unwrap();
    assert!(known.iter().all(|i| i.host != "a"), "{known:?}");
}

#[tokio::test]
async fn a_sqlite_state_is_never_shared() {
    let store = Store::open_in_memory().unwrap();
    let info = InstanceInfo {
        host: "h".to_owned(),
        pid: 1,
        config_digest: String::new(),
    };
    assert_eq!(store.join(&info).await.unwrap(), None);
    assert!(store.heartbeat().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_stale_digest_holder_cannot_mark_its_digest_delivered() {
    let database = TestDatabase::create().await;
    let (a, b) = two_queued_for_a(&database, "weekly").await;
    let channels = names(&["weekly"]);
    let ids: Vec<_> = a
        .pending_deliveries("weekly", 10)
        .await
        .unwrap()
        .iter()
        .map(|delivery| delivery.id)
        .collect();
    assert_eq!(ids.len(), 2);
    let error = b
        .mark_all_delivered("weekly", &ids, at(20))
        .await
        .unwrap_err();
    assert!(error.is_fenced(), "{error}");

    run_out(&database).await;
    b.claim_leases(LeaseKind::Channel, &channels, 1)
        .await
        .unwrap();
    let error = a
        .mark_all_delivered("weekly", &ids, at(20))
        .await
        .unwrap_err();
    assert!(error.is_fenced(), "{error}");
    assert!(error.to_string().contains("channel weekly"), "{error}");
    assert_eq!(b.channel_state("weekly").await.unwrap().pending, 2);

    assert_eq!(
        b.mark_all_delivered("weekly", &ids, at(21)).await.unwrap(),
        2
    );
    let state = b.channel_state("weekly").await.unwrap();
    assert_eq!((state.delivered, state.pending), (2, 0));
}

#[tokio::test]
async fn a_push_is_recorded_by_whichever_instance_the_hub_reached_and_deduplicated_with_polls() {
    let database = TestDatabase::create().await;
    let (a, b) = a_polls_blog(&database).await;

    // b holds no lease on the feed, yet the hub's push reached it: recorded, under the row lock.
    let pushed = b
        .record_push(Poll::new("blog", &["x"], &["ops"]).at(15).0)
        .await
        .unwrap();
    assert_eq!(pushed.queued, 1);
    let polled = Poll::new("blog", &["x"], &["ops"]).at(16).run(&a).await;
    assert_eq!(
        polled.queued, 0,
        "the holder's poll finds the pushed entry seen"
    );
}
