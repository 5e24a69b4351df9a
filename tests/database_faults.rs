//! The PostgreSQL state going away under a running daemon, through a proxy the test cuts: the
//! daemon keeps running, logs the outage once and its end, says not-ready at /healthz meanwhile,
//! and afterwards posts every entry exactly once.

#![allow(
    clippy::unwrap_used,
    clippy::format_collect,
    clippy::format_push_string
)]

mod common;

use std::net::SocketAddr;
use std::process::{Child, Stdio};

use common::cut::CutProxy;
use common::pg::TestDatabase;
use common::process::{Log, PATIENCE, signal, wait_exit, wait_for};
use common::{Doc, FeedServer, Setup, Sink, generic_config, rss};
use feedhook::store::Store;

const PASSWORD: &str = "never-shown-outage-password";
const FEEDS: [&str; 3] = ["a", "b", "c"];

/// `database`, reached through `proxy`, with a password (which trust authentication ignores).
fn url_through(proxy: &CutProxy, database: &TestDatabase) -> String {
    let mut url = url::Url::parse(&database.url).unwrap();
    url.set_port(Some(proxy.port)).unwrap();
    url.set_password(Some(PASSWORD)).unwrap();
    url.to_string()
}

fn upstream(database: &TestDatabase) -> String {
    let url = url::Url::parse(&database.url).unwrap();
    format!("{}:{}", url.host_str().unwrap(), url.port().unwrap_or(5432))
}

fn free_address() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

async fn healthz(address: SocketAddr) -> (u16, String) {
    let response = reqwest::get(format!("http://{address}/healthz"))
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn serve_each(feeds: &FeedServer, round: &str) {
    for feed in FEEDS {
        let items: Vec<(String, String)> = ["1", round]
            .iter()
            .rev()
            .map(|n| (format!("{feed}{n}"), format!("{feed}{n}")))
            .collect();
        let items: Vec<(&str, &str)> = items
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        feeds.serve(&format!("/{feed}.xml"), Doc::rss(rss(&items)));
    }
}

/// Every feed has had its first poll.
async fn all_polled(store: &Store) -> bool {
    let states = store.feed_states().await.unwrap();
    states.len() == FEEDS.len()
        && states
            .iter()
            .all(|s| s.last_result.as_deref() == Some("ok"))
}

/// A daemon on a fresh database reached through a proxy, its three feeds polled once.
struct Outage {
    database: TestDatabase,
    proxy: CutProxy,
    feeds: FeedServer,
    sink: Sink,
    setup: Setup,
    daemon: Child,
    log: Log,
    /// The state, straight from the server.
    direct: Store,
    address: SocketAddr,
}

impl Outage {
    async fn start() -> Self {
        let database = TestDatabase::create().await;
        let proxy = CutProxy::start(upstream(&database)).await;
        let (feeds, sink) = (FeedServer::start().await, Sink::start().await);
        serve_each(&feeds, "1");
        let urls: Vec<String> = FEEDS
            .iter()
            .map(|f| feeds.url(&format!("/{f}.xml")))
            .collect();
        let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
        let address = free_address();
        let setup = Setup::new("");
        let config = format!(
            "[store]\nurl = \"${{FEEDHOOK_DB_URL}}\"\n\n[http]\nlisten = \"{address}\"\n\n{}",
            generic_config(&sink, &urls, "interval = \"1s\"")
        );
        std::fs::write(&setup.config_path, config).unwrap();
        let mut daemon = setup
            .command(&["run"])
            .env("FEEDHOOK_DB_URL", url_through(&proxy, &database))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Log::follow(&mut daemon);
        let direct = Store::connect(&database.settings()).await.unwrap();
        wait_for("the first polls", PATIENCE, async || {
            all_polled(&direct).await
        })
        .await;
        log.wait_for("serving /metrics and /healthz").await;
        Self {
            database,
            proxy,
            feeds,
            sink,
            setup,
            daemon,
            log,
            direct,
            address,
        }
    }

    /// Restores the proxy after several refused connections, waits for every new entry, stops the
    /// daemon; checks that each was posted once, none failed, and the log spoke of the outage
    /// once, never of the password.
    async fn restore_and_check(mut self) {
        wait_for("several probes", PATIENCE, async || {
            self.proxy.refused() >= 4
        })
        .await;
        self.proxy.restore();
        self.log.wait_for("the database answers again").await;
        wait_for("the new entries", PATIENCE, async || {
            self.sink.titles().await.len() >= 3
        })
        .await;
        wait_for("/healthz to say ready", PATIENCE, async || {
            healthz(self.address).await.0 == 200
        })
        .await;
        signal(&self.daemon, "TERM");
        let code = wait_exit(&mut self.daemon, PATIENCE);
        let text = self.log.text();
        assert_eq!(code, Some(0), "{text}");
        let mut titles = self.sink.titles().await;
        titles.sort();
        assert_eq!(titles, ["a2", "b2", "c2"], "{text}");
        for once in ["the database is unreachable", "the database answers again"] {
            assert_eq!(text.matches(once).count(), 1, "{text}");
        }
        assert!(!text.contains("cannot record the poll"), "{text}");
        assert!(!text.contains("delivery state"), "{text}");
        assert!(!text.contains(PASSWORD), "{text}");
        let hook = self.direct.channel_state("hook").await.unwrap();
        assert_eq!((hook.pending, hook.failed, hook.delivered), (0, 0, 3));
        drop(self.setup);
        drop(self.database);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn polls_during_an_outage_are_read_again_and_healthz_says_not_ready() {
    let outage = Outage::start().await;
    assert_eq!(healthz(outage.address).await.0, 200);
    outage.proxy.cut();
    serve_each(&outage.feeds, "2");
    outage.log.wait_for("the database is unreachable").await;
    wait_for("/healthz to say not ready", PATIENCE, async || {
        healthz(outage.address).await.0 == 503
    })
    .await;
    let (_, reason) = healthz(outage.address).await;
    assert!(reason.contains("unreachable"), "{reason}");
    assert!(!reason.contains(PASSWORD), "{reason}");
    outage.restore_and_check().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn deliveries_in_flight_and_pending_wait_for_the_database_and_are_not_failed() {
    let outage = Outage::start().await;
    // Each post is answered after a while: the first is in flight when the database goes.
    outage.sink.delay(std::time::Duration::from_millis(1500));
    serve_each(&outage.feeds, "2");
    wait_for("a post in flight", PATIENCE, async || {
        !outage.sink.bodies().await.is_empty()
    })
    .await;
    outage.proxy.cut();
    outage.log.wait_for("the database is unreachable").await;
    outage.restore_and_check().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reload_during_an_outage_starts_once_the_database_answers() {
    let outage = Outage::start().await;
    outage.proxy.cut();
    outage.log.wait_for("the database is unreachable").await;
    serve_each(&outage.feeds, "2");
    signal(&outage.daemon, "HUP");
    outage.log.wait_for("configuration reloaded").await;
    outage
        .log
        .wait_for("cannot start before the database answers")
        .await;
    assert!(
        !outage.log.text().contains("the daemon stopped"),
        "{}",
        outage.log.text()
    );
    outage.restore_and_check().await;
}
