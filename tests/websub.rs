//! WebSub push, against a local hub that follows the spec (tests/common/hub.rs). Through the
//! library, on a port the test binds so that `[http] public_url` can name it: a feed that
//! advertises a hub is subscribed to and the hub's verification is answered; verifications that
//! are not ours are refused; a restart keeps the subscription; a feed that leaves the config is
//! unsubscribed; a renewal comes before the lease ends; a hub that fails or denies leaves the feed
//! to polling.

// Fixtures are built with format!, and a failed step panics: clarity matters more here.
#![allow(
    clippy::format_collect,
    clippy::format_push_string,
    clippy::unwrap_used
)]

mod common;

use std::net::SocketAddr;
use std::sync::Arc;

use chrono::{TimeDelta, Utc};
use common::hub::{Hub, HubRequest, rss_with_hub};
use common::{Doc, FeedServer, Setup, Sink, generic_config, process, wait};
use feedhook::daemon::systemd::Notifier;
use feedhook::daemon::{self, DaemonError, MetricsRegistry, Monitoring};
use feedhook::fetch::Fetcher;
use feedhook::parse::HubLinks;
use feedhook::push::{Subscriber, Verification};
use feedhook::schedule::Clock;
use feedhook::store::{PushState, PushSubscription, Store};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// A feed server with one feed that advertises `hub`, a sink, and the config for them, listening
/// on `address`.
struct World {
    feeds: FeedServer,
    hub: Hub,
    _sink: Sink,
    setup: Setup,
    topic: String,
}

impl World {
    async fn new(address: SocketAddr) -> Self {
        let (feeds, hub, sink) = (
            FeedServer::start().await,
            Hub::start().await,
            Sink::start().await,
        );
        let topic = feeds.url("/feed.xml");
        feeds.serve(
            "/feed.xml",
            Doc::rss(rss_with_hub(&hub.url(), &topic, &[("a", "A")])),
        );
        let setup = Setup::new(&format!(
            "[http]\nlisten = \"{address}\"\npublic_url = \"http://{address}\"\n\n{}",
            generic_config(&sink, &[&topic], "interval = \"1s\"")
        ));
        Self {
            feeds,
            hub,
            _sink: sink,
            setup,
            topic,
        }
    }

    fn subscriptions(&self) -> Vec<PushSubscription> {
        self.setup
            .state()
            .map(|state| wait(state.push_subscriptions()).unwrap())
            .unwrap_or_default()
    }
}

/// The daemon running on a config, through the library.
struct Running {
    stop: CancellationToken,
    task: JoinHandle<Result<(), DaemonError>>,
}

impl Running {
    fn start(setup: &Setup, listener: TcpListener) -> Self {
        let config = setup.config();
        let store = Arc::new(Store::open(&config.store.path).unwrap());
        let monitoring = Monitoring {
            metrics: MetricsRegistry::default(),
            listener: Some(listener),
        };
        let stop = CancellationToken::new();
        let task = tokio::spawn({
            let stop = stop.clone();
            async move {
                let notifier = Arc::new(Notifier::absent());
                daemon::run(
                    &config,
                    store,
                    Clock::new(),
                    Some(monitoring),
                    stop,
                    notifier,
                )
                .await
            }
        });
        Self { stop, task }
    }

    async fn stop(self) {
        self.stop.cancel();
        let ran = self.task.await.unwrap();
        assert!(ran.is_ok(), "{ran:?}");
    }
}

async fn listener() -> (TcpListener, SocketAddr) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    (listener, address)
}

async fn wait_for(what: &str, done: impl AsyncFnMut() -> bool) {
    process::wait_for(what, process::PATIENCE, done).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_feed_with_a_hub_is_subscribed_and_the_verification_answered() {
    let (listener, address) = listener().await;
    let world = World::new(address).await;
    let running = Running::start(&world.setup, listener);

    let request = world.hub.nth_request(1).await;
    assert_eq!(request.mode, "subscribe");
    assert_eq!(request.topic, world.topic);
    let prefix = format!("http://{address}/websub/");
    assert!(
        request.callback.starts_with(&prefix),
        "{}",
        request.callback
    );
    assert!(
        request.callback.len() > prefix.len() + 40,
        "an unguessable callback path"
    );
    assert!(
        request.secret.as_ref().is_some_and(|s| s.len() >= 40),
        "a strong hub.secret"
    );
    assert!(request.lease_seconds.is_some());

    let mut wrong_topic = request.clone();
    wrong_topic.topic = "http://127.0.0.1:9/other".to_owned();
    assert_eq!(
        world.hub.verify(&wrong_topic, 600).await.0,
        404,
        "unknown topic"
    );
    let mut wrong_mode = request.clone();
    wrong_mode.mode = "unsubscribe".to_owned();
    assert_eq!(
        world.hub.verify(&wrong_mode, 600).await.0,
        404,
        "nothing to unsubscribe"
    );
    let mut unknown = request.clone();
    unknown.callback = format!("{prefix}not-a-token");
    assert_eq!(
        world.hub.verify(&unknown, 600).await.0,
        404,
        "unknown callback"
    );

    assert_eq!(
        world.hub.verify(&request, 600).await,
        (200, "challenge-4711".to_owned())
    );
    let subs = world.subscriptions();
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0].state, PushState::Verified);
    let lease_end = subs[0].lease_expires_at.expect("a lease");
    assert!(lease_end > Utc::now() + TimeDelta::seconds(500));
    assert_eq!(
        world.hub.verify(&request, 600).await.0,
        404,
        "a verification with no request of ours waiting is refused"
    );
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_restart_keeps_the_subscription_and_removal_unsubscribes() {
    let (listener, address) = listener().await;
    let world = World::new(address).await;
    let running = Running::start(&world.setup, listener);
    let request = world.hub.nth_request(1).await;
    assert_eq!(world.hub.verify(&request, 3600).await.0, 200);
    running.stop().await;

    // Restarted: the feed is read again, and the hub hears nothing.
    world.feeds.serve(
        "/feed.xml",
        Doc::rss(rss_with_hub(
            &world.hub.url(),
            &world.topic,
            &[("b", "B"), ("a", "A")],
        )),
    );
    let listener = TcpListener::bind(address).await.unwrap();
    let running = Running::start(&world.setup, listener);
    let polled = world.feeds.requests("/feed.xml").await.len();
    wait_for("two more polls", async || {
        world.feeds.requests("/feed.xml").await.len() >= polled + 2
    })
    .await;
    // The subscriber takes the poll's offer on its own task; a moment for it to act on it.
    wait_for("the poll's offer to be weighed", async || {
        world
            .subscriptions()
            .first()
            .is_some_and(|s| s.state == PushState::Verified)
    })
    .await;
    running.stop().await;
    assert_eq!(
        world.hub.requests().await.len(),
        1,
        "no second subscription"
    );

    // The feed leaves the config: the hub is asked to unsubscribe, and the callback answers it.
    let sink = Sink::start().await;
    world.setup.rewrite(&format!(
        "[http]\nlisten = \"{address}\"\npublic_url = \"http://{address}\"\n\n{}",
        generic_config(&sink, &[], "")
    ));
    let listener = TcpListener::bind(address).await.unwrap();
    let running = Running::start(&world.setup, listener);
    let unsubscribe = world.hub.nth_request(2).await;
    assert_eq!(unsubscribe.mode, "unsubscribe");
    assert_eq!(unsubscribe.callback, request.callback);
    assert_eq!(unsubscribe.topic, world.topic);
    assert_eq!(
        world.hub.verify(&unsubscribe, 0).await,
        (200, "challenge-4711".to_owned())
    );
    assert!(world.subscriptions().is_empty(), "forgotten once confirmed");
    running.stop().await;
}

/// A subscriber alone, for the lifecycle at chosen times.
async fn subscriber(hub: &Hub, store: &Arc<Store>) -> (Subscriber, HubLinks) {
    let text = "[http]\nlisten = \"127.0.0.1:1\"\npublic_url = \"https://feedhook.example\"\n\
                [channels.c]\nkind = \"console\"\n\
                [[feeds]]\nname = \"blog\"\nurl = \"https://blog.example/feed\"\nchannels = [\"c\"]\n";
    let config =
        feedhook::config::Config::from_toml_str(text, std::path::Path::new("t.toml"), &|_| None)
            .unwrap();
    let fetcher = Fetcher::new(&config.fetch, &[], &config.redactor).unwrap();
    let public_url = config.http.unwrap().public_url.unwrap();
    let subscriber = Subscriber::new(
        Arc::clone(store),
        fetcher,
        Clock::new(),
        public_url,
        &config.feeds,
    )
    .await
    .unwrap();
    let links = HubLinks {
        hubs: vec![url::Url::parse(&hub.url()).unwrap()],
        topic: Some(url::Url::parse("https://blog.example/feed").unwrap()),
    };
    (subscriber, links)
}

fn verification(request: &HubRequest, lease_seconds: u64) -> Verification {
    Verification {
        mode: request.mode.clone(),
        topic: request.topic.clone(),
        challenge: Some("c".to_owned()),
        lease_seconds: Some(lease_seconds),
        reason: None,
    }
}

fn token(request: &HubRequest) -> &str {
    request.callback.rsplit('/').next().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_subscription_is_renewed_before_its_lease_ends() {
    let hub = Hub::start().await;
    let store = Arc::new(Store::open_in_memory().unwrap());
    let (subscriber, links) = subscriber(&hub, &store).await;
    subscriber.offer("blog", &links).await;
    let request = hub.nth_request(1).await;
    assert_eq!(
        request.callback,
        format!("https://feedhook.example/websub/{}", token(&request))
    );
    let answer = subscriber
        .verify(token(&request), &verification(&request, 1000))
        .await;
    assert_eq!(answer.as_deref(), Some("c"));
    let end = subscriber
        .subscription("blog")
        .unwrap()
        .lease_expires_at
        .unwrap();

    subscriber.upkeep(end - TimeDelta::seconds(200)).await;
    assert_eq!(
        hub.requests().await.len(),
        1,
        "not yet: the last tenth of the lease"
    );
    subscriber.upkeep(end - TimeDelta::seconds(60)).await;
    let renewal = hub.nth_request(2).await;
    assert_eq!(
        (renewal.mode.as_str(), renewal.callback.as_str()),
        ("subscribe", request.callback.as_str())
    );
    assert_eq!(
        renewal.secret, request.secret,
        "the same subscription, renewed"
    );
    assert!(
        subscriber.is_active("blog"),
        "still pushed while the renewal waits"
    );
    let answer = subscriber
        .verify(token(&renewal), &verification(&renewal, 1000))
        .await;
    assert_eq!(answer.as_deref(), Some("c"));
    let renewed = subscriber.subscription("blog").unwrap();
    assert_eq!(renewed.state, PushState::Verified);
    assert!(renewed.lease_expires_at.unwrap() > end);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hub_that_fails_or_denies_leaves_the_feed_to_polling() {
    let hub = Hub::start().await;
    hub.answer(500);
    let store = Arc::new(Store::open_in_memory().unwrap());
    let (subscriber, links) = subscriber(&hub, &store).await;
    subscriber.offer("blog", &links).await;
    let failed = subscriber.subscription("blog").unwrap();
    assert_eq!(failed.state, PushState::Failed);
    assert_eq!(
        failed.reason.as_deref(),
        Some("the hub answered HTTP 500: hub trouble")
    );
    assert!(!subscriber.is_active("blog"));
    subscriber.offer("blog", &links).await;
    assert_eq!(hub.requests().await.len(), 1, "a failing hub is backed off");

    hub.answer(202);
    subscriber.upkeep(Utc::now() + TimeDelta::minutes(16)).await;
    let request = hub.nth_request(2).await;
    let denial = Verification {
        mode: "denied".to_owned(),
        reason: Some("topic not allowed".to_owned()),
        ..verification(&request, 0)
    };
    assert_eq!(
        subscriber.verify(token(&request), &denial).await.as_deref(),
        Some("")
    );
    let denied = subscriber.subscription("blog").unwrap();
    assert_eq!(denied.state, PushState::Failed);
    assert_eq!(
        denied.reason.as_deref(),
        Some("denied by the hub: topic not allowed")
    );
    let stored = store.push_subscriptions().await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (stored[0].state, &stored[0].reason),
        (denied.state, &denied.reason)
    );
}
