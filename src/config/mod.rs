//! The TOML configuration: read into `raw` serde types (unknown keys rejected), then validated into
//! [`Config`], the type the program runs with. Validation collects every problem at once, each naming
//! the file, the line and the key.
//!
//! - `document`: TOML text → raw tables; syntax errors, unknown keys and wrong types.
//! - `validate` (with `channels`, `options`, `card`, `headers`, `http`, `poll`, `filters`, `values`,
//!   `env`, and for fetching `fetch_keys`, `credentials`, `addresses`): raw tables → [`Config`].
//! - `report`: problems and warnings, located by line.
//!
//! `config.example.toml` at the repository root documents every key; a test keeps it complete.

mod addresses;
mod card;
mod channels;
mod credentials;
mod document;
mod env;
mod fetch_keys;
mod fetch_options;
mod filters;
mod headers;
mod http;
mod options;
mod parts;
mod poll;
mod raw;
mod report;
mod secret;
mod validate;
mod values;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub use card::CardOverrides;
pub use fetch_options::{
    CaBundle, Credentials, FetchOptions, ProxySetting, ProxyUrl, Secret, Transport,
};
pub use filters::{FeedFilter, FilterField};
pub use secret::WebhookUrl;

/// `[store] retention` when the file does not set it: 90 days.
pub const DEFAULT_RETENTION: Duration = Duration::from_secs(90 * 24 * 60 * 60);
/// `[fetch] concurrency` when the file does not set it.
pub const DEFAULT_CONCURRENCY: usize = 32;
/// `[fetch] per_host` when the file does not set it.
pub const DEFAULT_PER_HOST: usize = 4;
/// A feed's `interval` when neither it nor `[defaults]` sets `interval` or `schedule`.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(15 * 60);
/// A feed's `backlog` when neither it nor `[defaults]` sets one.
pub const DEFAULT_BACKLOG: usize = 0;
/// A feed's `max_new_per_poll` when neither it nor `[defaults]` sets one.
pub const DEFAULT_MAX_NEW_PER_POLL: usize = 20;
/// A feed's `timeout` when neither it nor `[defaults]` sets one.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// A feed's `max_body` when neither it nor `[defaults]` sets one: 10 MiB.
pub const DEFAULT_MAX_BODY: u64 = 10 * 1024 * 1024;

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file this configuration was read from.
    pub source: PathBuf,
    pub store: StoreSettings,
    pub fetch: FetchSettings,
    /// The metrics and health endpoint (`[http]`); `None`: nothing listens.
    pub http: Option<HttpSettings>,
    /// Channels by name.
    pub channels: BTreeMap<String, Channel>,
    /// Feeds in file order, shared: the poll loop and the status reporter hold the same list.
    pub feeds: Arc<[Feed]>,
    /// Problems that do not stop feedhook from running (an interval under a minute, …).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreSettings {
    /// Absolute, or relative to the working directory; a relative path in the file is resolved
    /// against the config file's folder.
    pub path: PathBuf,
    /// How long a seen entry is remembered after it left its feed, and a finished (delivered or
    /// dead-lettered) delivery is kept (`retention`, default 90 days, at least 1 day).
    pub retention: Duration,
}

/// Process-wide fetch settings (`[fetch]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchSettings {
    /// Feeds fetched at once, across all hosts (`concurrency`, default 32).
    pub concurrency: usize,
    /// Feeds fetched at once from one host (`per_host`, default 4).
    pub per_host: usize,
    /// Refuse to connect to loopback, private, link-local and other non-public addresses
    /// (`block_private_addresses`, default false).
    pub block_private_addresses: bool,
    /// Networks reachable even so (`allow_addresses`).
    pub allow_addresses: Vec<ipnet::IpNet>,
}

impl Default for FetchSettings {
    fn default() -> Self {
        Self {
            concurrency: DEFAULT_CONCURRENCY,
            per_host: DEFAULT_PER_HOST,
            block_private_addresses: false,
            allow_addresses: Vec::new(),
        }
    }
}

/// The operator's HTTP endpoint, `/metrics` and `/healthz` (`[http]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpSettings {
    /// The socket address to listen on (`listen`), e.g. `127.0.0.1:9184`.
    pub listen: std::net::SocketAddr,
}

/// A chat channel: where cards are posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    pub name: String,
    pub kind: ChannelKind,
    /// The incoming webhook. `None` only for `console`.
    pub url: Option<WebhookUrl>,
    /// How cards look in this channel.
    pub options: ChannelOptions,
    /// The least time between two posts (`rate = "1/s"`); `None` for the kind's default.
    pub spacing: Option<Duration>,
    /// Extra HTTP headers sent with every post (`headers`, generic channels; values may use `${VAR}`).
    pub headers: Vec<(String, String)>,
}

/// Per-channel presentation options. Each renderer reads the ones its platform supports; `check`
/// rejects an option on a kind that cannot use it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelOptions {
    /// The poster's display name (`username`: Slack, Discord, Mattermost).
    pub username: Option<String>,
    /// The poster's avatar, an https URL (`icon_url`: Slack, Discord as avatar_url, Mattermost).
    pub icon_url: Option<String>,
    /// A channel override (`channel`: Mattermost, legacy Slack webhooks).
    pub channel: Option<String>,
    /// A minijinja template for the request body (`template`: generic only). It sees `feed` and
    /// `entry` exactly as the default generic object has them.
    pub template: Option<String>,
    /// Changes to every card of this channel, whatever its kind.
    pub card: CardOverrides,
}

/// The chat platform a channel posts to (`kind = "…"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChannelKind {
    /// Microsoft Teams Workflows webhook with an Adaptive Card 1.4.
    Teams,
    /// The retired Office 365 connector webhook of Teams, with a legacy `MessageCard`.
    TeamsMessageCard,
    /// Slack incoming webhook with Block Kit.
    Slack,
    /// Discord execute-webhook with one embed.
    Discord,
    /// Mattermost incoming webhook (Slack-compatible).
    Mattermost,
    /// Google Chat space webhook with a `cardsV2` card.
    GoogleChat,
    /// A generic JSON webhook receiving feedhook's documented entry object (or a template).
    Generic,
    /// Readable text on standard output.
    Console,
}

impl ChannelKind {
    /// Every kind, in the order the docs list them.
    pub const ALL: [ChannelKind; 8] = [
        Self::Teams,
        Self::TeamsMessageCard,
        Self::Slack,
        Self::Discord,
        Self::Mattermost,
        Self::GoogleChat,
        Self::Generic,
        Self::Console,
    ];

    /// The name used in the config file.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Teams => "teams",
            Self::TeamsMessageCard => "teams-messagecard",
            Self::Slack => "slack",
            Self::Discord => "discord",
            Self::Mattermost => "mattermost",
            Self::GoogleChat => "google-chat",
            Self::Generic => "generic",
            Self::Console => "console",
        }
    }
}

impl std::fmt::Display for ChannelKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A feed and the channels it posts to.
#[derive(Debug, Clone)]
pub struct Feed {
    /// The feed's identity in the state, logs, status and cards: `name` if set, else the URL.
    pub name: String,
    pub url: url::Url,
    /// Names of the channels subscribed to this feed; each exists in [`Config::channels`].
    pub channels: Vec<String>,
    pub cadence: Cadence,
    /// Entries queued from the feed's first poll (the newest N).
    pub backlog: usize,
    /// Deadline for one fetch, connect to last byte.
    pub timeout: Duration,
    /// Cap on the decoded body size, in bytes.
    pub max_body: u64,
    /// The most entries one poll after the first posts (0: no limit); more than that looks like a
    /// publisher rewriting its ids, and the rest are summarised in one card.
    pub max_new_per_poll: usize,
    /// Entries published longer ago than this are recorded and not posted.
    pub max_age: Option<Duration>,
    /// Which new entries are posted; the others are recorded as seen and never posted.
    pub filter: FeedFilter,
    /// Headers, credentials, proxy and TLS settings for fetching this feed.
    pub fetch: FetchOptions,
}

/// How often a feed is polled.
#[derive(Debug, Clone)]
pub enum Cadence {
    /// Every interval at most (a poll comes a little early, never late).
    Every(Duration),
    /// On a cron schedule (seconds field first, as the `cron` crate reads it).
    Cron(Box<cron::Schedule>),
}

/// One problem in the configuration, located in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The dotted key path, e.g. `feeds[2].interval` (0-based: the third `[[feeds]]`) or
    /// `channels.ops.url`.
    pub key: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(
                f,
                "{}:{line}: {}: {}",
                self.file.display(),
                self.key,
                self.message
            ),
            None => write!(f, "{}: {}: {}", self.file.display(), self.key, self.message),
        }
    }
}

/// Why the configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} problem(s) in the configuration:\n{}", .0.len(), render_problems(.0))]
    Invalid(Vec<Problem>),
}

fn render_problems(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Config {
    /// Reads and validates the configuration file at `path`, expanding `${VAR}` from the environment
    /// and reading `url_file`s.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_toml_str(&text, path, &|name| std::env::var(name).ok())
    }

    /// Validates `text` as if read from the file `source` (which locates problems and anchors relative
    /// paths), reading `${VAR}` through `env` rather than the process environment. `url_file`s are read.
    pub fn from_toml_str(
        text: &str,
        source: &Path,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let mut report = report::Report::new(source, text);
        let ctx = validate::Context {
            dir: source.parent().map(Path::to_path_buf).unwrap_or_default(),
            env,
        };
        let config = document::read(text, &mut report)
            .map(|raw| validate::config(raw, source, &ctx, &mut report));
        let (problems, warnings) = report.into_sorted();
        match config {
            Some(mut config) if problems.is_empty() => {
                config.warnings = warnings.iter().map(ToString::to_string).collect();
                Ok(config)
            }
            _ => Err(ConfigError::Invalid(problems)),
        }
    }

    /// The feed whose name, or URL, is `key` (as `feedhook preview FEED` takes it).
    #[must_use]
    pub fn find_feed(&self, key: &str) -> Option<&Feed> {
        self.feeds.iter().find(|feed| feed.name == key).or_else(|| {
            let url = url::Url::parse(key).ok()?;
            self.feeds.iter().find(|feed| feed.url == url)
        })
    }
}
