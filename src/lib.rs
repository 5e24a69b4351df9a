//! feedhook polls RSS, Atom and JSON Feed sources and posts every new entry, once, as a chat card to the
//! incoming webhook of each channel subscribed to the feed.
//!
//! # How data flows
//!
//! ```text
//! config ─► schedule ─► fetch ─► parse ─► store (seen entries + outbox, one transaction) ─► deliver ─► webhook
//!                                                                    ▲                        │
//!                                                                    └──── mark delivered ◄───┘
//! ```
//!
//! Each module owns the types of its stage and only depends on the stages before it:
//!
//! - [`config`]: the TOML file, parsed into a raw serde type and validated into [`config::Config`].
//! - [`schedule`]: when each feed is next due (interval less jitter, cron, backoff, server hints), and
//!   the [`schedule::Clock`] every time decision reads.
//! - [`fetch`]: conditional HTTP GET with size caps, deadlines and per-host concurrency limits.
//! - [`parse`]: feed bytes into the normalised [`parse::Entry`] model, with a stable dedupe key.
//! - [`store`]: the `SQLite` state: feed validators and schedule, seen entries, the delivery outbox.
//! - [`render`]: pure functions from a [`render::Card`] to each chat platform's payload.
//! - [`retry_after`]: the `Retry-After` header, read alike for feed hosts and webhooks.
//! - [`deliver`]: one outbox worker per channel: rate limits, retries, suspension.
//! - [`daemon`]: the composition root — the poll loop, the delivery workers, signals and shutdown.
//! - [`metrics`]: counters and gauges the daemon and the workers record, served with a health check.
//! - [`cli`]: the `feedhook` command line (`run`, `once`, `check`).

pub mod cli;
pub mod config;
pub mod daemon;
pub mod deliver;
pub mod fetch;
pub mod metrics;
pub mod parse;
pub mod render;
pub mod retry_after;
pub mod schedule;
pub mod store;
