//! Opening the pool and bringing the schema up to date.

use std::str::FromStr;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::config::SslMode;

use super::{Notes, Pg, Sharing, StoreError, migrations, outage::Outage, tls};
use crate::config::{DatabaseSettings, TlsMode};

/// How long a connection attempt, or a wait for a free pooled connection, may take before the
/// database counts as unreachable for that call.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl Pg {
    /// Connects to the database of `settings` and applies the migrations it lacks (under a lock,
    /// so that instances starting together do not race). Refuses a schema newer than this build's.
    pub async fn connect(settings: &DatabaseSettings) -> Result<Self, StoreError> {
        let shown = settings.url.redacted();
        let secrets = secrets_of(settings);
        let open_error = |message: String| StoreError::Open {
            path: shown.clone(),
            message,
        };
        let mut config = tokio_postgres::Config::from_str(settings.url.expose())
            .map_err(|error| open_error(error.to_string()))?;
        config.ssl_mode(match settings.url.tls() {
            TlsMode::Disable => SslMode::Disable,
            TlsMode::Prefer => SslMode::Prefer,
            TlsMode::Require | TlsMode::VerifyFull => SslMode::Require,
        });
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        config.application_name("feedhook");
        let tls =
            tls::connector(settings.url.tls(), settings.ca_file.as_ref()).map_err(open_error)?;
        let manager = Manager::from_config(
            config,
            tls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(settings.pool)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(CONNECT_TIMEOUT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .recycle_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(|error| open_error(error.to_string()))?;
        let pg = Self {
            pool,
            notes: Notes::default(),
            sharing: Sharing::new(settings.lease),
            outage: Outage::new(&shown),
            shown,
            secrets,
        };
        let mut client = pg.client().await?;
        migrations::apply(&mut client)
            .await
            .map_err(|failure| pg.store_error(failure))?;
        drop(client);
        pg.outage.arm();
        Ok(pg)
    }
}

/// The password as written in the URL and as sent: masked in every error.
fn secrets_of(settings: &DatabaseSettings) -> Vec<String> {
    let Some(password) = settings.url.password() else {
        return Vec::new();
    };
    let decoded = percent_encoding::percent_decode_str(password)
        .decode_utf8_lossy()
        .into_owned();
    [password.to_owned(), decoded]
        .into_iter()
        .filter(|secret| !secret.is_empty())
        .collect()
}
