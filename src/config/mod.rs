//! The TOML configuration: read into `raw` serde types (unknown keys rejected), then validated into
//! [`Config`], the type the program runs with. Validation collects every problem at once, each naming
//! the file, the line and the key.
//!
//! - `document` (with `parts`): TOML text → the raw tables of `raw`; syntax errors, unknown keys
//!   and wrong types.
//! - raw tables → [`Config`], one module per table: `settings` (`[store]`, `[fetch]`, with
//!   `addresses`), `http`, `delivery` (`[delivery]`, and the same keys per channel),
//!   `channel/` (`[channels.NAME]`) and `feed/` (`[defaults]` and
//!   `[[feeds]]`), with `validate` for the channels and feeds together and the rules across them.
//! - What those share: `context` (the file's folder, the environment, via `env`), `values` (the
//!   value syntaxes), `calendar` (cron schedules in a time zone), `headers` (header tables),
//!   `secret` (secret URLs, passwords and the files holding them) and `report` (problems and
//!   warnings, located by line).
//! - `redact`: the [`Redactor`] built from the secrets of the validated config, which masks them in
//!   text from outside (webhook answers, fetch errors, log lines).
//!
//! `config.example.toml` at the repository root documents every key; a test keeps it complete.

mod addresses;
mod ca;
mod calendar;
mod channel;
mod context;
mod database;
mod delivery;
mod digest;
mod document;
mod env;
mod feed;
mod headers;
mod http;
mod parts;
mod raw;
mod redact;
mod report;
mod secret;
mod settings;
mod validate;
mod values;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use ca::CaBundle;
pub use calendar::CronSchedule;
pub use channel::{
    Address, CardOverrides, Channel, ChannelKind, ChannelOptions, ClientCertificate,
    ClientCredential, DigestSchedule, ENTRA_AUTHORITY, EmailSettings, EntraApp, FLOW_SCOPE,
    MAX_MENTIONS, MatrixRoom, NtfyTopic, RelaySecurity, SMTP_SCOPE, SUBMISSION_PORT,
    SUBMISSIONS_PORT, SmtpLogin, SmtpOauth, TELEGRAM_API, TeamsUrl, TelegramChat, Template,
};
pub use database::{DEFAULT_LEASE, DEFAULT_POOL, DatabaseSettings, DatabaseUrl, TlsMode};
pub use delivery::{DEFAULT_MAX_PAUSE, DEFAULT_POST_TIMEOUT, DeliveryPolicy};
pub use feed::{
    Cadence, Credentials, DEFAULT_BACKLOG, DEFAULT_INTERVAL, DEFAULT_MAX_BODY,
    DEFAULT_MAX_NEW_PER_POLL, DEFAULT_PUSH_INTERVAL, DEFAULT_TIMEOUT, Feed, FeedFilter,
    FetchOptions, FilterField, ProxySetting, Transport,
};
pub use http::HttpSettings;
pub use redact::{MIN_SECRET_CHARS, REDACTED, Redactor};
pub use report::Problem;
pub use secret::{Secret, SecretUrl, shown_feed_name, shown_url};
pub use settings::{
    DEFAULT_CONCURRENCY, DEFAULT_PER_HOST, DEFAULT_RETENTION, FetchSettings, StoreSettings,
};

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
    /// Masks every secret above in text from outside; handed to what turns such text into log
    /// lines, stored reasons or output.
    pub redactor: Arc<Redactor>,
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
        let ctx = context::Context {
            dir: source.parent().map(Path::to_path_buf).unwrap_or_default(),
            env,
        };
        let config = document::read(text, &mut report)
            .map(|raw| Self::validated(raw, source, &ctx, &mut report));
        let (problems, warnings) = report.into_sorted();
        match config {
            Some(mut config) if problems.is_empty() => {
                config.warnings = warnings.iter().map(ToString::to_string).collect();
                Ok(config)
            }
            _ => Err(ConfigError::Invalid(problems)),
        }
    }

    /// Every table of `raw` validated; the problems are in `report`.
    fn validated(
        mut raw: document::RawConfig,
        source: &Path,
        ctx: &context::Context<'_>,
        report: &mut report::Report,
    ) -> Config {
        let mut channels = validate::channels(&raw, ctx, report);
        let feeds = validate::feeds(&mut raw, ctx, report);
        validate::give_feed_mentions(&mut channels, &feeds);
        let store = settings::store(&raw.store, ctx, report);
        let secrets = redact::secrets_of(&channels, &feeds, store.database.as_ref());
        let redactor = Arc::new(Redactor::new(secrets));
        Config {
            source: source.to_path_buf(),
            store,
            fetch: settings::fetch(&raw.fetch, report),
            http: raw
                .http
                .as_ref()
                .and_then(|table| http::http(table, report)),
            channels,
            feeds: feeds.into(),
            warnings: Vec::new(),
            redactor,
        }
    }

    /// The feed whose name, or URL, is `key` (as `feedhook preview FEED` takes it); also a feed
    /// shown as `key` ([`shown_feed_name`]: what `status` shows of a feed named by its URL) when
    /// no other is shown alike.
    #[must_use]
    pub fn find_feed(&self, key: &str) -> Option<&Feed> {
        let by_url = || {
            let url = url::Url::parse(key).ok()?;
            self.feeds.iter().find(|feed| feed.url == url)
        };
        let by_shown_name = || {
            let mut shown = self.feeds.iter().filter(|feed| feed.display_name() == key);
            shown.next().filter(|_| shown.next().is_none())
        };
        self.feeds
            .iter()
            .find(|feed| feed.name == key)
            .or_else(by_url)
            .or_else(by_shown_name)
    }
}
