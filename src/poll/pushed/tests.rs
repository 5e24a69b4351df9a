use std::path::Path;
use std::sync::Arc;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::config::{Config, FetchSettings};
use crate::fetch::Fetcher;
use crate::poll::poll_feed;
use crate::schedule::Clock;
use crate::store::Store;

fn rss(guids: &[&str]) -> String {
    let items = guids.iter().fold(String::new(), |items, g| {
        items + &format!("<item><guid>{g}</guid><title>Entry {g}</title></item>")
    });
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Blog</title>{items}</channel></rss>"
    )
}

fn feed(url: &str, extra: &str) -> Feed {
    let text = format!(
        "[channels.c]\nkind = \"console\"\n[[feeds]]\nname = \"blog\"\nurl = \"{url}\"\nchannels = [\"c\"]\n{extra}"
    );
    let config = Config::from_toml_str(&text, Path::new("t.toml"), &|_| None)
        .unwrap_or_else(|error| panic!("{error}"));
    config.feeds[0].clone()
}

fn context(feed: &Feed) -> PollContext {
    let fetcher = Fetcher::new(
        &FetchSettings::default(),
        std::slice::from_ref(feed),
        &Arc::default(),
    )
    .expect("the client builds");
    let store = Arc::new(Store::open_in_memory().expect("a store"));
    PollContext::new(store, fetcher, Clock::new())
}

/// The keys queued for channel `c`, oldest first; each is marked delivered as it is read.
async fn drain(store: &Store) -> Vec<String> {
    let mut keys = Vec::new();
    while let Some(delivery) = store.next_pending("c").await.expect("the outbox reads") {
        keys.push(delivery.entry.key.clone());
        store
            .mark_delivered(delivery.id, chrono::Utc::now())
            .await
            .expect("marked");
    }
    keys
}

async fn push(context: &PollContext, feed: &Feed, body: &str) -> PushOutcome {
    record_pushed(context, feed, body.as_bytes().to_vec(), None)
        .await
        .expect("recorded")
}

#[tokio::test]
async fn push_and_poll_share_one_dedupe_so_no_entry_is_posted_twice() {
    let server = MockServer::start().await;
    let serve = async |guids: &[&str]| {
        server.reset().await;
        Mock::given(method("GET"))
            .and(path("/feed"))
            .respond_with(ResponseTemplate::new(200).set_body_string(rss(guids)))
            .mount(&server)
            .await;
    };
    let feed = feed(&format!("{}/feed", server.uri()), "");
    let context = context(&feed);

    serve(&["a"]).await;
    poll_feed(&context, &feed, None).await;
    assert!(
        drain(&context.store).await.is_empty(),
        "first poll: backlog 0"
    );

    // The hub pushes b, then the poll reads b and c; the hub pushes c again, and d.
    let pushed = push(&context, &feed, &rss(&["b", "a"])).await;
    assert_eq!(
        pushed,
        PushOutcome::Recorded {
            new_entries: 1,
            queued: 1
        }
    );
    serve(&["c", "b", "a"]).await;
    let known = context.store.poll_state("blog").await.expect("reads");
    poll_feed(&context, &feed, known).await;
    let pushed = push(&context, &feed, &rss(&["d", "c"])).await;
    assert_eq!(
        pushed,
        PushOutcome::Recorded {
            new_entries: 1,
            queued: 1
        }
    );
    assert_eq!(
        push(&context, &feed, &rss(&["d"])).await,
        PushOutcome::Recorded {
            new_entries: 0,
            queued: 0
        }
    );
    let known = context.store.poll_state("blog").await.expect("reads");
    serve(&["d", "c", "b", "a"]).await;
    poll_feed(&context, &feed, known).await;

    assert_eq!(drain(&context.store).await, ["b", "c", "d"]);
}

#[tokio::test]
async fn a_push_leaves_the_feeds_polling_as_its_last_poll_left_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/feed"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "\"v1\"")
                .set_body_string(rss(&["a"])),
        )
        .mount(&server)
        .await;
    let feed = feed(&format!("{}/feed", server.uri()), "");
    let context = context(&feed);
    poll_feed(&context, &feed, None).await;
    let before = context
        .store
        .feed_state("blog")
        .await
        .expect("reads")
        .expect("polled");

    push(&context, &feed, &rss(&["b", "a"])).await;
    let after = context
        .store
        .feed_state("blog")
        .await
        .expect("reads")
        .expect("polled");
    assert_eq!(after.last_poll_at, before.last_poll_at);
    assert_eq!(after.next_due_at, before.next_due_at);
    assert_eq!(after.last_result, before.last_result);
    assert_eq!(after.entries_seen, 2);
    let state = context
        .store
        .poll_state("blog")
        .await
        .expect("reads")
        .expect("polled");
    assert_eq!(state.validators.etag.as_deref(), Some("\"v1\""));
}

#[tokio::test]
async fn a_push_goes_through_the_feeds_filters() {
    let feed = feed("https://blog.example/feed", "exclude = [\"skip\"]\n");
    let context = context(&feed);
    push(&context, &feed, &rss(&["a"])).await;
    let pushed = push(&context, &feed, &rss(&["skip-me", "b", "a"])).await;
    assert_eq!(
        pushed,
        PushOutcome::Recorded {
            new_entries: 2,
            queued: 1
        }
    );
    assert_eq!(drain(&context.store).await, ["b"]);
}

#[tokio::test]
async fn an_empty_or_unreadable_push_is_thin() {
    let feed = feed("https://blog.example/feed", "");
    let context = context(&feed);
    assert_eq!(
        push(&context, &feed, "").await,
        PushOutcome::Thin { unreadable: None }
    );
    assert_eq!(
        push(&context, &feed, " \n").await,
        PushOutcome::Thin { unreadable: None }
    );
    assert_eq!(
        push(&context, &feed, &rss(&[])).await,
        PushOutcome::Thin { unreadable: None }
    );
    let PushOutcome::Thin {
        unreadable: Some(why),
    } = push(&context, &feed, "updated!").await
    else {
        panic!("a body that is no feed is a thin ping");
    };
    assert!(!why.is_empty());
    assert!(
        context
            .store
            .feed_state("blog")
            .await
            .expect("reads")
            .is_none(),
        "nothing recorded"
    );
}

#[tokio::test]
async fn a_feed_whose_hub_pushes_is_polled_at_its_push_interval() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/feed"))
        .respond_with(ResponseTemplate::new(200).set_body_string(rss(&["a"])))
        .mount(&server)
        .await;
    let feed = feed(
        &format!("{}/feed", server.uri()),
        "interval = \"5m\"\npush_interval = \"2h\"\n",
    );
    let polled = context(&feed);
    let report = poll_feed(&polled, &feed, None).await;
    let now = chrono::Utc::now();
    assert!(report.next_due <= now + chrono::TimeDelta::minutes(5));

    let pushed = context(&feed).on_pushed(|_| true);
    let report = poll_feed(&pushed, &feed, None).await;
    assert!(
        report.next_due > now + chrono::TimeDelta::minutes(110),
        "{:?}",
        report.next_due
    );
}
