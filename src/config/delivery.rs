//! How each channel's delivery is bounded: `timeout`, `max_pause` and `suspend_after`, set for all
//! channels in `[delivery]` and per channel in `[channels.NAME]`. Every value is a humantime
//! duration within bounds an operator would not regret: zero would post nothing, a year would
//! hold a channel hostage to one webhook's whim.

use std::time::Duration;

use toml::Spanned;

use super::raw::{ChannelRaw, DeliveryRaw};
use super::report::{Report, key_path};
use super::values;

/// `timeout` when neither table sets it: the deadline of one post.
pub const DEFAULT_POST_TIMEOUT: Duration = Duration::from_secs(30);
/// `max_pause` when neither table sets it.
pub const DEFAULT_MAX_PAUSE: Duration = Duration::from_secs(3600);
/// `suspend_after` when neither table sets it.
pub const DEFAULT_SUSPEND_AFTER: Duration = Duration::from_secs(3600);
const DAY: Duration = Duration::from_secs(24 * 3600);

/// The delivery bounds of one channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryPolicy {
    /// The deadline for one post, connecting to the last byte of the answer.
    pub timeout: Duration,
    /// The longest a webhook's `Retry-After` (or rate-limit reset) may hold the channel.
    pub max_pause: Duration,
    /// A channel whose posts have failed (network errors, timeouts, 5xx) for this long without one
    /// getting through is suspended and probed with backoff.
    pub suspend_after: Duration,
}

impl Default for DeliveryPolicy {
    fn default() -> Self {
        Self {
            timeout: DEFAULT_POST_TIMEOUT,
            max_pause: DEFAULT_MAX_PAUSE,
            suspend_after: DEFAULT_SUSPEND_AFTER,
        }
    }
}

/// Each key's name, with the shortest and longest value accepted.
struct Bounds {
    key: &'static str,
    least: Duration,
    most: Duration,
}

const TIMEOUT: Bounds = Bounds {
    key: "timeout",
    least: Duration::from_secs(1),
    most: Duration::from_secs(10 * 60),
};
const MAX_PAUSE: Bounds = Bounds {
    key: "max_pause",
    least: Duration::from_secs(1),
    most: DAY,
};
const SUSPEND_AFTER: Bounds = Bounds {
    key: "suspend_after",
    least: Duration::from_secs(60),
    most: DAY,
};

/// `[delivery]`: the policy every channel starts from.
pub(super) fn defaults(raw: &DeliveryRaw, report: &mut Report) -> DeliveryPolicy {
    let base = DeliveryPolicy::default();
    laid_over(&base, &raw.keys(), "delivery", report)
}

/// The policy of the channel at `path`: its own keys laid over `defaults`.
pub(super) fn for_channel(
    raw: &ChannelRaw,
    defaults: &DeliveryPolicy,
    path: &str,
    report: &mut Report,
) -> DeliveryPolicy {
    let keys = [&raw.timeout, &raw.max_pause, &raw.suspend_after];
    laid_over(defaults, &keys, path, report)
}

fn laid_over(
    base: &DeliveryPolicy,
    [timeout, max_pause, suspend_after]: &[&Option<Spanned<String>>; 3],
    path: &str,
    report: &mut Report,
) -> DeliveryPolicy {
    let mut read = |value: &Option<Spanned<String>>, bounds: &Bounds, fallback: Duration| {
        let Some(value) = value else { return fallback };
        bounded(value.get_ref(), bounds)
            .map_err(|message| report.error(value.span(), &key_path(path, bounds.key), message))
            .unwrap_or(fallback)
    };
    DeliveryPolicy {
        timeout: read(timeout, &TIMEOUT, base.timeout),
        max_pause: read(max_pause, &MAX_PAUSE, base.max_pause),
        suspend_after: read(suspend_after, &SUSPEND_AFTER, base.suspend_after),
    }
}

fn bounded(text: &str, bounds: &Bounds) -> Result<Duration, String> {
    let value = values::duration(text)?;
    let shown = |d: Duration| humantime::format_duration(d).to_string();
    if value < bounds.least || value > bounds.most {
        return Err(format!(
            "{} {text:?} is out of range: use from {} to {}",
            bounds.key,
            shown(bounds.least),
            shown(bounds.most)
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests;
