//! The process-wide tables: `[store]` (where the state lives, how long it is kept) and `[fetch]`
//! (how many fetches at once, which addresses feeds may reach).

use std::path::{Path, PathBuf};
use std::time::Duration;

use toml::Spanned;

use super::addresses::allow_list;
use super::context::Context;
use super::database::{DatabaseSettings, database};
use super::raw::{FetchRaw, StoreRaw};
use super::report::Report;
use super::values;

/// `[store] retention` when the file does not set it: 90 days.
pub const DEFAULT_RETENTION: Duration = Duration::from_secs(90 * 24 * 60 * 60);
/// `[fetch] concurrency` when the file does not set it.
pub const DEFAULT_CONCURRENCY: usize = 32;
/// `[fetch] per_host` when the file does not set it.
pub const DEFAULT_PER_HOST: usize = 4;

/// Shorter, and the entries of a feed that is unreachable for some hours would be forgotten and
/// posted again when it comes back.
const MIN_RETENTION: Duration = Duration::from_secs(24 * 60 * 60);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreSettings {
    /// Absolute, or relative to the working directory; a relative path in the file is resolved
    /// against the config file's folder.
    pub path: PathBuf,
    /// How long a seen entry is remembered after it left its feed, a finished (delivered or
    /// dead-lettered) delivery is kept, and a removed channel's deliveries stay parked
    /// (`retention`, default 90 days, at least 1 day).
    pub retention: Duration,
    /// The PostgreSQL database several instances share (`url` or `url_file`, with `pool`,
    /// `lease` and `ca_file`); when set, `path` is not used.
    pub database: Option<DatabaseSettings>,
}

impl StoreSettings {
    /// Where the state is, as messages show it: the database without its password, or the file.
    #[must_use]
    pub fn shown(&self) -> String {
        match &self.database {
            Some(database) => database.url.redacted(),
            None => self.path.display().to_string(),
        }
    }
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

pub(super) fn store(raw: &StoreRaw, ctx: &Context<'_>, report: &mut Report) -> StoreSettings {
    let path = match &raw.path {
        Some(path) if path.get_ref().trim().is_empty() => {
            report.error(path.span(), "store.path", "the path is empty");
            default_store_path(ctx.env)
        }
        // `join` keeps an absolute path as it is.
        Some(path) => ctx.dir.join(path.get_ref()),
        None => default_store_path(ctx.env),
    };
    let retention = raw
        .retention
        .as_ref()
        .map_or(DEFAULT_RETENTION, |retention| {
            parse_retention(retention.get_ref())
                .map_err(|message| report.error(retention.span(), "store.retention", message))
                .unwrap_or(DEFAULT_RETENTION)
        });
    StoreSettings {
        path,
        retention,
        database: database(raw, ctx, report),
    }
}

fn parse_retention(text: &str) -> Result<Duration, String> {
    let retention = values::duration(text)?;
    if retention < MIN_RETENTION {
        return Err(format!(
            "retention {text:?} is too short: the minimum is 1d, so that a feed that is down for a \
             while does not post its old entries again"
        ));
    }
    Ok(retention)
}

/// systemd's `StateDirectory=` sets `$STATE_DIRECTORY`, a `:`-separated list when the unit names
/// several; the first is ours.
fn default_store_path(env: &dyn Fn(&str) -> Option<String>) -> PathBuf {
    env("STATE_DIRECTORY")
        .and_then(|dirs| dirs.split(':').next().map(str::to_owned))
        .filter(|dir| !dir.is_empty())
        .map_or_else(
            || PathBuf::from("./feedhook.db"),
            |dir| Path::new(&dir).join("feedhook.db"),
        )
}

pub(super) fn fetch(raw: &FetchRaw, report: &mut Report) -> FetchSettings {
    let mut at_least_one = |value: &Option<Spanned<i64>>, key: &str, default: usize| {
        let Some(value) = value else { return default };
        match usize::try_from(*value.get_ref()) {
            Ok(n) if n >= 1 => n,
            _ => {
                let message = format!("must be at least 1, not {}", value.get_ref());
                report.error(value.span(), key, message);
                default
            }
        }
    };
    let concurrency = at_least_one(&raw.concurrency, "fetch.concurrency", DEFAULT_CONCURRENCY);
    let per_host = at_least_one(&raw.per_host, "fetch.per_host", DEFAULT_PER_HOST);
    let block = raw
        .block_private_addresses
        .as_ref()
        .is_some_and(|block| *block.get_ref());
    let allow = raw.allow_addresses.as_ref().map_or_else(Vec::new, |list| {
        if !block {
            let message = "allow_addresses has no effect unless block_private_addresses = true";
            report.warn(Some(list.span()), "fetch.allow_addresses", message);
        }
        allow_list(list, "fetch.allow_addresses", report)
    });
    FetchSettings {
        concurrency,
        per_host,
        block_private_addresses: block,
        allow_addresses: allow,
    }
}
