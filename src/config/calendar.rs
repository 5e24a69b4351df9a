//! Wall-clock schedules: a cron expression read in a time zone (`timezone = "Europe/Paris"`, from
//! the IANA database that chrono-tz carries; UTC by default). A feed's `schedule` and a channel's
//! `digest` are both one of these, so "9:00 on weekdays" stays 9:00 local time across the
//! daylight-saving changes.

use chrono::{DateTime, LocalResult, TimeZone, Utc};
use chrono_tz::Tz;

/// A cron schedule (seconds first, as the `cron` crate reads it) in a time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronSchedule {
    schedule: cron::Schedule,
    timezone: Tz,
}

impl CronSchedule {
    #[must_use]
    pub fn new(schedule: cron::Schedule, timezone: Tz) -> Self {
        Self { schedule, timezone }
    }

    /// The same schedule read in `timezone`.
    #[must_use]
    pub fn in_timezone(mut self, timezone: Tz) -> Self {
        self.timezone = timezone;
        self
    }

    #[must_use]
    pub fn timezone(&self) -> Tz {
        self.timezone
    }

    /// The firings strictly after `now`, in order. A local time that a spring-forward change
    /// skips does not fire that day; one that an autumn change repeats fires once, at its first
    /// occurrence, so a daily digest is never posted twice in one night.
    pub fn upcoming(&self, now: DateTime<Utc>) -> impl Iterator<Item = DateTime<Utc>> + '_ {
        self.schedule
            .after(&now.with_timezone(&self.timezone))
            .filter(|at| !self.is_repeated(at))
            .map(|at| at.with_timezone(&Utc))
    }

    /// Whether `at` is the second occurrence of a local time that an autumn change repeats.
    fn is_repeated(&self, at: &DateTime<Tz>) -> bool {
        matches!(
            self.timezone.from_local_datetime(&at.naive_local()),
            LocalResult::Ambiguous(first, _) if first != *at
        )
    }

    /// The first firing after `now`; `None` for a schedule that never fires again.
    #[must_use]
    pub fn next_after(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.upcoming(now).next()
    }

    /// The cron expression as the crate reads it (without the time zone).
    #[must_use]
    pub fn expression(&self) -> &cron::Schedule {
        &self.schedule
    }
}

impl std::fmt::Display for CronSchedule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.schedule, self.timezone)
    }
}

/// `timezone`: an IANA zone name such as `"Europe/Paris"` or `"UTC"`.
pub(super) fn timezone(text: &str) -> Result<Tz, String> {
    text.trim().parse::<Tz>().map_err(|_| {
        format!(
            "unknown time zone {text:?}: use an IANA name such as \"Europe/Paris\", \
             \"America/New_York\" or \"UTC\""
        )
    })
}

#[cfg(test)]
mod tests;
