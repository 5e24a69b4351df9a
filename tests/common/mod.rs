//! Shared test helpers: a fake feed server, a webhook sink (both on 127.0.0.1), feed documents, and
//! ways to run feedhook — as a library or as the real binary — against a config in a temp folder.

#![allow(dead_code, clippy::unwrap_used, clippy::missing_panics_doc)]

pub mod cut;
pub mod hook;
pub mod hub;
pub mod pg;
pub mod platform;
pub mod process;
pub mod smtp;
pub mod tls;

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use feedhook::config::Config;
use feedhook::daemon::{self, OnceReport};
use feedhook::schedule::Clock;
use feedhook::store::{ChannelState, FeedState, Store};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers::any};

/// One document the feed server serves at a path.
#[derive(Clone)]
pub struct Doc {
    pub body: Vec<u8>,
    pub content_type: String,
    pub status: u16,
    pub delay: Duration,
    pub gzip: bool,
    pub extra_headers: Vec<(String, String)>,
}

impl Doc {
    pub fn new(body: impl Into<Vec<u8>>, content_type: &str) -> Self {
        Self {
            body: body.into(),
            content_type: content_type.into(),
            status: 200,
            delay: Duration::ZERO,
            gzip: false,
            extra_headers: vec![],
        }
    }

    pub fn rss(body: impl Into<Vec<u8>>) -> Self {
        Self::new(body, "application/rss+xml")
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.extra_headers.push((name.into(), value.into()));
        self
    }

    pub fn status(status: u16) -> Self {
        Self {
            status,
            ..Self::new("error", "text/plain")
        }
    }

    fn etag(&self) -> String {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(&self.body);
        format!("\"{digest:x}")[..17].to_owned() + "\""
    }
}

/// A feed server: serves [`Doc`]s by path with ETag/304 support.
pub struct FeedServer {
    pub server: MockServer,
    docs: Arc<Mutex<HashMap<String, Doc>>>,
}

struct FeedResponder(Arc<Mutex<HashMap<String, Doc>>>);

impl Respond for FeedResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let Some(doc) = self.0.lock().unwrap().get(request.url.path()).cloned() else {
            return ResponseTemplate::new(404);
        };
        if doc.status != 200 {
            let mut response = ResponseTemplate::new(doc.status)
                .set_body_string("error")
                .set_delay(doc.delay);
            for (name, value) in &doc.extra_headers {
                response = response.insert_header(name.as_str(), value.as_str());
            }
            return response;
        }
        let etag = doc.etag();
        let matches = request
            .headers
            .get("if-none-match")
            .and_then(|v| v.to_str().ok())
            == Some(etag.as_str());
        if matches {
            return ResponseTemplate::new(304).insert_header("etag", etag.as_str());
        }
        let mut response = ResponseTemplate::new(200)
            .insert_header("etag", etag.as_str())
            .set_delay(doc.delay);
        for (name, value) in &doc.extra_headers {
            response = response.insert_header(name.as_str(), value.as_str());
        }
        if doc.gzip {
            use std::io::Write;
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(&doc.body).unwrap();
            response
                .insert_header("content-encoding", "gzip")
                .set_body_raw(encoder.finish().unwrap(), &doc.content_type)
        } else {
            response.set_body_raw(doc.body, &doc.content_type)
        }
    }
}

impl FeedServer {
    pub async fn start() -> Self {
        let server = MockServer::builder()
            .listener(std::net::TcpListener::bind("127.0.0.1:0").unwrap())
            .start()
            .await;
        let docs = Arc::new(Mutex::new(HashMap::new()));
        Mock::given(any())
            .respond_with(FeedResponder(Arc::clone(&docs)))
            .mount(&server)
            .await;
        Self { server, docs }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.uri())
    }

    pub fn serve(&self, path: &str, doc: Doc) {
        self.docs.lock().unwrap().insert(path.to_owned(), doc);
    }

    /// The requests received for `path`.
    pub async fn requests(&self, path: &str) -> Vec<Request> {
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.url.path() == path)
            .collect()
    }
}

/// An RSS 2.0 document with `(guid, title)` items, newest first as feeds list them. Item `n`
/// (counting from the end) is dated n days after 2026-01-01.
pub fn rss(items: &[(&str, &str)]) -> String {
    let count = items.len();
    let items: String = items
        .iter()
        .enumerate()
        .map(|(i, (guid, title))| {
            let day = count - i;
            format!(
                "<item><guid isPermaLink=\"false\">{guid}</guid><title>{title}</title><link>https://example.com/{guid}</link>\
                 <description>&lt;p&gt;About {title}&lt;/p&gt;</description><pubDate>{day:02} Jan 2026 12:00:00 GMT</pubDate></item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Test feed</title><link>https://example.com/</link><description>t</description>{items}</channel></rss>"
    )
}

/// A scripted answer: status and extra headers.
type Answer = (u16, Vec<(String, String)>);
type Script = Arc<Mutex<VecDeque<Answer>>>;

/// A webhook sink: answers with scripted statuses (then 200) and records every body.
pub struct Sink {
    pub server: MockServer,
    script: Script,
    delay: Arc<Mutex<Duration>>,
    body: Arc<Mutex<String>>,
}

struct SinkResponder {
    script: Script,
    delay: Arc<Mutex<Duration>>,
    body: Arc<Mutex<String>>,
}

impl Respond for SinkResponder {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let (status, headers) = self
            .script
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or((200, vec![]));
        let mut response = ResponseTemplate::new(status)
            .set_delay(*self.delay.lock().unwrap())
            .set_body_string(self.body.lock().unwrap().clone());
        for (name, value) in headers {
            response = response.insert_header(name.as_str(), value.as_str());
        }
        response
    }
}

impl Sink {
    pub async fn start() -> Self {
        Self::start_on(std::net::TcpListener::bind("127.0.0.1:0").unwrap()).await
    }

    /// A sink on a given listener: a test can reserve an address, leave it closed for a while
    /// (connections refused), then start the sink there.
    pub async fn start_on(listener: std::net::TcpListener) -> Self {
        let server = MockServer::builder().listener(listener).start().await;
        let script = Arc::new(Mutex::new(VecDeque::new()));
        let delay = Arc::new(Mutex::new(Duration::ZERO));
        let body = Arc::new(Mutex::new(String::new()));
        let responder = SinkResponder {
            script: Arc::clone(&script),
            delay: Arc::clone(&delay),
            body: Arc::clone(&body),
        };
        Mock::given(any())
            .respond_with(responder)
            .mount(&server)
            .await;
        Self {
            server,
            script,
            delay,
            body,
        }
    }

    pub fn url(&self) -> String {
        format!("{}/hook/secret-token", self.server.uri())
    }

    /// The next answers, in order; after them every post gets 200.
    pub fn answer(&self, statuses: &[u16]) {
        self.script
            .lock()
            .unwrap()
            .extend(statuses.iter().map(|s| (*s, vec![])));
    }

    pub fn answer_with_header(&self, status: u16, name: &str, value: &str) {
        self.script
            .lock()
            .unwrap()
            .push_back((status, vec![(name.into(), value.into())]));
    }

    /// The body of every answer (the retired Teams connector answers "1" on success).
    pub fn answer_body(&self, body: &str) {
        body.clone_into(&mut self.body.lock().unwrap());
    }

    pub fn delay(&self, delay: Duration) {
        *self.delay.lock().unwrap() = delay;
    }

    /// Every body posted so far, as JSON.
    pub async fn bodies(&self) -> Vec<serde_json::Value> {
        let requests = self.server.received_requests().await.unwrap_or_default();
        requests
            .iter()
            .map(|r| serde_json::from_slice(&r.body).unwrap())
            .collect()
    }

    /// The entry titles of the generic payloads posted so far, in order.
    pub async fn titles(&self) -> Vec<String> {
        self.bodies()
            .await
            .iter()
            .map(|b| b["entry"]["title"].as_str().unwrap_or_default().to_owned())
            .collect()
    }
}

/// A temp folder holding a config file (and the state file beside it).
pub struct Setup {
    pub dir: tempfile::TempDir,
    pub config_path: PathBuf,
}

impl Setup {
    pub fn new(config: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config_path = dir.path().join("feedhook.toml");
        std::fs::write(
            &config_path,
            format!("[store]\npath = \"state.db\"\n\n{config}"),
        )
        .unwrap();
        Self { dir, config_path }
    }

    pub fn rewrite(&self, config: &str) {
        std::fs::write(
            &self.config_path,
            format!("[store]\npath = \"state.db\"\n\n{config}"),
        )
        .unwrap();
    }

    pub fn state_path(&self) -> PathBuf {
        self.dir.path().join("state.db")
    }

    /// The state file as recorded so far, opened beside a running daemon (WAL lets a reader in
    /// while it writes); `None` until the daemon has created it, so that a test never creates it
    /// first.
    pub fn state(&self) -> Option<Store> {
        let path = self.state_path();
        path.exists()
            .then(|| Store::open(&path).unwrap_or_else(|e| panic!("{e}")))
    }

    /// A channel's standing and outbox counts as recorded so far.
    pub fn channel_state(&self, channel: &str) -> Option<ChannelState> {
        let state = self.state()?;
        Some(wait(state.channel_state(channel)).unwrap())
    }

    /// Every feed's recorded state so far.
    pub fn feed_states(&self) -> Vec<FeedState> {
        self.state()
            .map(|state| wait(state.feed_states()).unwrap())
            .unwrap_or_default()
    }

    pub fn config(&self) -> Config {
        Config::load(&self.config_path).unwrap_or_else(|e| panic!("{e}"))
    }

    /// One `once` pass through the library.
    pub async fn once(&self) -> OnceReport {
        let config = self.config();
        let store = Arc::new(Store::open(&config.store.path).unwrap());
        daemon::once(&config, store, Clock::new()).await.unwrap()
    }

    /// The real binary with this config.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_feedhook"));
        command
            .arg("--config")
            .arg(&self.config_path)
            .args(args)
            .env_remove("RUST_LOG")
            .env_remove("JOURNAL_STREAM");
        command
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }
}

/// `[[feeds]]` and `[channels.hook]` (generic, to `sink`) for the given feed URLs.
pub fn generic_config(sink: &Sink, feeds: &[&str], extra_feed_keys: &str) -> String {
    let mut config = format!(
        "[channels.hook]\nkind = \"generic\"\nurl = \"{}\"\n\n",
        sink.url()
    );
    for url in feeds {
        config.push_str(&format!(
            "[[feeds]]\nurl = \"{url}\"\nchannels = [\"hook\"]\n{extra_feed_keys}\n\n"
        ));
    }
    config
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Runs a store call to its end from synchronous and async tests alike, on a runtime of its own in
/// a thread of its own (a runtime cannot be entered from inside another).
pub fn wait<T: Send>(future: impl Future<Output = T> + Send) -> T {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap()
                    .block_on(future)
            })
            .join()
            .unwrap()
    })
}
