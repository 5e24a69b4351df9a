//! A failure inside the PostgreSQL backend, and how the driver's errors map onto a [`StoreError`].

use tokio_postgres::error::SqlState;

use crate::store::{DeliveryId, StoreError};

/// A failure before it is given the database's name and becomes a [`StoreError`].
#[derive(Debug)]
pub(super) enum Failure {
    Sql(tokio_postgres::Error),
    Pool(deadpool_postgres::PoolError),
    TooNew {
        found: i64,
        known: i64,
    },
    /// A value that cannot be encoded for storage.
    Encode(String),
    /// An outbox operation named a delivery that is not waiting to be sent.
    NotPending(DeliveryId),
    /// The lease a write needs is held by another instance now: `work` names the feed or channel.
    Fenced(String),
}

impl From<tokio_postgres::Error> for Failure {
    fn from(err: tokio_postgres::Error) -> Self {
        Self::Sql(err)
    }
}

impl From<deadpool_postgres::PoolError> for Failure {
    fn from(err: deadpool_postgres::PoolError) -> Self {
        Self::Pool(err)
    }
}

impl Failure {
    /// `database` names the database in messages; each of `secrets` is masked in them.
    pub(super) fn into_store_error(self, database: &str, secrets: &[String]) -> StoreError {
        let masked = |text: String| {
            secrets.iter().fold(text, |text, secret| {
                text.replace(secret.as_str(), "[redacted]")
            })
        };
        let unavailable = |message: String| StoreError::Unavailable {
            database: database.to_owned(),
            message: masked(message),
        };
        match self {
            Self::Pool(err) => unavailable(pool_message(&err)),
            Self::Sql(err) if is_connection_loss(&err) => unavailable(sql_message(&err)),
            Self::Sql(err) if err.code() == Some(&SqlState::DISK_FULL) => {
                StoreError::DiskFull(masked(sql_message(&err)))
            }
            Self::Sql(err) => StoreError::Database(masked(sql_message(&err))),
            Self::TooNew { found, known } => StoreError::TooNew {
                path: database.to_owned(),
                found,
                known,
            },
            Self::Encode(message) => StoreError::Database(message),
            Self::NotPending(id) => StoreError::NotPending(id.0),
            Self::Fenced(work) => StoreError::Fenced { work },
        }
    }
}

/// Lost or refused connections, and a server shutting down or starting up: worth trying again.
fn is_connection_loss(err: &tokio_postgres::Error) -> bool {
    if err.is_closed() {
        return true;
    }
    match err.code() {
        // Class 08 (connection exception), 57P01–57P03 (shutdown, crash, cannot connect now).
        Some(code) => {
            code.code().starts_with("08")
                || [
                    SqlState::ADMIN_SHUTDOWN,
                    SqlState::CRASH_SHUTDOWN,
                    SqlState::CANNOT_CONNECT_NOW,
                ]
                .contains(code)
        }
        // No answer from the server: the socket failed under us.
        None => std::error::Error::source(err)
            .is_some_and(<dyn std::error::Error>::is::<std::io::Error>),
    }
}

/// The driver's own text is terse ("db error"); the server's message and detail say what failed.
fn sql_message(err: &tokio_postgres::Error) -> String {
    match err.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{}: {detail}", db.message()),
            None => db.message().to_owned(),
        },
        None => match std::error::Error::source(err) {
            Some(cause) => format!("{err}: {cause}"),
            None => err.to_string(),
        },
    }
}

fn pool_message(err: &deadpool_postgres::PoolError) -> String {
    match err {
        deadpool_postgres::PoolError::Backend(err) => sql_message(err),
        other => other.to_string(),
    }
}
