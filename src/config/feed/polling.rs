//! When and how much of a feed is read (`interval` or `schedule` in `timezone`, `backlog`,
//! `timeout`, `max_body`, `max_new_per_poll`, `max_age`): built-in defaults, overlaid by `[defaults]`, overlaid by each
//! feed's own keys. A value that is wrong is reported where it is written and replaced by the one
//! below it, so a bad `[defaults]` key is reported once, not once per feed.

use std::ops::Range;
use std::time::Duration;

use chrono_tz::Tz;

use crate::config::calendar::{self, CronSchedule};
use crate::config::raw::FeedRaw;
use crate::config::report::{Report, check, key_path};
use crate::config::values;

/// A feed's `interval` when neither it nor `[defaults]` sets `interval` or `schedule`.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(15 * 60);
/// A feed's `backlog` when neither it nor `[defaults]` sets one.
pub const DEFAULT_BACKLOG: usize = 0;
/// A feed's `max_new_per_poll` when neither it nor `[defaults]` sets one.
pub const DEFAULT_MAX_NEW_PER_POLL: usize = 20;
/// A feed's `timeout` when neither it nor `[defaults]` sets one.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// A feed's `max_body` when neither it nor `[defaults]` sets one: 10 MiB.
pub const DEFAULT_MAX_BODY: u64 = 10 * 1024 * 1024;

/// How often a feed is polled.
#[derive(Debug, Clone)]
pub enum Cadence {
    /// Every interval at most (a poll comes a little early, never late).
    Every(Duration),
    /// On a cron schedule (seconds field first, as the `cron` crate reads it), in the feed's
    /// `timezone`.
    Cron(Box<CronSchedule>),
}

/// Below this, polling is allowed but `check` warns.
const POLITE_INTERVAL: Duration = Duration::from_secs(60);
const MIN_INTERVAL: Duration = Duration::from_secs(1);
const MIN_TIMEOUT: Duration = Duration::from_secs(1);

/// The polling settings of one table: the built-in ones, `[defaults]`, or a feed.
#[derive(Debug, Clone)]
pub(super) struct Polling {
    pub cadence: Cadence,
    /// Where the cadence was set (key and span), for the warning about impolite polling.
    pub cadence_at: (String, Option<Range<usize>>),
    pub backlog: usize,
    pub timeout: Duration,
    pub max_body: u64,
    /// Named as the config key it carries.
    #[allow(clippy::struct_field_names)]
    pub max_new_per_poll: usize,
    pub max_age: Option<Duration>,
    /// The zone a cron `schedule` is read in (`timezone`).
    pub timezone: Tz,
}

impl Polling {
    pub fn builtin() -> Self {
        Self {
            cadence: Cadence::Every(DEFAULT_INTERVAL),
            cadence_at: ("defaults.interval".to_owned(), None),
            backlog: DEFAULT_BACKLOG,
            timeout: DEFAULT_TIMEOUT,
            max_body: DEFAULT_MAX_BODY,
            max_new_per_poll: DEFAULT_MAX_NEW_PER_POLL,
            max_age: None,
            timezone: Tz::UTC,
        }
    }

    /// These settings with the keys of `raw` (a table at `path`) laid over them.
    pub fn overlay(&self, raw: &FeedRaw, path: &str, report: &mut Report) -> Self {
        let mut poll = self.clone();
        if let (Some(_), Some(schedule)) = (&raw.interval, &raw.schedule) {
            let message = "set either interval or schedule, not both";
            report.error(schedule.span(), &key_path(path, "schedule"), message);
        }
        if let Some(timezone) = &raw.timezone {
            let key = key_path(path, "timezone");
            poll.timezone =
                check(timezone, &key, report, |s| calendar::timezone(s)).unwrap_or(poll.timezone);
            // A schedule inherited from `[defaults]` is read in this table's zone.
            if let Cadence::Cron(schedule) = &mut poll.cadence {
                **schedule = schedule.as_ref().clone().in_timezone(poll.timezone);
            }
        }
        // Both are checked even when both are set, so that each is reported if wrong.
        let schedule = raw.schedule.as_ref().and_then(|schedule| {
            let key = key_path(path, "schedule");
            let cron = check(schedule, &key, report, |s| values::cron(s))?;
            let cron = CronSchedule::new(cron, poll.timezone);
            Some((Cadence::Cron(Box::new(cron)), (key, Some(schedule.span()))))
        });
        let interval = raw.interval.as_ref().and_then(|interval| {
            let key = key_path(path, "interval");
            let every = check(interval, &key, report, |s| parse_interval(s))?;
            Some((Cadence::Every(every), (key, Some(interval.span()))))
        });
        if let Some((cadence, at)) = interval.or(schedule) {
            poll.cadence = cadence;
            poll.cadence_at = at;
        }
        if let Some(backlog) = &raw.backlog {
            let parse = |n: &i64| {
                usize::try_from(*n).map_err(|_| format!("backlog {n} cannot be negative"))
            };
            poll.backlog =
                check(backlog, &key_path(path, "backlog"), report, parse).unwrap_or(poll.backlog);
        }
        if let Some(timeout) = &raw.timeout {
            let key = key_path(path, "timeout");
            poll.timeout =
                check(timeout, &key, report, |s| parse_timeout(s)).unwrap_or(poll.timeout);
        }
        if let Some(max_body) = &raw.max_body {
            let key = key_path(path, "max_body");
            poll.max_body =
                check(max_body, &key, report, values::byte_size).unwrap_or(poll.max_body);
        }
        if let Some(max_new) = &raw.max_new_per_poll {
            let parse = |n: &i64| {
                usize::try_from(*n).map_err(|_| {
                    format!("max_new_per_poll {n} cannot be negative (0 means no limit)")
                })
            };
            let key = key_path(path, "max_new_per_poll");
            poll.max_new_per_poll =
                check(max_new, &key, report, parse).unwrap_or(poll.max_new_per_poll);
        }
        if let Some(max_age) = &raw.max_age {
            let key = key_path(path, "max_age");
            if let Some(age) = check(max_age, &key, report, |s| values::duration(s)) {
                poll.max_age = Some(age);
            }
        }
        poll
    }

    /// Warns when `feed` would be polled more often than once a minute.
    pub fn warn_if_impolite(&self, feed: &str, report: &mut Report) {
        let (every, how) = match &self.cadence {
            Cadence::Every(every) => (Some(*every), "every"),
            Cadence::Cron(schedule) => (
                values::shortest_gap(schedule.expression()),
                "by its schedule as often as every",
            ),
        };
        if let Some(every) = every.filter(|every| *every < POLITE_INTERVAL) {
            let shown = humantime::format_duration(every);
            let message = format!(
                "feed {feed:?} is polled {how} {shown}: more often than once a minute is impolite to most hosts"
            );
            let (key, span) = &self.cadence_at;
            report.warn(span.clone(), key, message);
        }
    }
}

fn parse_interval(text: &str) -> Result<Duration, String> {
    let interval = values::duration(text)?;
    if interval < MIN_INTERVAL {
        return Err(format!("interval {text:?} is too short: the minimum is 1s"));
    }
    Ok(interval)
}

fn parse_timeout(text: &str) -> Result<Duration, String> {
    let timeout = values::duration(text)?;
    if timeout < MIN_TIMEOUT {
        return Err(format!("timeout {text:?} is too short: the minimum is 1s"));
    }
    Ok(timeout)
}
