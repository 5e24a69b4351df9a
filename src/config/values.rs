//! The value syntaxes of the file — durations, cron schedules, byte sizes, rates, URLs — each parsed
//! into its type or into a message an operator can act on. Callers add the key and the line.

use std::str::FromStr;
use std::time::Duration;

use super::raw::ByteSizeRaw;

const DURATION_HINT: &str = "use e.g. \"30s\", \"15m\", \"1h\"";
const SIZE_HINT: &str = "use a number of bytes or e.g. \"512KiB\", \"10MiB\", \"2MB\"";
const RATE_HINT: &str = "write posts per period, e.g. \"1/s\", \"30/m\", \"5/2s\", \"100/h\"";
/// A rate is kept as the time between two posts, which the delivery timer cannot resolve below this.
const MIN_SPACING: Duration = Duration::from_millis(1);
const CRON_HINT: &str = "write 6 fields with seconds first (\"0 */5 * * * *\") \
                         or the classic 5 without seconds (\"*/5 * * * *\")";

/// A humantime duration: `"30s"`, `"15m"`, `"1h 30m"`.
pub(super) fn duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text).map_err(|error| {
        use humantime::DurationError as E;
        let reason = match error {
            E::Empty => "it is empty".to_owned(),
            E::InvalidCharacter(at) => format!(
                "unexpected character {:?}",
                text.get(at..)
                    .and_then(|rest| rest.chars().next())
                    .unwrap_or(' ')
            ),
            E::NumberExpected(at) => {
                format!(
                    "expected a number before {:?}",
                    text.get(at..).unwrap_or("")
                )
            }
            E::UnknownUnit { unit, value, .. } if unit.is_empty() => {
                format!("a unit is needed, e.g. \"{value}s\" or \"{value}m\"")
            }
            E::UnknownUnit { unit, .. } => format!("unknown time unit {unit:?}"),
            E::NumberOverflow => "the number is too large".to_owned(),
        };
        format!("invalid duration {text:?}: {reason}; {DURATION_HINT}")
    })
}

/// A channel's `rate`, `COUNT/PERIOD` (`"4/s"`, `"30/m"`, `"5/2s"`, `"1/10s"`; a period without a
/// number means one of its unit), as the least time between two posts: the period over the count.
pub(super) fn rate(text: &str) -> Result<Duration, String> {
    let invalid = |reason: String| format!("invalid rate {text:?}: {reason}; {RATE_HINT}");
    let (count, period) = text
        .split_once('/')
        .ok_or_else(|| invalid("expected a number of posts, \"/\" and a period".to_owned()))?;
    let count = count.trim();
    let count: u32 = count
        .parse()
        .map_err(|_| invalid(format!("{count:?} is not a whole number of posts")))?;
    if count == 0 {
        return Err(invalid("0 posts per period would never post".to_owned()));
    }
    let period = period.trim();
    let written = if period.starts_with(|c: char| c.is_ascii_digit()) {
        period.to_owned()
    } else {
        format!("1{period}")
    };
    let period = humantime::parse_duration(&written).map_err(|_| {
        invalid(format!(
            "the period {period:?} is not a duration such as \"s\", \"m\", \"h\" or \"10s\""
        ))
    })?;
    let spacing = period / count;
    if spacing < MIN_SPACING {
        return Err(invalid(
            "that is more than one post per millisecond".to_owned(),
        ));
    }
    Ok(spacing)
}

/// A cron schedule as the `cron` crate reads it (seconds first, 6 or 7 fields). The classic 5-field
/// form (minutes first) is accepted by running it at second 0.
pub(super) fn cron(text: &str) -> Result<cron::Schedule, String> {
    let trimmed = text.trim();
    let fields = trimmed.split_whitespace().count();
    let expression = match fields {
        5 => format!("0 {trimmed}"),
        _ => trimmed.to_owned(),
    };
    if !trimmed.starts_with('@') && !(5..=7).contains(&fields) {
        return Err(format!(
            "invalid cron schedule {text:?}: it has {fields} fields; {CRON_HINT}"
        ));
    }
    cron::Schedule::from_str(&expression).map_err(|error| {
        // The crate's message repeats the expression with a caret line; keep only the explanation.
        let rendered = error.to_string();
        let detail: Vec<&str> = rendered.lines().skip(2).filter(|l| !l.is_empty()).collect();
        let reason = match detail.as_slice() {
            [] => "not a valid cron expression".to_owned(),
            lines => lines.join(" "),
        };
        format!("invalid cron schedule {text:?}: {reason}; {CRON_HINT}")
    })
}

/// The shortest time between two runs of `schedule`, judged on its first runs after 1970: enough to
/// tell a schedule that polls every few seconds from one that polls hourly.
pub(super) fn shortest_gap(schedule: &cron::Schedule) -> Option<Duration> {
    let runs: Vec<_> = schedule
        .after(&chrono::DateTime::UNIX_EPOCH)
        .take(16)
        .collect();
    runs.windows(2)
        .filter_map(|pair| (pair[1] - pair[0]).to_std().ok())
        .min()
}

/// `max_body`: an integer number of bytes or a string such as `"512KiB"`, `"10MiB"` or `"2MB"`.
pub(super) fn byte_size(raw: &ByteSizeRaw) -> Result<u64, String> {
    let bytes = match raw {
        ByteSizeRaw::Bytes(n) => {
            u64::try_from(*n).map_err(|_| format!("invalid size {n}: it cannot be negative"))?
        }
        ByteSizeRaw::Text(text) => size_text(text)?,
    };
    if bytes == 0 {
        return Err(format!("invalid size 0: no feed fits in it; {SIZE_HINT}"));
    }
    Ok(bytes)
}

fn size_text(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let (number, unit) = trimmed.split_at(
        trimmed
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(trimmed.len()),
    );
    let number: u64 = number.parse().map_err(|_| {
        format!("invalid size {text:?}: expected a whole number and a unit; {SIZE_HINT}")
    })?;
    let unit = unit.trim();
    let factor: u64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1000,
        "mb" => 1000 * 1000,
        "gb" => 1000 * 1000 * 1000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        _ => {
            return Err(format!(
                "invalid size {text:?}: unknown unit {unit:?}; {SIZE_HINT}"
            ));
        }
    };
    number
        .checked_mul(factor)
        .ok_or_else(|| format!("invalid size {text:?}: it is too large"))
}

/// Why a text is not an absolute URL of an expected scheme with a host.
pub(super) enum UrlProblem {
    /// Not a URL at all, for the parser's reason.
    Invalid(url::ParseError),
    /// A URL of another scheme, this one.
    Scheme(String),
    NoHost,
}

/// An absolute URL of one of `schemes`, with a host.
pub(super) fn url_of(text: &str, schemes: &[&str]) -> Result<url::Url, UrlProblem> {
    let url = url::Url::parse(text.trim()).map_err(UrlProblem::Invalid)?;
    if !schemes.contains(&url.scheme()) {
        return Err(UrlProblem::Scheme(url.scheme().to_owned()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(UrlProblem::NoHost);
    }
    Ok(url)
}

/// An absolute `http` or `https` URL with a host. The reason never repeats the URL, which may be a
/// secret; callers add it back when it is not.
pub(super) fn http_url(text: &str) -> Result<url::Url, String> {
    url_of(text, &["http", "https"]).map_err(|problem| match problem {
        UrlProblem::Invalid(error) => format!("not a valid URL: {error}"),
        UrlProblem::Scheme(scheme) => {
            format!("the URL must start with http:// or https://, not {scheme}:")
        }
        UrlProblem::NoHost => "the URL has no host".to_owned(),
    })
}

#[cfg(test)]
mod tests;
