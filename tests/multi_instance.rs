//! Three real `feedhook run` processes on one fresh PostgreSQL database, with local feed servers and
//! a webhook sink: they share the feeds and the channels by leases, post every entry once, and
//! after a `kill -9` of one the others take its work over, losing nothing and repeating at most the
//! post it had in flight on each of its channels. The daemons reach the database through a proxy
//! the tests can cut: a database gone for longer than a lease loses nothing either.

#![allow(
    clippy::unwrap_used,
    clippy::format_collect,
    clippy::format_push_string
)]

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::process::Child;
use std::time::Duration;

use chrono::TimeDelta;
use feedhook::store::{LeaseHolder, LeaseKind, Store};

use common::cut::CutProxy;
use common::pg::TestDatabase;
use common::process::{Log, PATIENCE, signal, spawn_run, wait_exit, wait_for};
use common::{Doc, FeedServer, Setup, Sink, rss};

const FEEDS: usize = 6;
const CHANNELS: [&str; 3] = ["alpha", "beta", "gamma"];
const LEASE: Duration = Duration::from_secs(3);

/// The database, the feeds, the sink, and three daemons sharing them.
struct Cluster {
    /// Kept for as long as the daemons run on it; dropped last.
    _database: TestDatabase,
    /// Between the daemons and the database (the watcher connects directly).
    proxy: CutProxy,
    feeds: FeedServer,
    sink: Sink,
    /// The config file's folder, and the commands run on it.
    setup: Setup,
    daemons: Vec<(Child, Log)>,
    /// A store on the database that never joins: it reads what the daemons wrote.
    watcher: Store,
}

impl Cluster {
    async fn start() -> Self {
        let database = TestDatabase::create().await;
        let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
        for feed in 0..FEEDS {
            feeds.serve(&path(feed), Doc::rss(rss(&[(&key(feed, 0), "old")])));
        }
        let proxy = CutProxy::start(upstream(&database)).await;
        let setup = Setup::new("");
        std::fs::write(&setup.config_path, config(&database, &proxy, &feeds, &sink)).unwrap();
        let daemons = (0..3)
            .map(|_| {
                let mut child = spawn_run(&setup);
                let log = Log::follow(&mut child);
                (child, log)
            })
            .collect();
        let mut settings = database.settings();
        settings.lease = LEASE;
        let watcher = Store::connect(&settings).await.unwrap();
        let cluster = Self {
            _database: database,
            proxy,
            feeds,
            sink,
            setup,
            daemons,
            watcher,
        };
        cluster.wait_until_the_work_is_spread().await;
        cluster
    }

    /// Waits until every feed had its first poll, and the three instances hold two feeds and
    /// one channel each.
    async fn wait_until_the_work_is_spread(&self) {
        wait_for("the first polls and an even split", PATIENCE, async || {
            let polled = self.watcher.feed_states().await.unwrap();
            let feeds = self.holdings(LeaseKind::Feed).await;
            let channels = self.holdings(LeaseKind::Channel).await;
            polled.iter().filter(|f| f.last_poll_at.is_some()).count() == FEEDS
                && feeds.len() == 3
                && feeds.values().all(|held| held.len() == FEEDS / 3)
                && channels.len() == 3
                && channels.values().all(|held| held.len() == 1)
        })
        .await;
    }

    /// The running leases of `kind`, by owner.
    async fn holdings(&self, kind: LeaseKind) -> BTreeMap<String, Vec<LeaseHolder>> {
        let mut by_owner: BTreeMap<String, Vec<LeaseHolder>> = BTreeMap::new();
        for holder in self.watcher.lease_holders(kind).await.unwrap() {
            if let (true, Some(owner)) = (holder.running, holder.owner.clone()) {
                by_owner.entry(owner).or_default().push(holder);
            }
        }
        by_owner
    }

    /// Each feed lists `new` more entries, newest first, above what it listed.
    fn publish(&self, round: usize, new: usize) {
        for feed in 0..FEEDS {
            let keys: Vec<String> = (0..=round * new).rev().map(|n| key(feed, n)).collect();
            let items: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), k.as_str())).collect();
            self.feeds.serve(&path(feed), Doc::rss(rss(&items)));
        }
    }

    /// Waits until the sink holds every one of `expected` and no channel has anything pending;
    /// tells what is missing, who holds what and what the daemons logged if that never comes.
    async fn wait_for_deliveries(&self, expected: &BTreeSet<(String, String)>) {
        let names: Vec<String> = CHANNELS.iter().map(|c| (*c).to_owned()).collect();
        let start = std::time::Instant::now();
        loop {
            let posted: BTreeSet<(String, String)> = self
                .posts()
                .await
                .into_iter()
                .map(|p| (p.channel, p.title))
                .collect();
            let states = self.watcher.channel_states(&names).await.unwrap();
            if expected.is_subset(&posted) && states.iter().all(|state| state.pending == 0) {
                return;
            }
            if start.elapsed() > PATIENCE * 2 {
                let missing: Vec<_> = expected.difference(&posted).collect();
                let holders = self
                    .watcher
                    .lease_holders(LeaseKind::Channel)
                    .await
                    .unwrap();
                let logs: Vec<String> = self.daemons.iter().map(|(_, log)| log.text()).collect();
                panic!(
                    "missing {missing:?}\nstates {states:?}\nholders {holders:?}\nlogs:\n{}",
                    logs.join("\n---\n")
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn posts(&self) -> Vec<Post> {
        let requests = self
            .sink
            .server
            .received_requests()
            .await
            .unwrap_or_default();
        requests
            .iter()
            .map(|request| {
                let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
                Post {
                    channel: request.url.path().trim_start_matches("/hook/").to_owned(),
                    title: body["entry"]["title"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    key: request.headers["idempotency-key"]
                        .to_str()
                        .unwrap()
                        .to_owned(),
                }
            })
            .collect()
    }

    /// Stops the daemons still running with SIGTERM; returns their logs.
    fn stop(&mut self) -> Vec<String> {
        self.daemons
            .drain(..)
            .map(|(mut child, log)| {
                if child.try_wait().unwrap().is_none() {
                    signal(&child, "TERM");
                    assert_eq!(wait_exit(&mut child, PATIENCE), Some(0), "{}", log.text());
                }
                log.finish()
            })
            .collect()
    }
}

impl Drop for Cluster {
    /// A failed test leaves no daemon behind.
    fn drop(&mut self) {
        for (child, _) in &mut self.daemons {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// One post the sink received.
#[derive(Debug, Clone)]
struct Post {
    channel: String,
    title: String,
    key: String,
}

fn path(feed: usize) -> String {
    format!("/feed{feed}.xml")
}

fn key(feed: usize, n: usize) -> String {
    format!("f{feed}-e{n}")
}

/// The database's host and port, for the proxy.
fn upstream(database: &TestDatabase) -> String {
    let url = url::Url::parse(&database.url).unwrap();
    format!("{}:{}", url.host_str().unwrap(), url.port().unwrap_or(5432))
}

fn config(database: &TestDatabase, proxy: &CutProxy, feeds: &FeedServer, sink: &Sink) -> String {
    let mut url = url::Url::parse(&database.url).unwrap();
    url.set_port(Some(proxy.port)).unwrap();
    let mut config = format!(
        "[store]\nurl = \"{url}\"\nlease = \"{}s\"\n\n",
        LEASE.as_secs()
    );
    for channel in CHANNELS {
        config.push_str(&format!(
            "[channels.{channel}]\nkind = \"generic\"\nurl = \"{}/hook/{channel}\"\n\n",
            sink.server.uri()
        ));
    }
    for feed in 0..FEEDS {
        config.push_str(&format!(
            "[[feeds]]\nurl = \"{}\"\nchannels = {CHANNELS:?}\ninterval = \"1s\"\n\n",
            feeds.url(&path(feed))
        ));
    }
    config
}

/// Every (channel, title) of entries `from..=to` of every feed.
fn expected(from: usize, to: usize) -> BTreeSet<(String, String)> {
    let mut expected = BTreeSet::new();
    for feed in 0..FEEDS {
        for n in from..=to {
            for channel in CHANNELS {
                expected.insert((channel.to_owned(), key(feed, n)));
            }
        }
    }
    expected
}

/// How many times each Idempotency-Key was posted, for the keys posted more than once, by channel.
fn repeats(posts: &[Post]) -> HashMap<String, usize> {
    let mut by_key: HashMap<&str, (&str, usize)> = HashMap::new();
    for post in posts {
        by_key.entry(&post.key).or_insert((&post.channel, 0)).1 += 1;
    }
    let mut repeats = HashMap::new();
    for (channel, count) in by_key.into_values().filter(|(_, count)| *count > 1) {
        *repeats.entry(channel.to_owned()).or_default() += count - 1;
    }
    repeats
}

#[tokio::test(flavor = "multi_thread")]
async fn three_instances_share_the_work_and_post_every_entry_exactly_once() {
    let mut cluster = Cluster::start().await;
    cluster.publish(1, 3);
    let expected = expected(1, 3);
    cluster.wait_for_deliveries(&expected).await;

    let posts = cluster.posts().await;
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for post in &posts {
        *seen
            .entry((post.channel.clone(), post.title.clone()))
            .or_default() += 1;
    }
    assert_eq!(seen.keys().cloned().collect::<BTreeSet<_>>(), expected);
    assert!(seen.values().all(|count| *count == 1), "{seen:?}");
    assert_eq!(posts.len(), expected.len());
    // Per channel, oldest first, as with one instance.
    for channel in CHANNELS {
        for feed in 0..FEEDS {
            let order: Vec<&str> = posts
                .iter()
                .filter(|p| p.channel == channel && p.title.starts_with(&format!("f{feed}-")))
                .map(|p| p.title.as_str())
                .collect();
            let keys: Vec<String> = (1..=3).map(|n| key(feed, n)).collect();
            assert_eq!(order, keys, "{channel}");
        }
    }
    let instances = cluster.watcher.instances().await.unwrap();
    assert_eq!(instances.iter().filter(|i| i.live).count(), 3);

    // `status` on any host lists the live instances and which one works each channel.
    let shown = cluster.setup.run(&["status", "--json"]);
    assert!(shown.status.success(), "{}", common::stderr(&shown));
    let status: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    let listed = status["instances"].as_array().unwrap();
    assert_eq!(listed.len(), 3, "{status:#}");
    let pids: BTreeSet<u64> = listed.iter().map(|i| i["pid"].as_u64().unwrap()).collect();
    let running: BTreeSet<u64> = cluster
        .daemons
        .iter()
        .map(|(c, _)| u64::from(c.id()))
        .collect();
    assert_eq!(pids, running);
    assert!(
        listed
            .iter()
            .all(|i| i["same_config"] == true && i["feeds_held"] == 2)
    );
    let holders: BTreeSet<&str> = status["channels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["held_by"]["instance"].as_str().unwrap())
        .collect();
    assert_eq!(holders.len(), 3, "one channel each: {status:#}");
    let table = cluster.setup.run(&["status"]);
    let table = String::from_utf8_lossy(&table.stdout).into_owned();
    assert!(
        table.contains("HELD BY") && table.contains("LAST HEARTBEAT"),
        "{table}"
    );
    for log in cluster.stop() {
        assert!(
            log.contains("joined the instances sharing the database"),
            "{log}"
        );
        assert!(!log.contains("different configuration"), "{log}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn after_a_kill_9_the_others_take_over_within_two_leases_and_nothing_is_lost() {
    let mut cluster = Cluster::start().await;
    let instances = cluster.watcher.instances().await.unwrap();
    let (victim_child, victim_log) = cluster.daemons.remove(0);
    let victim = instances
        .iter()
        .find(|i| i.pid == victim_child.id())
        .expect("the first daemon has joined")
        .clone();
    let victim_channels: Vec<String> = cluster.holdings(LeaseKind::Channel).await[&victim.id]
        .iter()
        .map(|holder| holder.name.clone())
        .collect();
    let victim_feeds: Vec<String> = cluster.holdings(LeaseKind::Feed).await[&victim.id]
        .iter()
        .map(|holder| holder.name.clone())
        .collect();

    // Slow posts, so that the victim dies with one in flight.
    cluster.sink.delay(Duration::from_millis(300));
    cluster.publish(1, 2);
    let victim_channel = victim_channels[0].clone();
    wait_for(
        "a first post on the victim's channel",
        PATIENCE,
        async || {
            cluster
                .posts()
                .await
                .iter()
                .any(|p| p.channel == victim_channel)
        },
    )
    .await;
    let mut victim_child = victim_child;
    victim_child.kill().unwrap();
    victim_child.wait().unwrap();
    drop(victim_log.finish());

    let expected = expected(1, 2);
    cluster.wait_for_deliveries(&expected).await;
    let posts = cluster.posts().await;
    let posted: BTreeSet<(String, String)> = posts
        .iter()
        .map(|p| (p.channel.clone(), p.title.clone()))
        .collect();
    assert_eq!(posted, expected, "every entry arrives on every channel");
    let repeats = repeats(&posts);
    for (channel, count) in &repeats {
        assert!(
            victim_channels.contains(channel),
            "{channel} repeated {count}: {repeats:?}"
        );
        assert!(*count <= 1, "{channel} repeated {count}");
    }

    // Its leases went to live instances, claimed within two leases of its last heartbeat (both
    // times by the database's clock).
    let within = TimeDelta::from_std(LEASE * 2).unwrap();
    for (kind, names) in [
        (LeaseKind::Feed, &victim_feeds),
        (LeaseKind::Channel, &victim_channels),
    ] {
        for holder in cluster.watcher.lease_holders(kind).await.unwrap() {
            if !names.contains(&holder.name) {
                continue;
            }
            assert_ne!(
                holder.owner.as_deref(),
                Some(victim.id.as_str()),
                "{holder:?}"
            );
            let acquired = holder.acquired_at.expect("claimed again");
            let last_heartbeat = cluster
                .watcher
                .instances()
                .await
                .unwrap()
                .into_iter()
                .find(|i| i.id == victim.id)
                .map_or(victim.heartbeat_at, |i| i.heartbeat_at);
            assert!(
                acquired - last_heartbeat <= within,
                "{holder:?} after {last_heartbeat}"
            );
        }
    }
    let live = cluster.watcher.instances().await.unwrap();
    assert!(
        live.iter().all(|i| i.live != (i.id == victim.id)),
        "{live:?}"
    );
    cluster.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_gone_for_longer_than_a_lease_loses_nothing_and_posts_nothing_twice() {
    let mut cluster = Cluster::start().await;
    cluster.proxy.cut();
    // Published while no instance can record a poll; the leases run out meanwhile.
    cluster.publish(1, 2);
    tokio::time::sleep(LEASE * 3).await;
    assert!(
        cluster.proxy.refused() > 0,
        "the instances tried the database"
    );
    cluster.proxy.restore();

    let expected = expected(1, 2);
    cluster.wait_for_deliveries(&expected).await;
    let posts = cluster.posts().await;
    let posted: BTreeSet<(String, String)> = posts
        .iter()
        .map(|p| (p.channel.clone(), p.title.clone()))
        .collect();
    assert_eq!(posted, expected);
    assert_eq!(posts.len(), expected.len(), "nothing posted twice");
    cluster.wait_until_the_work_is_spread().await;
    for (child, log) in &mut cluster.daemons {
        assert!(child.try_wait().unwrap().is_none(), "{}", log.text());
    }
    for log in cluster.stop() {
        assert_eq!(
            log.matches("the database is unreachable").count(),
            1,
            "the outage is logged once per instance: {log}"
        );
        assert!(log.contains("the database answers again"), "{log}");
    }
}
