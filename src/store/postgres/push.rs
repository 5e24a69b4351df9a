//! WebSub subscriptions: one row per feed, looked up by feed or by callback token (see
//! `sqlite/push.rs`: the same rules).

use tokio_postgres::Row;

use super::columns::{count_u32, millis, text};
use super::{Pg, StoreError};
use crate::store::{PushState, PushSubscription};

const COLUMNS: &str = "feed, topic, hub, token, secret, state, reason, lease_expires_at, \
                       requested_at, hub_failures";

impl Pg {
    /// Every subscription the state keeps, by feed name.
    pub async fn push_subscriptions(&self) -> Result<Vec<PushSubscription>, StoreError> {
        let client = self.client().await?;
        let sql = format!("SELECT {COLUMNS} FROM push_subscriptions ORDER BY feed");
        let rows = client
            .query(&sql, &[])
            .await
            .map_err(|error| self.store_error(error.into()))?;
        Ok(rows.iter().map(read_row).collect())
    }

    /// The subscription whose callback token is `token`.
    pub async fn push_subscription(
        &self,
        token: &str,
    ) -> Result<Option<PushSubscription>, StoreError> {
        let client = self.client().await?;
        let sql = format!("SELECT {COLUMNS} FROM push_subscriptions WHERE token = $1");
        let row = client
            .query_opt(&sql, &[&token])
            .await
            .map_err(|error| self.store_error(error.into()))?;
        Ok(row.as_ref().map(read_row))
    }

    /// Writes `subscription`, replacing the feed's previous one (and any row holding its token).
    pub async fn save_push_subscription(&self, sub: &PushSubscription) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let saved = async {
            let tx = client.transaction().await?;
            // As SQLite's INSERT OR REPLACE: a row in the way by feed or by token goes.
            tx.execute(
                "DELETE FROM push_subscriptions WHERE feed = $1 OR token = $2",
                &[&sub.feed, &sub.token],
            )
            .await?;
            let sql = format!(
                "INSERT INTO push_subscriptions ({COLUMNS})
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
            );
            tx.execute(
                &sql,
                &[
                    &sub.feed,
                    &sub.topic,
                    &sub.hub,
                    &sub.token,
                    &sub.secret,
                    &sub.state.as_str(),
                    &sub.reason.as_deref().map(text),
                    &sub.lease_expires_at.map(millis),
                    &millis(sub.requested_at),
                    &i32::try_from(sub.hub_failures).unwrap_or(i32::MAX),
                ],
            )
            .await?;
            tx.commit().await
        };
        saved.await.map_err(|error| self.store_error(error.into()))
    }

    /// Forgets the subscription whose token is `token`; whether there was one.
    pub async fn delete_push_subscription(&self, token: &str) -> Result<bool, StoreError> {
        let client = self.client().await?;
        let deleted = client
            .execute("DELETE FROM push_subscriptions WHERE token = $1", &[&token])
            .await
            .map_err(|error| self.store_error(error.into()))?;
        Ok(deleted > 0)
    }
}

fn read_row(row: &Row) -> PushSubscription {
    let state: &str = row.get(5);
    PushSubscription {
        feed: row.get(0),
        topic: row.get(1),
        hub: row.get(2),
        token: row.get(3),
        secret: row.get(4),
        // The schema's CHECK admits no other text.
        state: PushState::from_column(state).unwrap_or(PushState::Failed),
        reason: row.get(6),
        lease_expires_at: row.get(7),
        requested_at: row.get(8),
        hub_failures: count_u32(row.get(9)),
    }
}
