//! `digest` and `timezone`: a channel whose entries wait in the outbox and go out together, as one
//! card (or one email) per digest time, instead of one post per entry.
//!
//! `digest` is a cron schedule (`"0 0 9 * * Mon-Fri"`, seconds first; the classic five fields are
//! read at second 0), read in the channel's `timezone` (an IANA name, UTC by default), or an
//! interval (`"1h"`): a digest comes that long after the first entry waiting, and gathers every
//! entry queued meanwhile.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use crate::config::calendar::{self, CronSchedule};
use crate::config::raw::ChannelRaw;
use crate::config::report::{Report, check, key_path};
use crate::config::values;

/// The shortest interval between digests: shorter is a stream of posts, not a digest.
const MIN_DIGEST_INTERVAL: Duration = Duration::from_secs(60);
/// The longest interval between digests.
const MAX_DIGEST_INTERVAL: Duration = Duration::from_secs(28 * 24 * 3600);

/// When a digest channel posts its digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DigestSchedule {
    /// This long after the entry that has waited longest (and after the last digest).
    Every(Duration),
    /// At each firing of a cron schedule in the channel's time zone.
    Cron(Box<CronSchedule>),
}

impl DigestSchedule {
    /// The first digest time after `anchor` (the later of the last digest and the oldest entry
    /// waiting); `None` for a cron schedule that never fires again.
    #[must_use]
    pub fn next_after(&self, anchor: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Self::Every(every) => anchor.checked_add_signed(TimeDelta::from_std(*every).ok()?),
            Self::Cron(schedule) => schedule.next_after(anchor),
        }
    }

    /// The zone digest times are read and shown in: a cron schedule's, UTC for an interval
    /// (which no zone changes).
    #[must_use]
    pub fn timezone(&self) -> Tz {
        match self {
            Self::Every(_) => Tz::UTC,
            Self::Cron(schedule) => schedule.timezone(),
        }
    }

    /// `at` as people read it in the schedule's zone, with the zone's abbreviation (or offset,
    /// for a zone without one): `2026-12-03 09:00 CET`.
    #[must_use]
    pub fn shown(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.timezone())
            .format("%Y-%m-%d %H:%M %Z")
            .to_string()
    }

    /// `at` in RFC 3339 with the schedule's offset: `2026-12-03T09:00:00+01:00`.
    #[must_use]
    pub fn rfc3339(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.timezone()).to_rfc3339()
    }
}

impl fmt::Display for DigestSchedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Every(every) => write!(f, "every {}", humantime::format_duration(*every)),
            Self::Cron(schedule) => schedule.fmt(f),
        }
    }
}

/// The digest schedule of the channel at `path`, if it has one; a wrong `digest` or `timezone`
/// is reported and leaves the channel without a digest.
pub(super) fn digest(raw: &ChannelRaw, path: &str, report: &mut Report) -> Option<DigestSchedule> {
    let timezone = raw.timezone.as_ref().and_then(|timezone| {
        let key = key_path(path, "timezone");
        check(timezone, &key, report, |text| calendar::timezone(text))
    });
    let Some(digest) = &raw.digest else {
        if let Some(timezone) = &raw.timezone {
            let message = "timezone is read for a channel's digest schedule, and this channel has \
                           no digest (set digest = \"0 0 9 * * *\" or remove timezone)";
            report.error(timezone.span(), &key_path(path, "timezone"), message);
        }
        return None;
    };
    let key = key_path(path, "digest");
    let schedule = check(digest, &key, report, |text| {
        schedule(text, timezone.unwrap_or(Tz::UTC))
    })?;
    if raw.template.is_some() {
        let message = "a template renders one entry, and a digest posts many: a digest channel \
                       posts feedhook's digest object (remove template or digest)";
        report.error(digest.span(), &key, message);
        return None;
    }
    if let (DigestSchedule::Every(_), Some(zone)) = (&schedule, &raw.timezone) {
        let message = "timezone changes nothing for a digest set as an interval: only a cron \
                       digest is read in a time zone";
        report.warn(Some(zone.span()), &key_path(path, "timezone"), message);
    }
    Some(schedule)
}

/// `digest`: an interval (`"1h"`) or a cron schedule read in `timezone`.
fn schedule(text: &str, timezone: Tz) -> Result<DigestSchedule, String> {
    if let Ok(every) = values::duration(text) {
        if !(MIN_DIGEST_INTERVAL..=MAX_DIGEST_INTERVAL).contains(&every) {
            return Err(format!(
                "digest interval {text:?} is out of range: use from {} to {}",
                humantime::format_duration(MIN_DIGEST_INTERVAL),
                humantime::format_duration(MAX_DIGEST_INTERVAL)
            ));
        }
        return Ok(DigestSchedule::Every(every));
    }
    if text.split_whitespace().count() < 2 && !text.trim().starts_with('@') {
        return Err(format!(
            "digest {text:?} is neither an interval (such as \"1h\" or \"30m\") nor a cron \
             schedule (such as \"0 0 9 * * Mon-Fri\")"
        ));
    }
    let cron = values::cron(text).map_err(|error| format!("digest: {error}"))?;
    Ok(DigestSchedule::Cron(Box::new(CronSchedule::new(
        cron, timezone,
    ))))
}

#[cfg(test)]
mod tests;
