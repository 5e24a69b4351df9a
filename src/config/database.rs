//! `[store] url`, `url_file`, `pool`, `lease`, `ca_file`: a PostgreSQL database that several
//! feedhook instances share, instead of the SQLite file `path` names. The URL holds the password:
//! it is a secret from the moment it is read, and no message here repeats it.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use toml::Spanned;

use super::ca::{CaBundle, ca_bundle};
use super::context::Context;
use super::raw::StoreRaw;
use super::report::Report;
use super::secret::{read_secret, without_final_line_break};
use super::values;

/// `[store] pool` when the file does not set it: connections per instance.
pub const DEFAULT_POOL: usize = 8;
/// `[store] lease` when the file does not set it.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(30);

/// Where and how to reach the PostgreSQL database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseSettings {
    pub url: DatabaseUrl,
    /// Connections this instance keeps open at most (`pool`, default 8).
    pub pool: usize,
    /// How long an instance's claim on a feed or a channel lasts without renewal (`lease`).
    pub lease: Duration,
    /// Certificates trusted besides the system roots (`ca_file`).
    pub ca_file: Option<CaBundle>,
}

impl DatabaseSettings {
    /// The settings of `url` with every other key at its default.
    #[must_use]
    pub fn new(url: DatabaseUrl) -> Self {
        Self {
            url,
            pool: DEFAULT_POOL,
            lease: DEFAULT_LEASE,
            ca_file: None,
        }
    }
}

/// How the connection is encrypted: the URL's `sslmode`, with libpq's meanings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// `disable`: plain TCP.
    Disable,
    /// `prefer` (the default, as with libpq): TLS when the server offers it, its certificate not
    /// checked.
    Prefer,
    /// `require`: TLS or no connection; the certificate is checked only against `ca_file` when
    /// one is set (libpq does the same with its root certificate file).
    Require,
    /// `verify-full`: TLS, a certificate chain to a system root or `ca_file`, for the URL's host.
    VerifyFull,
}

/// A `postgres://` URL without its `sslmode` (read into [`TlsMode`]). `Debug` and `Display` show
/// `postgres://host:port/database` only; [`DatabaseUrl::expose`] gives the whole URL, password
/// included, to the one place that connects.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    url: url::Url,
    tls: TlsMode,
}

impl DatabaseUrl {
    /// Reads a `postgres://` or `postgresql://` URL. The reason of a failure never repeats it.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut url = url::Url::parse(text.trim())
            .map_err(|error| format!("not a valid database URL: {error}"))?;
        if !matches!(url.scheme(), "postgres" | "postgresql") {
            return Err(format!(
                "the database URL must start with postgres://, not {}:",
                url.scheme()
            ));
        }
        let mut tls = TlsMode::Prefer;
        let mut others = Vec::new();
        for (key, value) in url.query_pairs() {
            if key == "sslmode" {
                tls = tls_mode(&value)?;
            } else {
                others.push((key.into_owned(), value.into_owned()));
            }
        }
        url.set_query(None);
        if !others.is_empty() {
            url.query_pairs_mut().extend_pairs(others);
        }
        tokio_postgres::Config::from_str(url.as_str())
            .map_err(|error| format!("not a valid database URL: {error}"))?;
        Ok(Self { url, tls })
    }

    /// The whole URL, password included, without `sslmode`.
    #[must_use]
    pub fn expose(&self) -> &str {
        self.url.as_str()
    }

    #[must_use]
    pub fn tls(&self) -> TlsMode {
        self.tls
    }

    /// The password, to be masked wherever text from the database may quote it.
    #[must_use]
    pub fn password(&self) -> Option<&str> {
        self.url.password()
    }

    /// `postgres://host:port/database` — what logs, errors and `status` show.
    #[must_use]
    pub fn redacted(&self) -> String {
        let host = self.url.host_str().unwrap_or("");
        let port = self.url.port().map(|p| format!(":{p}")).unwrap_or_default();
        format!("postgres://{host}{port}{}", self.url.path())
    }
}

fn tls_mode(text: &str) -> Result<TlsMode, String> {
    match text {
        "disable" => Ok(TlsMode::Disable),
        "prefer" => Ok(TlsMode::Prefer),
        "require" => Ok(TlsMode::Require),
        "verify-full" => Ok(TlsMode::VerifyFull),
        other => Err(format!(
            "sslmode {other:?} is not supported: use disable, prefer, require or verify-full"
        )),
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({}, {:?})", self.redacted(), self.tls)
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// The database settings of `[store]`, `None` when it names no database (or a wrong one, reported).
pub(super) fn database(
    raw: &StoreRaw,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Option<DatabaseSettings> {
    let url = match (&raw.url, &raw.url_file) {
        (None, None) => {
            refuse_without_url(raw, report);
            return None;
        }
        (Some(_), Some(file)) => {
            let message = "set either url or url_file, not both";
            report.error(file.span(), "store.url_file", message);
            return None;
        }
        (Some(url), None) => located(url, "store.url", report, ctx.expand(url.get_ref())),
        (None, Some(file)) => {
            let text = ctx.path(file.get_ref()).and_then(|path| {
                read_secret(&path, "database URL", without_final_line_break)
                    .map(|text| text.trim().to_owned())
            });
            located(file, "store.url_file", report, text)
        }
    }?;
    if let Some(path) = &raw.path {
        let message = "set either path (SQLite) or url (PostgreSQL), not both";
        report.error(path.span(), "store.path", message);
    }
    Some(DatabaseSettings {
        url,
        pool: pool(raw, report),
        lease: lease(raw, report),
        ca_file: raw.ca_file.as_ref().and_then(|file| {
            ca_bundle(file.get_ref(), ctx)
                .map_err(|message| report.error(file.span(), "store.ca_file", message))
                .ok()
        }),
    })
}

fn located(
    value: &Spanned<String>,
    key: &str,
    report: &mut Report,
    text: Result<String, String>,
) -> Option<DatabaseUrl> {
    text.and_then(|text| DatabaseUrl::parse(&text))
        .map_err(|message| report.error(value.span(), key, message))
        .ok()
}

/// `pool`, `lease` and `ca_file` mean something only with a database.
fn refuse_without_url(raw: &StoreRaw, report: &mut Report) {
    let spans = [
        ("store.pool", raw.pool.as_ref().map(Spanned::span)),
        ("store.lease", raw.lease.as_ref().map(Spanned::span)),
        ("store.ca_file", raw.ca_file.as_ref().map(Spanned::span)),
    ];
    for (key, span) in spans {
        if let Some(span) = span {
            report.error(
                span,
                key,
                "takes effect only with url (a PostgreSQL database)",
            );
        }
    }
}

fn pool(raw: &StoreRaw, report: &mut Report) -> usize {
    let Some(pool) = &raw.pool else {
        return DEFAULT_POOL;
    };
    match usize::try_from(*pool.get_ref()) {
        Ok(n) if n >= 1 => n,
        _ => {
            let message = format!("must be at least 1, not {}", pool.get_ref());
            report.error(pool.span(), "store.pool", message);
            DEFAULT_POOL
        }
    }
}

fn lease(raw: &StoreRaw, report: &mut Report) -> Duration {
    let Some(lease) = &raw.lease else {
        return DEFAULT_LEASE;
    };
    match values::duration(lease.get_ref()) {
        Ok(value) if value >= Duration::from_secs(1) => value,
        Ok(_) => {
            report.error(lease.span(), "store.lease", "must be at least 1s");
            DEFAULT_LEASE
        }
        Err(message) => {
            report.error(lease.span(), "store.lease", message);
            DEFAULT_LEASE
        }
    }
}

#[cfg(test)]
mod tests;
