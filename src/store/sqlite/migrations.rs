//! The schema, as an append-only list of steps.
//!
//! `PRAGMA user_version` counts the steps applied. Each step runs in its own transaction together
//! with the version bump, so a crash leaves the file at a whole step. Never edit a released step:
//! append a new one.

use rusqlite::{Connection, TransactionBehavior};

use super::failure::Failure;

const STEPS: &[&str] = &[
    // 1: feeds, seen entries, the delivery outbox and channel standing.
    r"
    CREATE TABLE feeds (
        feed                 TEXT PRIMARY KEY NOT NULL,
        url                  TEXT NOT NULL,
        etag                 TEXT,
        last_modified        TEXT,
        info                 TEXT NOT NULL DEFAULT '{}',
        last_poll_at         INTEGER,
        last_result          TEXT CHECK (last_result IN ('ok', 'not_modified', 'error', 'wait')),
        last_error           TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        next_due_at          INTEGER,
        -- 0 until the first poll with a body: that poll marks everything seen, queues the backlog.
        initialized          INTEGER NOT NULL DEFAULT 0 CHECK (initialized IN (0, 1))
    ) STRICT;

    CREATE TABLE entries (
        feed          TEXT NOT NULL REFERENCES feeds (feed),
        key           TEXT NOT NULL,
        first_seen_at INTEGER NOT NULL,
        -- Refreshed on every poll that still lists the entry; pruning counts from here.
        last_seen_at  INTEGER NOT NULL,
        entry         TEXT NOT NULL,
        PRIMARY KEY (feed, key)
    ) STRICT;
    CREATE INDEX entries_by_last_seen ON entries (last_seen_at);

    -- The id order is the delivery order: rows are inserted oldest entry first.
    CREATE TABLE deliveries (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        feed            TEXT NOT NULL,
        entry_key       TEXT NOT NULL,
        channel         TEXT NOT NULL,
        status          TEXT NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        queued_at       INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        last_error      TEXT,
        delivered_at    INTEGER,
        failed_at       INTEGER,
        -- An entry is never pruned while a delivery still refers to it.
        FOREIGN KEY (feed, entry_key) REFERENCES entries (feed, key)
    ) STRICT;
    -- next_pending and the per-status counts of a channel.
    CREATE INDEX deliveries_by_channel ON deliveries (channel, status, id);
    -- The foreign key's child lookups (pruning entries).
    CREATE INDEX deliveries_by_entry ON deliveries (feed, entry_key);
    -- Pruning settled deliveries.
    CREATE INDEX deliveries_delivered_at ON deliveries (delivered_at) WHERE status = 'delivered';
    CREATE INDEX deliveries_failed_at ON deliveries (failed_at) WHERE status = 'failed';

    CREATE TABLE channels (
        name             TEXT PRIMARY KEY NOT NULL,
        suspended_until  INTEGER,
        suspended_reason TEXT,
        last_delivery_at INTEGER
    ) STRICT;
    ",
    // 2: a channel paused by its webhook (429 with Retry-After, capped at max_pause). Apart from
    // suspension: a restart lifts a suspension but keeps a pause.
    r"
    ALTER TABLE channels ADD COLUMN paused_until INTEGER;
    ALTER TABLE channels ADD COLUMN pause_reason TEXT;
    ",
    // 3: a channel's health: since when every post has failed (NULL while healthy), and how many
    // probes of its suspension have failed since, which spaces the next one.
    r"
    ALTER TABLE channels ADD COLUMN failing_since INTEGER;
    ALTER TABLE channels ADD COLUMN probes INTEGER NOT NULL DEFAULT 0;
    ",
    // 4: WebSub subscriptions, one per feed.
    r"
    CREATE TABLE push_subscriptions (
        feed             TEXT PRIMARY KEY NOT NULL,
        topic            TEXT NOT NULL,
        hub              TEXT NOT NULL,
        -- The callback URL's last segment: the one key a hub's request is looked up by.
        token            TEXT NOT NULL UNIQUE,
        secret           TEXT NOT NULL,
        state            TEXT NOT NULL
                         CHECK (state IN ('subscribing', 'verified', 'renewing', 'unsubscribing',
                                          'failed')),
        reason           TEXT,
        lease_expires_at INTEGER,
        requested_at     INTEGER NOT NULL,
        hub_failures     INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    ",
    // 5: posts of a delivery that timed out once sent (outcome unknown), apart from its failed
    // attempts: they are repeated far more sparingly.
    r"
    ALTER TABLE deliveries ADD COLUMN unanswered INTEGER NOT NULL DEFAULT 0;
    ",
    // 6: deliveries `parked` while their channel is out of the config, and since when (pruned a
    // retention period later). SQLite cannot widen a CHECK, so the table is rebuilt; ids are
    // copied, so the delivery order stays. Deliveries an older build dead-lettered because their
    // channel was removed are parked, unless their channel has delivered a newer entry since
    // (bringing those back would post them out of order): docs/decisions.md.
    r"
    CREATE TABLE deliveries_parkable (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        feed            TEXT NOT NULL,
        entry_key       TEXT NOT NULL,
        channel         TEXT NOT NULL,
        status          TEXT NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'delivered', 'failed', 'parked')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        queued_at       INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        last_error      TEXT,
        delivered_at    INTEGER,
        failed_at       INTEGER,
        unanswered      INTEGER NOT NULL DEFAULT 0,
        parked_at       INTEGER,
        FOREIGN KEY (feed, entry_key) REFERENCES entries (feed, key)
    ) STRICT;
    INSERT INTO deliveries_parkable
        (id, feed, entry_key, channel, status, attempts, queued_at, next_attempt_at, last_error,
         delivered_at, failed_at, unanswered)
    SELECT id, feed, entry_key, channel, status, attempts, queued_at, next_attempt_at, last_error,
           delivered_at, failed_at, unanswered
    FROM deliveries;
    DROP TABLE deliveries;
    ALTER TABLE deliveries_parkable RENAME TO deliveries;
    CREATE INDEX deliveries_by_channel ON deliveries (channel, status, id);
    CREATE INDEX deliveries_by_entry ON deliveries (feed, entry_key);
    CREATE INDEX deliveries_delivered_at ON deliveries (delivered_at) WHERE status = 'delivered';
    CREATE INDEX deliveries_failed_at ON deliveries (failed_at) WHERE status = 'failed';
    CREATE INDEX deliveries_parked_at ON deliveries (parked_at) WHERE status = 'parked';
    UPDATE deliveries AS d
    SET status = 'parked', parked_at = d.failed_at, failed_at = NULL
    WHERE d.status = 'failed'
      AND d.last_error = 'cancelled: channel ' || d.channel || ' is no longer in the configuration'
      AND NOT EXISTS (SELECT 1 FROM deliveries newer
                      WHERE newer.channel = d.channel AND newer.status = 'delivered'
                        AND newer.id > d.id);
    ",
];

/// The schema version this build writes.
pub(super) fn known_version() -> i64 {
    STEPS.len() as i64
}

/// Reads the file's schema version, refusing one from a newer build. Reads only, so a file we must
/// not touch (too new, or not a database at all) is left exactly as it was.
pub(super) fn check_version(conn: &Connection) -> Result<i64, Failure> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let known = known_version();
    if found > known {
        return Err(Failure::TooNew { found, known });
    }
    Ok(found)
}

/// Applies the steps the file has not seen yet.
pub(super) fn apply(conn: &mut Connection) -> Result<(), Failure> {
    let current = check_version(conn)?;
    for (index, step) in STEPS.iter().enumerate().skip(current as usize) {
        let target = index as i64 + 1;
        // IMMEDIATE takes the write lock up front; re-reading the version under it makes a second
        // process opening the same file at the same moment skip what the first just applied.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if check_version(&tx)? >= target {
            continue;
        }
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", target)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
