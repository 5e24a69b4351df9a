//! WebSub (`push`, `push_interval`): whether a feed that advertises a hub is subscribed to, and
//! how often it is still polled while its subscription holds. Pushing needs somewhere for hubs to
//! call back, so it is on by default exactly when `[http] public_url` is set, and asking for it
//! without one is an error.

use std::time::Duration;

use crate::config::raw::FeedRaw;
use crate::config::report::{Report, check, key_path};
use crate::config::values;

/// A feed's `push_interval` when neither it nor `[defaults]` sets one.
pub const DEFAULT_PUSH_INTERVAL: Duration = Duration::from_secs(3600);
const MIN_PUSH_INTERVAL: Duration = Duration::from_secs(1);

/// The push settings of one table: the built-in ones, `[defaults]`, or a feed.
#[derive(Debug, Clone, Copy)]
pub(super) struct Push {
    /// `push` as written; `None`: follow whether `[http] public_url` is set.
    wanted: Option<bool>,
    pub interval: Duration,
}

impl Push {
    pub fn builtin() -> Self {
        Self {
            wanted: None,
            interval: DEFAULT_PUSH_INTERVAL,
        }
    }

    /// These settings with the keys of `raw` (a table at `path`) laid over them; `possible` says
    /// whether `[http] public_url` is set.
    pub fn overlay(&self, raw: &FeedRaw, path: &str, possible: bool, report: &mut Report) -> Self {
        let mut push = *self;
        if let Some(wanted) = &raw.push {
            if *wanted.get_ref() && !possible {
                let message = "push = true needs [http] public_url (the address hubs call back \
                               on); set it, or remove push";
                report.error(wanted.span(), &key_path(path, "push"), message);
            }
            push.wanted = Some(*wanted.get_ref());
        }
        if let Some(interval) = &raw.push_interval {
            let key = key_path(path, "push_interval");
            push.interval =
                check(interval, &key, report, |s| parse_interval(s)).unwrap_or(push.interval);
        }
        push
    }

    /// Whether the feed subscribes where a hub is advertised.
    pub fn enabled(&self, possible: bool) -> bool {
        possible && self.wanted.unwrap_or(true)
    }
}

fn parse_interval(text: &str) -> Result<Duration, String> {
    let interval = values::duration(text)?;
    if interval < MIN_PUSH_INTERVAL {
        return Err(format!(
            "push_interval {text:?} is too short: the minimum is 1s"
        ));
    }
    Ok(interval)
}

#[cfg(test)]
mod tests;
