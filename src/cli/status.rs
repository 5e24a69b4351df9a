//! `feedhook status`: what the state says about each feed and channel of the config. Reads the state
//! file while the daemon runs (WAL lets readers in) and changes nothing. On a database several
//! instances share, it also lists the live instances and which one works each channel
//! (`instances`).

mod instances;

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::config::{Config, Feed, shown_url};
use crate::deliver::next_digest;
use crate::push::{self, Standing};
use crate::store::{
    ChannelState, FeedState, LastResult, PushSubscription, Store, StoreError, kept_until,
};

use super::table::Table;
use super::{EXIT_OK, EXIT_STATE, load_config};
use instances::Sharing;

pub async fn run(path: &Path, as_json: bool) -> u8 {
    let config = match load_config(path) {
        Ok(config) => config,
        Err(code) => return code,
    };
    if config.store.database.is_none() && !config.store.path.exists() {
        return super::report_missing_state(&config.store.path);
    }
    let (feeds, channels, subscriptions, sharing) = match read_states(&config).await {
        Ok(states) => states,
        Err(error) => {
            eprintln!("feedhook: {error}");
            return EXIT_STATE;
        }
    };
    let feeds: HashMap<String, FeedState> =
        feeds.into_iter().map(|f| (f.feed.clone(), f)).collect();
    let now = Utc::now();
    let push = Pushes {
        subscriptions: subscriptions
            .into_iter()
            .map(|s| (s.feed.clone(), s))
            .collect(),
        now,
    };
    if as_json {
        // Reasons in the state came from outside (and, written by an older feedhook, unmasked).
        let json = format!(
            "{:#}",
            to_json(&config, &feeds, &channels, &push, sharing.as_ref())
        );
        println!("{}", config.redactor.redact(&json));
    } else {
        let colour = std::io::IsTerminal::is_terminal(&std::io::stdout())
            && std::env::var_os("NO_COLOR").is_none();
        print!(
            "{}",
            feed_table(&config, &feeds, &push, now)
                .render_styled(|column, cell| feed_colour(colour, column, cell))
        );
        println!();
        print!(
            "{}",
            channel_table(&config, &channels, sharing.as_ref(), now)
                .render_styled(|column, cell| channel_colour(colour, column, cell))
        );
        if let Some(sharing) = &sharing {
            println!();
            print!("{}", sharing.table(now).render_styled(|_, _| None));
        }
    }
    EXIT_OK
}

type States = (
    Vec<FeedState>,
    Vec<ChannelState>,
    Vec<PushSubscription>,
    Option<Sharing>,
);

/// The feeds, then the configured channels followed by the removed ones that still have parked
/// deliveries, the feeds' WebSub subscriptions, and on a shared database who shares it.
async fn read_states(config: &Config) -> Result<States, StoreError> {
    let store = Store::open_configured(&config.store, false).await?;
    let mut names: Vec<String> = config.channels.keys().cloned().collect();
    let removed = store.parked_channels().await?.into_iter();
    names.extend(removed.filter(|name| !config.channels.contains_key(name)));
    let sharing = match config.store.database {
        Some(_) => Some(Sharing::read(&store, config.digest()).await?),
        None => None,
    };
    Ok((
        store.feed_states().await?,
        store.channel_states(&names).await?,
        store.push_subscriptions().await?,
        sharing,
    ))
}

/// The feeds' WebSub subscriptions, as the PUSH column and `push` in JSON show them.
struct Pushes {
    subscriptions: HashMap<String, PushSubscription>,
    now: DateTime<Utc>,
}

impl Pushes {
    /// The feed's subscription and where it stands; `None`: the feed does not push (no
    /// `public_url`, `push = false`, or no hub advertised yet).
    fn of(&self, feed: &Feed) -> Option<(&PushSubscription, Standing)> {
        let sub = self.subscriptions.get(&feed.name)?;
        Some((sub, push::standing(sub, self.now)))
    }

    /// `none`, `pending`, `subscribed, lease until …`, or `failed: why`.
    fn cell(&self, config: &Config, feed: &Feed) -> String {
        match self.of(feed) {
            None => "none".into(),
            Some((sub, Standing::Subscribed)) => match sub.lease_expires_at {
                Some(end) => format!("subscribed, lease until {}", relative(end, self.now)),
                None => "subscribed".into(),
            },
            Some((_, Standing::Pending)) => "pending".into(),
            Some((sub, Standing::Failed)) => format!("failed: {}", failure(config, sub)),
        }
    }

    fn json(&self, config: &Config, feed: &Feed) -> serde_json::Value {
        match self.of(feed) {
            None => json!({ "state": "none" }),
            Some((sub, standing)) => json!({
                "state": standing.as_str(),
                "hub": url::Url::parse(&sub.hub).map_or_else(|_| String::new(), |hub| shown_url(&hub)),
                "lease_expires": sub.lease_expires_at,
                "reason": (standing == Standing::Failed).then(|| failure(config, sub)),
            }),
        }
    }
}

/// Why a subscription failed, masked; a lapsed one has no reason of its own.
fn failure(config: &Config, sub: &PushSubscription) -> String {
    let reason = sub
        .reason
        .as_deref()
        .unwrap_or("the lease ended without renewal");
    config.redactor.redact(reason).into_owned()
}

/// Green for a good poll, yellow for a wait, red for an error (the RESULT column).
fn feed_colour(enabled: bool, column: usize, cell: &str) -> Option<&'static str> {
    if !enabled || column != 2 {
        return None;
    }
    match LastResult::from_column(cell)? {
        LastResult::Ok | LastResult::NotModified => Some("32"),
        LastResult::Wait => Some("33"),
        LastResult::Error => Some("31"),
    }
}

/// Yellow for failed deliveries, a paused channel and parked deliveries, red for a suspended
/// channel.
fn channel_colour(enabled: bool, column: usize, cell: &str) -> Option<&'static str> {
    match (enabled, column, cell) {
        (true, 3, count) if count != "0" => Some("33"),
        (true, 6, state) if state.starts_with("suspended") => Some("31"),
        (true, 6, state) if state.starts_with("paused") || state.contains("parked") => Some("33"),
        _ => None,
    }
}

fn feed_table(
    config: &Config,
    states: &HashMap<String, FeedState>,
    push: &Pushes,
    now: DateTime<Utc>,
) -> Table {
    let mut table = Table::new(&[
        "FEED",
        "LAST POLL",
        "RESULT",
        "NEXT DUE",
        "SEEN",
        "FAILURES",
        "PUSH",
        "LAST ERROR",
    ]);
    for feed in config.feeds.iter() {
        let Some(state) = states.get(&feed.name) else {
            table.row(vec![
                feed.display_name().into_owned(),
                "never".into(),
                "-".into(),
                "at start".into(),
                "0".into(),
                "0".into(),
                push.cell(config, feed),
                String::new(),
            ]);
            continue;
        };
        table.row(vec![
            feed.display_name().into_owned(),
            state
                .last_poll_at
                .map_or_else(|| "never".into(), |at| relative(at, now)),
            state.last_result.clone().unwrap_or_else(|| "-".into()),
            state
                .next_due_at
                .map_or_else(|| "at start".into(), |at| relative(at, now)),
            state.entries_seen.to_string(),
            state.consecutive_failures.to_string(),
            push.cell(config, feed),
            // Masked before the cell is cut: a state written by an older feedhook is unmasked.
            config
                .redactor
                .redact(state.last_error.as_deref().unwrap_or_default())
                .into_owned(),
        ]);
    }
    table
}

/// One row per channel; with `sharing`, a last column names the instance that works it.
fn channel_table(
    config: &Config,
    states: &[ChannelState],
    sharing: Option<&Sharing>,
    now: DateTime<Utc>,
) -> Table {
    let mut header = vec![
        "CHANNEL",
        "KIND",
        "PENDING",
        "FAILED",
        "DELIVERED",
        "LAST DELIVERY",
        "STATE",
        "NEXT DIGEST",
    ];
    header.extend(sharing.map(|_| "HELD BY"));
    let mut table = Table::new(&header);
    for state in states {
        let kind = config
            .channels
            .get(&state.channel)
            .map_or("(removed)", |c| c.kind.as_str());
        let mut row = vec![
            state.channel.clone(),
            kind.into(),
            state.pending.to_string(),
            state.failed.to_string(),
            state.delivered.to_string(),
            state
                .last_delivery_at
                .map_or_else(|| "never".into(), |at| relative(at, now)),
            channel_standing(config, state, now),
            next_digest_cell(config, state, now),
        ];
        row.extend(sharing.map(|sharing| sharing.holder_cell(&state.channel)));
        table.row(row);
    }
    table
}

/// A digest channel's next digest time and how many entries wait for it; `-` for other channels.
fn next_digest_cell(config: &Config, state: &ChannelState, now: DateTime<Utc>) -> String {
    let Some(schedule) = config
        .channels
        .get(&state.channel)
        .and_then(|c| c.digest.as_ref())
    else {
        return "-".into();
    };
    match next_digest(schedule, state) {
        Some(due) if due <= now => format!("due now, {} waiting", state.pending),
        Some(due) => format!(
            "{} ({}), {} waiting",
            schedule.shown(due),
            distance(due, now),
            state.pending
        ),
        None => format!("nothing waiting ({schedule})"),
    }
}

/// `ok`; `failing since … (retrying)` while posts fail but the channel is not yet suspended;
/// `paused until … (Retry-After)` while the webhook's pause holds; `suspended for another …: why`.
/// A suspension says more than a pause, so it is shown first. A channel with parked deliveries
/// says so first of all: removed from the config, or back in it and not yet restored.
fn channel_standing(config: &Config, state: &ChannelState, now: DateTime<Utc>) -> String {
    if let Some(since) = state.parked_since {
        let until = relative(kept_until(since, config.store.retention), now);
        let parked = state.parked;
        return if config.channels.contains_key(&state.channel) {
            format!("{parked} parked: restored at the next start or reload (kept until {until})")
        } else {
            format!("removed from the config: {parked} parked, kept until {until}")
        };
    }
    configured_standing(config, state, now)
}

fn configured_standing(config: &Config, state: &ChannelState, now: DateTime<Utc>) -> String {
    // Reasons came from outside (and, written by an older feedhook, may be unmasked).
    let reason = |reason: &Option<String>| {
        config
            .redactor
            .redact(reason.as_deref().unwrap_or(""))
            .into_owned()
    };
    match (state.suspended_until, state.paused_until) {
        // The reason is what the operator needs; it gets the room a full date would take.
        (Some(until), _) if until > now => format!(
            "suspended for another {}: {}",
            humantime::format_duration(std::time::Duration::from_secs(
                (until - now).num_seconds().unsigned_abs()
            )),
            reason(&state.suspended_reason)
        ),
        (_, Some(until)) if until > now => format!(
            "paused until {} ({})",
            relative(until, now),
            reason(&state.pause_reason)
        ),
        _ => match state.failing_since {
            Some(since) => format!("failing since {} (retrying)", relative(since, now)),
            None => "ok".into(),
        },
    }
}

fn to_json(
    config: &Config,
    feeds: &HashMap<String, FeedState>,
    channels: &[ChannelState],
    push: &Pushes,
    sharing: Option<&Sharing>,
) -> serde_json::Value {
    let digest = |state: &ChannelState| {
        let schedule = config.channels.get(&state.channel)?.digest.as_ref()?;
        Some(json!({
            "schedule": schedule.to_string(),
            "next": next_digest(schedule, state).map(|due| schedule.rfc3339(due)),
            "waiting": state.pending,
            "last": state.last_digest_at.map(|at| schedule.rfc3339(at)),
        }))
    };
    let feeds: Vec<_> = config
        .feeds
        .iter()
        .map(|feed| {
            let state = feeds.get(&feed.name);
            json!({
                "name": feed.display_name(),
                "url": shown_url(&feed.url),
                "last_poll": state.and_then(|s| s.last_poll_at),
                "result": state.and_then(|s| s.last_result.clone()),
                "next_due": state.and_then(|s| s.next_due_at),
                "entries_seen": state.map_or(0, |s| s.entries_seen),
                "consecutive_failures": state.map_or(0, |s| s.consecutive_failures),
                "last_error": state.and_then(|s| s.last_error.clone()),
                "push": push.json(config, feed),
            })
        })
        .collect();
    let channels: Vec<_> = channels
        .iter()
        .map(|c| {
            let mut channel = json!({
                "name": c.channel,
                "kind": config.channels.get(&c.channel).map(|ch| ch.kind.as_str()),
                "pending": c.pending,
                "failed": c.failed,
                "delivered": c.delivered,
                "last_delivery": c.last_delivery_at,
                "suspended_until": c.suspended_until,
                "suspended_reason": c.suspended_reason,
                "paused_until": c.paused_until,
                "pause_reason": c.pause_reason,
                "failing_since": c.failing_since,
                "configured": config.channels.contains_key(&c.channel),
                "parked": c.parked,
                "parked_since": c.parked_since,
                "parked_kept_until": c.parked_since
                    .map(|since| kept_until(since, config.store.retention)),
                "digest": digest(c),
            });
            if let Some(sharing) = sharing {
                channel["held_by"] = sharing.holder_json(&c.channel);
            }
            channel
        })
        .collect();
    let mut json = json!({ "feeds": feeds, "channels": channels });
    if let Some(sharing) = sharing {
        json["instances"] = sharing.instances_json();
    }
    json
}

/// `2026-11-27 10:40 UTC (3m ago)` or `(in 12m)`.
fn relative(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    format!(
        "{} ({})",
        at.format("%Y-%m-%d %H:%M UTC"),
        distance(at, now)
    )
}

/// `in 3h 2m` or `5m ago`.
fn distance(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let delta = at - now;
    let magnitude = humantime::format_duration(std::time::Duration::from_secs(
        delta.num_seconds().unsigned_abs(),
    ));
    if delta.num_seconds() >= 0 {
        format!("in {magnitude}")
    } else {
        format!("{magnitude} ago")
    }
}
