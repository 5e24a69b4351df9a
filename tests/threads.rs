//! Discord threads against a local fake that answers like a forum channel's webhook: a post that
//! names no thread is refused with Discord's own error; `forum = true` starts one post per entry,
//! named after it; `thread_id` posts into one existing thread, read from the query.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use common::{Doc, FeedServer, Setup, rss};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers::any};

/// What Discord answers a webhook post to a forum channel that names no thread.
const NO_THREAD: &str = r#"{"message": "Webhooks posted to forum channels must have a thread_name or thread_id", "code": 220001}"#;

/// A forum channel's webhook: a post needs a `thread_name` (a new post) or a `thread_id` query
/// parameter (an existing thread); the webhook answers 204 without `wait=true`.
struct Forum;

impl Respond for Forum {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let named = body["thread_name"]
            .as_str()
            .is_some_and(|name| !name.is_empty());
        let into_thread = request.url.query_pairs().any(|(key, _)| key == "thread_id");
        if named || into_thread {
            ResponseTemplate::new(204)
        } else {
            ResponseTemplate::new(400).set_body_raw(NO_THREAD, "application/json")
        }
    }
}

async fn forum() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(Forum).mount(&server).await;
    server
}

/// Two entries posted to a Discord channel `ops` at `forum` with `keys`.
fn setup(feeds: &FeedServer, forum: &MockServer, keys: &str) -> Setup {
    feeds.serve(
        "/feed.xml",
        Doc::rss(rss(&[("b", "Second"), ("a", "First")])),
    );
    Setup::new(&format!(
        "[channels.ops]\nkind = \"discord\"\nurl = \"{}/api/webhooks/1/secret-token\"\n{keys}\
         rate = \"100/s\"\n\n[[feeds]]\nurl = \"{}\"\nchannels = [\"ops\"]\nbacklog = 10\n",
        forum.uri(),
        feeds.url("/feed.xml")
    ))
}

async fn bodies(server: &MockServer) -> Vec<(Request, serde_json::Value)> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .into_iter()
        .map(|request| {
            let body = serde_json::from_slice(&request.body).expect("a JSON body");
            (request, body)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forum_channel_starts_one_post_per_entry_named_after_it() {
    let (feeds, forum) = (FeedServer::start().await, forum().await);
    let setup = setup(&feeds, &forum, "forum = true\n");
    let report = setup.once().await;
    assert!(report.all_done(), "{report:?}");
    let names: Vec<String> = bodies(&forum)
        .await
        .into_iter()
        .map(|(_, body)| body["thread_name"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(names, ["First", "Second"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn thread_name_templates_the_post_names() {
    let (feeds, forum) = (FeedServer::start().await, forum().await);
    let setup = setup(
        &feeds,
        &forum,
        "thread_name = \"[{{ feed.title }}] {{ entry.title }}\"\n",
    );
    assert!(setup.once().await.all_done());
    let posted = bodies(&forum).await;
    let first = &posted[0].1;
    assert_eq!(first["thread_name"], "[Test feed] First", "{first:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn thread_id_posts_into_the_existing_thread() {
    let (feeds, forum) = (FeedServer::start().await, forum().await);
    let setup = setup(&feeds, &forum, "thread_id = \"1234567890123456789\"\n");
    assert!(setup.once().await.all_done());
    let posted = bodies(&forum).await;
    assert_eq!(posted.len(), 2);
    for (request, body) in &posted {
        assert_eq!(request.url.query(), Some("thread_id=1234567890123456789"));
        assert_eq!(body.get("thread_name"), None, "{body:#}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forum_post_without_a_thread_is_refused_and_kept_as_failed() {
    let (feeds, forum) = (FeedServer::start().await, forum().await);
    let setup = setup(&feeds, &forum, "");
    let report = setup.once().await;
    assert!(!report.all_done(), "Discord refuses the posts: {report:?}");
    let state = setup.channel_state("ops").expect("the state file");
    assert_eq!(
        state.failed, 2,
        "each refused post is kept, with Discord's reason"
    );
}
