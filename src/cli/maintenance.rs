//! Commands that change the state on the operator's word: `retry` re-queues failed deliveries and
//! resumes suspended channels; `mark-seen` records a feed's current entries without posting them.

use std::path::Path;
use std::sync::Arc;

use chrono::Utc;

use crate::daemon::oldest_first;
use crate::fetch::{FetchOutcome, FetchRequest, Fetcher};
use crate::parse;
use crate::schedule;
use crate::store::{self, PollRecord, Store};

use super::{EXIT_INCOMPLETE, EXIT_OK, EXIT_STATE, load_config, open_store};

/// `feedhook retry [CHANNEL]`.
pub fn retry(path: &Path, channel: Option<&str>) -> u8 {
    let config = match load_config(path) {
        Ok(config) => config,
        Err(code) => return code,
    };
    if let Some(name) = channel.filter(|name| !config.channels.contains_key(*name)) {
        eprintln!("feedhook: no channel named {name:?} in the config");
        return EXIT_INCOMPLETE;
    }
    let store = match open_for_maintenance(&config.store.path) {
        Ok(store) => store,
        Err(code) => return code,
    };
    let channels: Vec<&String> = config
        .channels
        .keys()
        .filter(|name| channel.is_none_or(|c| c == name.as_str()))
        .collect();
    let result = store
        .requeue_failed(channel, Utc::now())
        .and_then(|requeued| {
            for name in &channels {
                store.resume_channel(name)?;
            }
            Ok(requeued)
        });
    match result {
        Ok(requeued) => {
            println!(
                "{requeued} failed delivery(ies) re-queued; {} channel(s) resumed",
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
    let (_lock, store) = match open_store(&config) {
        Ok((lock, store)) => (lock, Arc::new(store)),
        Err(code) => return code,
    };
    let fetched = match Fetcher::new(&config.fetch, std::slice::from_ref(&feed)) {
        Ok(fetcher) => {
            let validators = crate::fetch::Validators::default();
            let request = FetchRequest::for_feed(&feed, &validators);
            fetcher.fetch(request).await.map_err(|e| e.to_string())
        }
        Err(error) => Err(error.to_string()),
    };
    let body = match fetched {
        Ok(FetchOutcome::Fetched(body)) => body,
        Ok(FetchOutcome::NotModified { .. }) => {
            eprintln!("feedhook: feed {}: 304 without validators", feed.name);
            return EXIT_INCOMPLETE;
        }
        Err(error) => {
            eprintln!("feedhook: feed {}: {error}", feed.name);
            return EXIT_INCOMPLETE;
        }
    };
    let parsed =
        match parse::parse_feed(&body.body, body.charset.as_deref(), body.final_url.as_str()) {
            Ok(parsed) => parsed,
            Err(error) => {
                eprintln!("feedhook: feed {}: {error}", feed.name);
                return EXIT_INCOMPLETE;
            }
        };
    let now = Utc::now();
    let entries = oldest_first(parsed.entries);
    let next_due = schedule::next_regular(&feed.cadence, now);
    let (name, url, info) = (feed.name.clone(), feed.url.to_string(), parsed.info);
    let count = entries.len();
    let recorded = store::run_blocking(&store, move |s| {
        s.record_poll(&PollRecord {
            feed: &name,
            url: &url,
            polled_at: now,
            validators: &body.validators,
            info: &info,
            entries: &entries,
            channels: &[],
            backlog: 0,
            next_due_at: next_due,
            limits: store::QueueLimits::default(),
        })
    })
    .await;
    match recorded {
        Ok(summary) => {
            println!(
                "feed {}: {count} entries in the feed, {} newly recorded as seen; nothing was posted",
                feed.name, summary.new_entries
            );
            EXIT_OK
        }
        Err(error) => {
            eprintln!("feedhook: {error}");
            EXIT_STATE
        }
    }
}

fn open_for_maintenance(path: &Path) -> Result<Store, u8> {
    if !path.exists() {
        eprintln!("feedhook: no state at {} yet", path.display());
        return Err(EXIT_INCOMPLETE);
    }
    Store::open(path).map_err(|error| {
        eprintln!("feedhook: {error}");
        EXIT_STATE
    })
}
