//! A scripted webhook for running one channel's worker under paused time: each post gets the next
//! scripted reply — an HTTP answer with its headers, read and judged exactly as a real answer is,
//! or a post that got no answer — and every post is recorded with its (simulated) time.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tokio::sync::Notify;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use feedhook::config::{Address, Channel, ChannelKind, ChannelOptions, DeliveryPolicy, SecretUrl};
use feedhook::deliver::answer::{judge_post, read};
use feedhook::deliver::{
    ChannelWorker, Destination, PostError, Sent, WorkerReport, WorkerSettings,
};
use feedhook::fetch::Validators;
use feedhook::parse::{Entry, FeedInfo};
use feedhook::render::Payload;
use feedhook::schedule::Clock;
use feedhook::store::{PollRecord, QueueLimits, Store};

/// What the webhook does with one post.
pub enum Reply {
    /// Answers with this status and these headers.
    Http(u16, Vec<(&'static str, String)>),
    /// Gives no answer: the post ends with this error.
    Failed(PostError),
}

impl Reply {
    pub fn status(status: u16) -> Self {
        Self::Http(status, Vec::new())
    }

    pub fn retry_after(status: u16, value: &str) -> Self {
        Self::Http(status, vec![("retry-after", value.to_owned())])
    }
}

/// Replies to each post with the next scripted reply (then 200, or never when `hang`), recording
/// the time and entry key of every post.
#[derive(Default)]
pub struct Scripted {
    replies: Mutex<VecDeque<Reply>>,
    posts: Mutex<Vec<(Instant, String)>>,
    hang: bool,
}

impl Scripted {
    /// Replies with `(status, Retry-After seconds)` pairs.
    pub fn new(answers: &[(u16, Option<u64>)]) -> Arc<Self> {
        Self::replying(answers.iter().map(|(status, wait)| match wait {
            Some(seconds) => Reply::retry_after(*status, &seconds.to_string()),
            None => Reply::status(*status),
        }))
    }

    pub fn replying(replies: impl IntoIterator<Item = Reply>) -> Arc<Self> {
        Arc::new(Self {
            replies: Mutex::new(replies.into_iter().collect()),
            ..Self::default()
        })
    }

    /// Never answers.
    pub fn hanging() -> Arc<Self> {
        Arc::new(Self {
            hang: true,
            ..Self::default()
        })
    }

    pub fn posts(&self) -> Vec<(Instant, String)> {
        self.posts.lock().unwrap().clone()
    }

    pub fn keys(&self) -> Vec<String> {
        self.posts().into_iter().map(|(_, k)| k).collect()
    }
}

impl std::fmt::Display for Scripted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("scripted")
    }
}

impl Destination for Scripted {
    fn send<'a>(&'a self, _key: &'a str, payload: &'a Payload) -> BoxFuture<'a, Sent> {
        Box::pin(async move {
            if self.hang {
                std::future::pending::<()>().await;
            }
            let Payload::Json(body) = payload else {
                panic!("generic channels post JSON")
            };
            let key = posted_keys(body);
            self.posts.lock().unwrap().push((Instant::now(), key));
            let reply = self.replies.lock().unwrap().pop_front();
            let posted = match reply.unwrap_or_else(|| Reply::status(200)) {
                Reply::Http(status, headers) => Ok(read(
                    status,
                    &header_map(&headers),
                    String::new(),
                    SystemTime::now(),
                )),
                Reply::Failed(error) => Err(error),
            };
            let url = SecretUrl::new(url::Url::parse("https://hooks.example/hook").unwrap());
            judge_post(ChannelKind::Generic, &url, posted)
        })
    }
}

/// The entry key a generic post carries, or the keys of a generic digest's entries joined by `,`.
fn posted_keys(body: &serde_json::Value) -> String {
    match body["entries"].as_array() {
        Some(entries) => entries
            .iter()
            .map(|entry| entry["entry"]["key"].as_str().unwrap_or_default())
            .collect::<Vec<_>>()
            .join(","),
        None => body["entry"]["key"].as_str().unwrap_or_default().to_owned(),
    }
}

fn header_map(headers: &[(&'static str, String)]) -> HeaderMap {
    headers
        .iter()
        .map(|(name, value)| {
            (
                HeaderName::from_static(name),
                HeaderValue::from_str(value).unwrap(),
            )
        })
        .collect()
}

pub fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T00:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// A generic channel with the default delivery policy.
pub fn channel(name: &str) -> Channel {
    with_policy(name, DeliveryPolicy::default())
}

pub fn with_policy(name: &str, delivery: DeliveryPolicy) -> Channel {
    Channel {
        name: name.into(),
        kind: ChannelKind::Generic,
        url: None,
        address: Address::Webhook,
        options: ChannelOptions::default(),
        spacing: None,
        headers: HeaderMap::new(),
        delivery,
        digest: None,
    }
}

/// Queues `keys` (oldest first) for `channels` as a first poll with a backlog of all of them.
pub async fn queue(store: &Store, keys: &[&str], channels: &[&str]) {
    queue_at(store, "feed", keys, channels, t0()).await;
}

/// Queues `keys` of `feed` (oldest first) for `channels` as a poll at `at` with a backlog of all
/// of them (the feed's first).
pub async fn queue_at(
    store: &Store,
    feed: &str,
    keys: &[&str],
    channels: &[&str],
    at: DateTime<Utc>,
) {
    let entries: Vec<Entry> = keys
        .iter()
        .map(|k| Entry {
            key: (*k).into(),
            title: Some(format!("Entry {k}")),
            ..Entry::default()
        })
        .collect();
    let channels: Vec<String> = channels.iter().map(|c| (*c).to_owned()).collect();
    let backlog = entries.len();
    store
        .record_poll(PollRecord {
            feed: feed.to_owned(),
            url: format!("https://example.com/{feed}.xml"),
            polled_at: at,
            validators: Validators::default(),
            info: FeedInfo::default(),
            entries,
            channels,
            backlog,
            next_due_at: at,
            limits: QueueLimits::default(),
        })
        .await
        .unwrap();
}

/// Another connection to the state file at `path`, which makes recording a delivery fail as a
/// full disk does, until it drops its trigger (`DROP TRIGGER full_disk`).
pub fn fill_the_disk(path: &std::path::Path) -> rusqlite::Connection {
    let saboteur = rusqlite::Connection::open(path).unwrap();
    saboteur
        .execute_batch(
            "CREATE TRIGGER full_disk BEFORE UPDATE OF status ON deliveries
             WHEN NEW.status = 'delivered'
             BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
        )
        .unwrap();
    saboteur
}

/// Runs a worker for the generic channel `name` with the default policy.
pub fn start(
    store: &Arc<Store>,
    name: &str,
    target: Arc<Scripted>,
    stop: &CancellationToken,
) -> tokio::task::JoinHandle<WorkerReport> {
    start_channel(store, channel(name), target, stop)
}

/// Runs a worker for `channel`, its clock starting at [`t0`] when simulated time starts.
pub fn start_channel(
    store: &Arc<Store>,
    channel: Channel,
    target: Arc<impl Destination + 'static>,
    stop: &CancellationToken,
) -> tokio::task::JoinHandle<WorkerReport> {
    let worker = ChannelWorker {
        channel,
        store: Arc::clone(store),
        target,
        clock: Clock::starting_at(t0()),
        wake: Arc::new(Notify::new()),
        settings: WorkerSettings {
            spacing: Duration::ZERO,
            suspension: Duration::from_secs(3600),
            flood_caps: Arc::new(std::iter::once(("feed".to_owned(), 20)).collect()),
            drain_until: None,
        },
        on_verdict: Arc::new(|_| {}),
        turn: None,
    };
    tokio::spawn(worker.run(stop.clone()))
}

/// Lets simulated time run until `done` or two simulated days have passed.
pub async fn run_until(done: impl Fn() -> bool) {
    for _ in 0..(2 * 24 * 60 * 2) {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_secs(30)).await;
    }
}

pub fn gaps(posts: &[(Instant, String)]) -> Vec<Duration> {
    posts.windows(2).map(|w| w[1].0 - w[0].0).collect()
}
