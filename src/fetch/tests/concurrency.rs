//! The global and per-host limits, observed from the server side: each server counts the requests
//! open on it at once while holding each one for a moment.

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::join_all;
use url::Url;

use super::raw::{self, Gauge};
use super::{Get, body_of, fetcher_with, url};
use crate::config::{FetchOptions, ProxySetting, Transport};

/// A server that holds each request ~100 ms, counted by its own gauge and by a shared one.
async fn counting_server(own: Arc<Gauge>, all: Arc<Gauge>) -> Url {
    let base = raw::serve(move |mut stream| {
        let (own, all) = (Arc::clone(&own), Arc::clone(&all));
        async move {
            raw::read_head(&mut stream).await;
            own.enter();
            all.enter();
            tokio::time::sleep(Duration::from_millis(100)).await;
            // Leave before answering: the client frees its slot only after the answer, so a
            // second request can never be counted while this one still is.
            own.leave();
            all.leave();
            let reply = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok";
            raw::write(&mut stream, reply).await;
        }
    })
    .await;
    url(&base, "/feed")
}

#[tokio::test]
async fn one_host_never_sees_more_than_per_host_requests() {
    let gauge = Arc::new(Gauge::default());
    let feed = counting_server(Arc::clone(&gauge), Arc::new(Gauge::default())).await;
    let fetcher = fetcher_with(32, 4, &[]);

    let polls = (0..20).map(|_| async { body_of(Get::new(&feed).run(&fetcher).await) });
    join_all(polls).await;

    assert!(gauge.most() <= 4, "{} requests at once", gauge.most());
    assert!(gauge.most() > 1, "requests should overlap");
}

#[tokio::test]
async fn all_hosts_together_never_see_more_than_concurrency_requests() {
    let all = Arc::new(Gauge::default());
    let mut hosts = Vec::new();
    for _ in 0..4 {
        let gauge = Arc::new(Gauge::default());
        let feed = counting_server(Arc::clone(&gauge), Arc::clone(&all)).await;
        hosts.push((gauge, feed));
    }
    let fetcher = fetcher_with(3, 2, &[]);

    let polls = (0..20).map(|i| {
        let feed = &hosts[i % hosts.len()].1;
        let fetcher = &fetcher;
        async move { body_of(Get::new(feed).run(fetcher).await) }
    });
    join_all(polls).await;

    assert!(all.most() <= 3, "{} requests at once in all", all.most());
    assert!(all.most() > 1, "requests should overlap");
    for (gauge, feed) in &hosts {
        assert!(
            gauge.most() <= 2,
            "{} requests at once on {feed}",
            gauge.most()
        );
    }
}

/// Feeds whose transport differs get clients of their own, but wait for the same slots.
#[tokio::test]
async fn feeds_with_clients_of_their_own_share_the_limits() {
    let gauge = Arc::new(Gauge::default());
    let feed = counting_server(Arc::clone(&gauge), Arc::new(Gauge::default())).await;
    let options = [
        Transport::default(),
        Transport {
            tls_insecure: true,
            ..Transport::default()
        },
        Transport {
            proxy: ProxySetting::Direct,
            ..Transport::default()
        },
    ]
    .map(|transport| FetchOptions {
        transport: Arc::new(transport),
        ..FetchOptions::default()
    });
    let fetcher = fetcher_with(32, 2, &options.each_ref());

    let polls = (0..12).map(|i| {
        let get = Get {
            options: options[i % options.len()].clone(),
            ..Get::new(&feed)
        };
        let fetcher = &fetcher;
        async move { body_of(get.run(fetcher).await) }
    });
    join_all(polls).await;

    assert_eq!(gauge.most(), 2, "{} requests at once", gauge.most());
}

/// A body kept with its slot (as a poll keeps it until the body is recorded) holds that slot: with a
/// concurrency of one, the next fetch waits until the slot is given up.
#[tokio::test]
async fn a_held_slot_keeps_the_next_fetch_waiting_until_it_is_dropped() {
    let feed = counting_server(Arc::new(Gauge::default()), Arc::new(Gauge::default())).await;
    let fetcher = fetcher_with(1, 1, &[]);
    let first = Get::new(&feed);
    let (outcome, slot) = fetcher
        .fetch_held(first.request())
        .await
        .expect("the first fetch");
    body_of(Ok(outcome));

    let second = Get::new(&feed);
    let mut waiting = Box::pin(second.run(&fetcher));
    assert!(
        futures_util::poll!(waiting.as_mut()).is_pending(),
        "the slot is still held"
    );
    drop(slot);
    body_of(waiting.await);
}
