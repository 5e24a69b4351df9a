use std::path::Path;

use chrono::{DateTime, Utc};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::config::{Config, FetchSettings};

fn entry(key: &str, published: Option<&str>) -> Entry {
    Entry {
        key: key.into(),
        published: published.map(|p| {
            DateTime::parse_from_rfc3339(p)
                .expect("valid date")
                .with_timezone(&Utc)
        }),
        ..Entry::default()
    }
}

fn keys(entries: &[Entry]) -> Vec<&str> {
    entries.iter().map(|e| e.key.as_str()).collect()
}

/// The feed at `url`, as the config gives it.
fn feed(url: &str) -> Feed {
    let text = format!(
        "[channels.c]\nkind = \"console\"\n[[feeds]]\nurl = \"{url}\"\nchannels = [\"c\"]\n"
    );
    let config = Config::from_toml_str(&text, Path::new("t.toml"), &|_| None)
        .unwrap_or_else(|error| panic!("{error}"));
    config.feeds[0].clone()
}

fn fetcher(feed: &Feed) -> Fetcher {
    Fetcher::new(
        &FetchSettings::default(),
        std::slice::from_ref(feed),
        &std::sync::Arc::default(),
    )
    .expect("the client builds")
}

const RSS: &str = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title>
<item><guid>new</guid><title>New</title></item>
<item><guid>old</guid><title>Old</title></item>
</channel></rss>"#;

#[test]
fn dated_entries_are_ordered_by_date() {
    let entries = vec![
        entry("b", Some("2026-01-02T00:00:00Z")),
        entry("c", Some("2026-01-03T00:00:00Z")),
        entry("a", Some("2026-01-01T00:00:00Z")),
    ];
    assert_eq!(keys(&oldest_first(entries)), ["a", "b", "c"]);
}

#[test]
fn undated_entries_are_posted_in_reverse_document_order() {
    let entries = vec![
        entry("newest", None),
        entry("middle", Some("2026-01-01T00:00:00Z")),
        entry("oldest", None),
    ];
    assert_eq!(keys(&oldest_first(entries)), ["oldest", "middle", "newest"]);
}

#[test]
fn entries_with_equal_dates_keep_newest_last() {
    let same = Some("2026-01-01T00:00:00Z");
    let entries = vec![entry("second", same), entry("first", same)];
    assert_eq!(keys(&oldest_first(entries)), ["first", "second"]);
}

#[tokio::test]
async fn a_one_off_read_gives_the_entries_oldest_first_with_the_validators() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/feed.xml"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "\"v1\"")
                .set_body_string(RSS),
        )
        .mount(&server)
        .await;
    let feed = feed(&format!("{}/feed.xml", server.uri()));
    let document = read_once(&fetcher(&feed), &feed).await.expect("read");
    assert_eq!(keys(&document.entries), ["old", "new"]);
    assert_eq!(document.info.title.as_deref(), Some("Blog"));
    assert_eq!(document.validators.etag.as_deref(), Some("\"v1\""));
}

#[tokio::test]
async fn a_one_off_read_answered_304_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(304))
        .mount(&server)
        .await;
    let feed = feed(&format!("{}/feed.xml", server.uri()));
    let error = read_once(&fetcher(&feed), &feed).await.expect_err("a 304");
    assert!(matches!(error, ReadError::NotModified), "{error:?}");
    assert_eq!(
        error.to_string(),
        "the server answered 304 to a request without validators"
    );
}

#[tokio::test]
async fn a_fetch_says_how_many_bytes_it_brought() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(RSS))
        .mount(&server)
        .await;
    let feed = feed(&format!("{}/feed.xml", server.uri()));
    let fetched = fetch(&fetcher(&feed), &feed, &Validators::default()).await;
    let result = &fetched.outcome;
    assert!(matches!(result, Ok(FetchOutcome::Fetched(_))), "{result:?}");
    assert!(fetched.slot.is_some(), "a fetched body keeps its slot");
    assert_eq!(fetched.stats.bytes, RSS.len() as u64);
}

#[tokio::test]
async fn no_parse_starts_once_the_turns_are_closed() {
    let body = FetchedBody {
        body: RSS.as_bytes().to_vec(),
        charset: None,
        validators: Validators::default(),
        final_url: url::Url::parse("https://example.com/feed.xml").expect("url"),
        moved_permanently_to: None,
        hints: ServerHints::default(),
        links: Vec::new(),
    };
    let turns = ParseTurns::new(1);
    turns.turns.close();
    let error = parse(body, &turns).await.expect_err("no turn");
    assert!(matches!(error, ReadError::Stopping), "{error:?}");
}

#[tokio::test]
async fn large_documents_are_parsed_one_at_a_time_beside_small_ones() {
    use futures_util::FutureExt;

    let turns = ParseTurns::new(2);
    let large = turns.acquire(LARGE_BODY + 1).await.expect("a turn");
    let mut next_large = std::pin::pin!(turns.acquire(LARGE_BODY + 1));
    assert!(
        futures_util::poll!(next_large.as_mut()).is_pending(),
        "a second large document waits for the first"
    );
    let small = turns.acquire(LARGE_BODY).now_or_never().flatten();
    assert!(small.is_some(), "a small document takes the other turn");
    drop(large);
    let next = futures_util::poll!(next_large.as_mut());
    assert!(
        matches!(next, std::task::Poll::Ready(Some(_))),
        "the first large document's turn passes to the next"
    );
}
