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
//! Each module owns the types of its stage, and data flows one way: each module below depends only
//! on modules listed above it (`metrics` on none). docs/architecture.md draws the same map.
//!
//! - [`config`]: the TOML file, parsed into a raw serde type and validated into [`config::Config`].
//! - [`parse`]: feed bytes into the normalised [`parse::Entry`] model, with a stable dedupe key.
//! - [`metrics`]: the series and the `/metrics` and `/healthz` endpoint. A leaf: nothing below the
//!   daemon calls into it, and it imports no other module; the daemon turns the stages' reports
//!   into its values.
//! - [`retry_after`]: the `Retry-After` header, read alike for feed hosts and webhooks.
//! - [`fetch`]: conditional HTTP GET with size caps, deadlines and per-host concurrency limits.
//! - [`schedule`]: when each feed is next due (interval less jitter, cron, backoff, server hints), and
//!   the [`schedule::Clock`] every time decision reads.
//! - [`render`]: pure functions from a [`render::Card`] to each chat platform's payload.
//! - [`store`]: the state behind one async API: feed validators and schedule, seen entries, the
//!   delivery outbox (parked while a channel is out of the config), digest times. SQLite (the
//!   default) or PostgreSQL; nothing outside it knows the backend; `store copy` moves a state
//!   between the two. On a PostgreSQL state several instances share, it keeps the instances and
//!   their leases on feeds and channels, and refuses the writes of an instance whose lease was
//!   taken over.
//! - [`poll`]: the stage that turns a due feed into recorded entries — one poll (fetch → parse →
//!   filter → store → wake the channels), the loop that polls each feed when due (on a shared
//!   state, only the feeds assigned to this instance), and a typed report of how each poll ended.
//! - [`push`]: WebSub: subscribes to the hubs feeds advertise, answers the hubs' verifications,
//!   takes their signed pushes, renews and unsubscribes; polling goes on, slower, while a hub pushes.
//! - [`deliver`]: one outbox worker per channel: rate limits, retries, suspension, digests; on a
//!   shared state, a channel is worked by the one instance holding its lease.
//! - [`daemon`]: the composition root — builds the pipeline, spawns the poll loop and the delivery
//!   workers, records and serves the metrics, keeps this instance's leases on a shared state,
//!   housekeeping, reload, systemd.
//! - [`cli`]: the `feedhook` command line: `run`, `once`, `check`, `preview`, `status`,
//!   `test-webhook`, `retry`, `mark-seen`, `import-opml`, `store copy`, `completions`, `man`.

pub mod cli;
pub mod config;
pub mod daemon;
pub mod deliver;
pub mod fetch;
pub mod metrics;
pub mod parse;
pub mod poll;
pub mod push;
pub mod render;
pub mod retry_after;
pub mod schedule;
pub mod store;
