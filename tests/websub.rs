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
use common::hub::{Hub, HubRequest, Signed, rss_with_hub};
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
    sink: Sink,
    setup: Setup,
    topic: String,
}

impl World {
    async fn new(address: SocketAddr) -> Self {
        Self::polled_every(address, "1s").await
    }

    async fn polled_every(address: SocketAddr, interval: &str) -> Self {
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
            generic_config(&sink, &[&topic], &format!("interval = \"{interval}\""))
        ));
        Self {
            feeds,
            hub,
            sink,
            setup,
            topic,
        }
    }

    /// The feed's document with `items`, advertising the hub.
    fn document(&self, items: &[(&str, &str)]) -> String {
        rss_with_hub(&self.hub.url(), &self.topic, items)
    }

    /// The hub pushes the feed's document with `items` to `request`'s callback; the answer.
    async fn push(&self, request: &HubRequest, items: &[(&str, &str)], signed: Signed<'_>) -> u16 {
        self.hub.push(request, &self.document(items), signed).await
    }

    async fn polls(&self) -> usize {
        self.feeds.requests("/feed.xml").await.len()
    }

    async fn wait_for_titles(&self, titles: &[&str]) {
        wait_for("the posts", async || self.sink.titles().await == titles).await;
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
    // Subscribed, the feed is polled at its push_interval (1h) instead of every second.
    wait_for("the next poll an hour away", async || {
        world.setup.feed_states().first().is_some_and(|state| {
            state
                .next_due_at
                .is_some_and(|at| at > Utc::now() + TimeDelta::minutes(50))
        })
    })
    .await;
    running.stop().await;

    // Restarted: the hub pushes to the callback it knows, with the secret it was given.
    let listener = TcpListener::bind(address).await.unwrap();
    let running = Running::start(&world.setup, listener);
    assert_eq!(
        world
            .push(&request, &[("b", "B"), ("a", "A")], Signed::ByHub("sha256"))
            .await,
        202
    );
    world.wait_for_titles(&["B"]).await;
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

/// The daemon started on `world`, its subscription verified by the hub.
async fn subscribed(world: &World, listener: TcpListener) -> (Running, HubRequest) {
    let running = Running::start(&world.setup, listener);
    let request = world.hub.nth_request(1).await;
    assert_eq!(world.hub.verify(&request, 3600).await.0, 200);
    (running, request)
}

/// The feed's `push` in `status --json`, and the PUSH cell of the table.
fn status_push(world: &World) -> (serde_json::Value, String) {
    let json = world.setup.run(&["status", "--json"]);
    assert!(json.status.success(), "{}", common::stderr(&json));
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let table = world.setup.run(&["status"]);
    let table = String::from_utf8(table.stdout).unwrap();
    (json["feeds"][0]["push"].clone(), table)
}

async fn metrics(address: SocketAddr) -> String {
    let url = format!("http://{address}/metrics");
    reqwest::get(url).await.unwrap().text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fat_ping_is_posted_without_a_poll_and_a_forged_one_is_ignored() {
    let (listener, address) = listener().await;
    let world = World::polled_every(address, "1h").await;
    let (running, request) = subscribed(&world, listener).await;
    let polls = world.polls().await;
    let (push, table) = status_push(&world);
    assert_eq!(push["state"], "subscribed", "{push}");
    assert!(push["lease_expires"].is_string(), "{push}");
    assert!(table.contains("subscribed, lease until"), "{table}");

    let forged = world.document(&[("forged", "Forged"), ("a", "A")]);
    assert_eq!(
        world
            .hub
            .push(&request, &forged, Signed::With("a guess"))
            .await,
        202,
        "a forger learns nothing from the answer"
    );
    assert_eq!(
        world.hub.push(&request, &forged, Signed::Unsigned).await,
        202
    );
    let mut unknown = request.clone();
    unknown.callback = format!("http://{address}/websub/not-a-token");
    assert_eq!(
        world
            .hub
            .push(&unknown, &forged, Signed::ByHub("sha256"))
            .await,
        410,
        "a callback we do not know is gone"
    );

    assert_eq!(
        world
            .push(&request, &[("b", "B"), ("a", "A")], Signed::ByHub("sha256"))
            .await,
        202
    );
    world.wait_for_titles(&["B"]).await;
    // An old hub signing with sha1, and pushes that repeat what was pushed.
    let fat = world.document(&[("c", "C"), ("b", "B")]);
    assert_eq!(
        world.hub.push(&request, &fat, Signed::ByHub("sha1")).await,
        202
    );
    assert_eq!(
        world
            .hub
            .push(&request, &fat, Signed::ByHub("sha384"))
            .await,
        202
    );
    world.wait_for_titles(&["B", "C"]).await;
    assert_eq!(world.polls().await, polls, "pushed, not polled");

    let metrics = metrics(address).await;
    for line in [
        "feedhook_pushes_ignored_total{reason=\"bad_signature\"} 1",
        "feedhook_pushes_ignored_total{reason=\"unsigned\"} 1",
        "feedhook_pushes_total{kind=\"fat\"} 3",
        "feedhook_push_subscriptions{state=\"subscribed\"} 1",
    ] {
        assert!(metrics.contains(line), "{line} in\n{metrics}");
    }
    running.stop().await;
    assert_eq!(
        world.sink.titles().await,
        ["B", "C"],
        "the forged entry never posted"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_thin_ping_polls_the_feed_at_once() {
    let (listener, address) = listener().await;
    let world = World::polled_every(address, "1h").await;
    let (running, request) = subscribed(&world, listener).await;
    let polls = world.polls().await;

    world.feeds.serve(
        "/feed.xml",
        Doc::rss(world.document(&[("b", "B"), ("a", "A")])),
    );
    assert_eq!(
        world.hub.push(&request, "", Signed::ByHub("sha512")).await,
        202
    );
    world.wait_for_titles(&["B"]).await;
    assert_eq!(world.polls().await, polls + 1);

    // A body that is no feed is a thin ping too; unsigned, it is ignored.
    world.feeds.serve(
        "/feed.xml",
        Doc::rss(world.document(&[("c", "C"), ("b", "B"), ("a", "A")])),
    );
    assert_eq!(
        world.hub.push(&request, "updated", Signed::Unsigned).await,
        202
    );
    assert_eq!(
        world
            .hub
            .push(&request, "updated", Signed::ByHub("sha256"))
            .await,
        202
    );
    world.wait_for_titles(&["B", "C"]).await;
    assert_eq!(world.polls().await, polls + 2);
    let metrics = metrics(address).await;
    assert!(
        metrics.contains("feedhook_pushes_total{kind=\"thin\"} 2"),
        "{metrics}"
    );
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hub_that_is_down_leaves_the_feed_to_its_own_polling() {
    let (listener, address) = listener().await;
    let world = World::new(address).await;
    world.hub.answer(503);
    let running = Running::start(&world.setup, listener);
    world.hub.nth_request(1).await;
    wait_for("the subscription to fail", async || {
        world
            .subscriptions()
            .first()
            .is_some_and(|s| s.state == PushState::Failed)
    })
    .await;
    world.feeds.serve(
        "/feed.xml",
        Doc::rss(world.document(&[("b", "B"), ("a", "A")])),
    );
    world.wait_for_titles(&["B"]).await;
    let (push, table) = status_push(&world);
    assert_eq!(push["state"], "failed", "{push}");
    assert_eq!(push["reason"], "the hub answered HTTP 503: hub trouble");
    assert!(
        table.contains("failed: the hub answered HTTP 503"),
        "{table}"
    );
    let metrics = metrics(address).await;
    assert!(
        metrics.contains("feedhook_push_subscriptions{state=\"failed\"} 1"),
        "{metrics}"
    );
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

#[tokio::test(flavor = "multi_thread")]
async fn instances_sharing_a_database_answer_each_others_subscriptions() {
    let hub = Hub::start().await;
    let database = common::pg::TestDatabase::create().await;
    let connect = async || Arc::new(Store::connect(&database.settings()).await.unwrap());
    let (store_a, store_b) = (connect().await, connect().await);
    let (asking, links) = subscriber(&hub, &store_a).await;
    let (answering, _) = subscriber(&hub, &store_b).await;
    asking.offer("blog", &links).await;
    let request = hub.nth_request(1).await;

    // The hub reached the other instance behind the public URL: it answers from the state.
    let answer = answering
        .verify(token(&request), &verification(&request, 86_400))
        .await;
    assert_eq!(answer.as_deref(), Some("c"));
    assert!(answering.is_active("blog"));
    let recipient = answering.recipient(token(&request)).await.unwrap();
    assert_eq!(Some(recipient.secret), request.secret);

    // The instance that asked learns of the verification at its next upkeep, and does not
    // give the subscription up as never verified.
    assert!(!asking.is_active("blog"));
    asking.upkeep(Utc::now()).await;
    assert!(asking.is_active("blog"), "verified elsewhere");
    asking.upkeep(Utc::now() + TimeDelta::minutes(61)).await;
    assert_eq!(
        asking.subscription("blog").unwrap().state,
        PushState::Verified
    );
    assert_eq!(hub.requests().await.len(), 1, "nothing asked again");
    assert!(answering.recipient("not-a-token").await.is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_thin_ping_at_an_instance_that_does_not_poll_the_feed_is_read_and_recorded_there() {
    use feedhook::poll::{PollContext, PushOutcome, record_pinged, scheduler};
    use feedhook::store::{InstanceInfo, LeaseKind};

    let database = common::pg::TestDatabase::create().await;
    let feeds = FeedServer::start().await;
    feeds.serve("/feed.xml", Doc::rss(common::rss(&[("a", "a")])));
    let text = format!(
        "[channels.c]\nkind = \"console\"\n\
         [[feeds]]\nname = \"blog\"\nurl = \"{}\"\nchannels = [\"c\"]\n",
        feeds.url("/feed.xml")
    );
    let config =
        feedhook::config::Config::from_toml_str(&text, std::path::Path::new("t.toml"), &|_| None)
            .unwrap();
    let context = |store: Arc<Store>| {
        let fetcher = Fetcher::new(&config.fetch, &config.feeds, &config.redactor).unwrap();
        Arc::new(PollContext::new(store, fetcher, Clock::new()))
    };
    let joined = async |host: &str| {
        let store = Store::connect(&database.settings()).await.unwrap();
        let info = InstanceInfo {
            host: host.to_owned(),
            pid: 1,
            config_digest: "same".to_owned(),
        };
        assert!(store.join(&info).await.unwrap().is_some());
        Arc::new(store)
    };
    // The first poll, by a one-off command: "a" is seen.
    let command = Arc::new(Store::connect(&database.settings()).await.unwrap());
    scheduler::poll_all_once(context(command), Arc::clone(&config.feeds), &|_, _| {})
        .await
        .unwrap();
    let holder = joined("holder").await;
    let names = vec!["blog".to_owned()];
    holder.offer_leases(LeaseKind::Feed, &names).await.unwrap();
    holder
        .claim_leases(LeaseKind::Feed, &names, 1)
        .await
        .unwrap();

    feeds.serve(
        "/feed.xml",
        Doc::rss(common::rss(&[("b", "b"), ("a", "a")])),
    );
    let other = joined("other").await;
    let recorded = record_pinged(&context(Arc::clone(&other)), &config.feeds[0])
        .await
        .unwrap();
    assert_eq!(
        recorded,
        PushOutcome::Recorded {
            new_entries: 1,
            queued: 1
        }
    );
    assert_eq!(other.channel_state("c").await.unwrap().pending, 1);
    // Once more: nothing new, nothing queued twice.
    let again = record_pinged(&context(other), &config.feeds[0])
        .await
        .unwrap();
    assert_eq!(
        again,
        PushOutcome::Recorded {
            new_entries: 0,
            queued: 0
        }
    );
}
