//! Commands that change the state on the operator's word: `retry` re-queues failed deliveries and
//! resumes suspended and paused channels; `mark-seen` records a feed's current entries without posting them.

use std::path::Path;
use std::sync::Arc;

use chrono::Utc;

use crate::config::Config;
use crate::schedule;
use crate::store::{self, ChannelState, PollRecord, Store, StoreError, kept_until};

use super::{EXIT_INCOMPLETE, EXIT_OK, EXIT_STATE, load_config, open_store, read_feed};

/// `feedhook retry [CHANNEL]`.
pub async fn retry(path: &Path, channel: Option<&str>) -> u8 {
    let config = match load_config(path) {
        Ok(config) => config,
        Err(code) => return code,
    };
    if let Some(name) = channel.filter(|name| !config.channels.contains_key(*name)) {
        return refuse_unconfigured(&config, name).await;
    }
    let store = match open_for_maintenance(&config).await {
        Ok(store) => store,
        Err(code) => return code,
    };
    let channels: Vec<&String> = config
        .channels
        .keys()
        .filter(|name| channel.is_none_or(|c| c == name.as_str()))
        .collect();
    match requeue_and_resume(&store, channel, &channels).await {
        Ok(requeued) => {
            println!(
                "{requeued} failed delivery(ies) re-queued; {} channel(s) resumed (suspensions and pauses lifted)",
                channels.len()
            );
            println!(
                "a running daemon picks them up at its next reload (systemctl reload feedhook) or restart"
            );
            EXIT_OK
        }
        Err(error) => {
            eprintln!("feedhook: {error}");
            EXIT_STATE
        }
    }
}

/// `retry` of a channel that is not in the config: nothing can post to it; if it was removed, its
/// deliveries are parked, and adding it back restores them.
async fn refuse_unconfigured(config: &Config, name: &str) -> u8 {
    eprintln!(
        "feedhook: channel {name:?} is not configured: no channel of that name in the config"
    );
    let Ok(store) = open_for_maintenance(config).await else {
        return EXIT_INCOMPLETE;
    };
    match store.channel_state(name).await {
        Ok(ChannelState {
            parked,
            parked_since: Some(since),
            ..
        }) => {
            let until = kept_until(since, config.store.retention);
            eprintln!(
                "its {parked} deliveries are parked since {}: add the channel back to the config and reload to post them, oldest first; otherwise they are kept until {}",
                since.format("%Y-%m-%d %H:%M UTC"),
                until.format("%Y-%m-%d %H:%M UTC")
            );
            EXIT_INCOMPLETE
        }
        Ok(_) => EXIT_INCOMPLETE,
        Err(error) => {
            eprintln!("feedhook: {error}");
            EXIT_STATE
        }
    }
}

async fn requeue_and_resume(
    store: &Store,
    channel: Option<&str>,
    channels: &[&String],
) -> Result<u64, StoreError> {
    let requeued = store.requeue_failed(channel, Utc::now()).await?;
    for name in channels {
        store.resume_channel(name).await?;
        store.lift_pause(name).await?;
    }
    Ok(requeued)
}

/// `feedhook mark-seen FEED`: fetch once and record every entry as seen, queueing nothing.
pub async fn mark_seen(path: &Path, feed_name: &str) -> u8 {
    let config = match load_config(path) {
        Ok(config) => config,
        Err(code) => return code,
    };
    let Some(feed) = config.find_feed(feed_name).cloned() else {
        eprintln!("feedhook: no feed named {feed_name:?} in the config");
        return EXIT_INCOMPLETE;
    };
    let store = match open_store(&config).await {
        Ok(store) => Arc::new(store),
        Err(code) => return code,
    };
    let document = match read_feed(&config, &feed).await {
        Ok(document) => document,
        Err(error) => {
            eprintln!("feedhook: feed {}: {error}", feed.display_name());
            return EXIT_INCOMPLETE;
        }
    };
    let now = Utc::now();
    let next_due = schedule::next_regular(&feed.cadence, now);
    let count = document.entries.len();
    let recorded = store
        .record_poll(PollRecord {
            feed: feed.name.clone(),
            url: feed.url.to_string(),
            polled_at: now,
            validators: document.validators,
            info: document.info,
            entries: document.entries,
            channels: Vec::new(),
            backlog: 0,
            next_due_at: next_due,
            limits: store::QueueLimits::default(),
        })
        .await;
    match recorded {
        Ok(summary) => {
            println!(
                "feed {}: {count} entries in the feed, {} newly recorded as seen; nothing was posted",
                feed.display_name(),
                summary.new_entries
            );
            EXIT_OK
        }
        Err(error) => {
            eprintln!("feedhook: {error}");
            EXIT_STATE
        }
    }
}

async fn open_for_maintenance(config: &Config) -> Result<Store, u8> {
    let path = &config.store.path;
    if config.store.database.is_none() && !path.exists() {
        eprintln!("feedhook: no state at {} yet", path.display());
        return Err(EXIT_INCOMPLETE);
    }
    Store::open_configured(&config.store, false)
        .await
        .map_err(|error| {
            eprintln!("feedhook: {error}");
            EXIT_STATE
        })
}
