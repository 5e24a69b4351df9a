//! The keys of `[channels.NAME]` that change every card of the channel, whatever its kind:
//! `title_prefix`, `hide_summary`, `max_summary_chars`. The render module applies them before any
//! renderer runs (`render::overrides`).

use toml::Spanned;

use crate::config::raw::ChannelRaw;
use crate::config::report::{Report, key_path};

/// A prefix longer than this would crowd out the title it labels.
const MAX_TITLE_PREFIX: usize = 100;

/// Per-channel changes to the card, applied before any renderer runs, so every kind gets them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardOverrides {
    /// Put before every title, as written (`"[Security] "`).
    pub title_prefix: Option<String>,
    /// Cards show no summary.
    pub hide_summary: bool,
    /// The summary is cut to this many characters (the ellipsis included) before the platform's
    /// own limits apply; at least 1.
    pub max_summary_chars: Option<usize>,
}

impl CardOverrides {
    /// Whether the cards are left as the renderers make them.
    #[must_use]
    pub fn is_none(&self) -> bool {
        *self == Self::default()
    }
}

/// Reads the card keys of the channel at `path`; a value that is wrong is reported and left unset.
pub(super) fn overrides(raw: &ChannelRaw, path: &str, report: &mut Report) -> CardOverrides {
    let title_prefix = raw.title_prefix.as_ref().and_then(|prefix| {
        title_prefix(prefix.get_ref())
            .map_err(|message| {
                report.error(prefix.span(), &key_path(path, "title_prefix"), message);
            })
            .ok()
    });
    let hide_summary = raw
        .hide_summary
        .as_ref()
        .is_some_and(|hide| *hide.get_ref());
    let max_summary_chars = raw
        .max_summary_chars
        .as_ref()
        .and_then(|max| max_summary_chars(max, hide_summary, path, report));
    CardOverrides {
        title_prefix,
        hide_summary,
        max_summary_chars,
    }
}

fn title_prefix(prefix: &str) -> Result<String, String> {
    if prefix.trim().is_empty() {
        return Err("the title_prefix is empty; remove the key to show titles as they are".into());
    }
    if prefix.chars().any(char::is_control) {
        return Err("the title_prefix must be one line, without tabs or control characters".into());
    }
    let length = prefix.chars().count();
    if length > MAX_TITLE_PREFIX {
        return Err(format!(
            "the title_prefix has {length} characters; the most is {MAX_TITLE_PREFIX}"
        ));
    }
    Ok(prefix.to_owned())
}

fn max_summary_chars(
    max: &Spanned<i64>,
    hide_summary: bool,
    path: &str,
    report: &mut Report,
) -> Option<usize> {
    let key = key_path(path, "max_summary_chars");
    if hide_summary {
        let message =
            "max_summary_chars has no effect with hide_summary = true; remove one of them";
        report.error(max.span(), &key, message);
        return None;
    }
    match usize::try_from(*max.get_ref()) {
        Ok(n) if n >= 1 => Some(n),
        _ => {
            let message = format!(
                "must be at least 1, not {}; use hide_summary = true to show no summary",
                max.get_ref()
            );
            report.error(max.span(), &key, message);
            None
        }
    }
}

#[cfg(test)]
mod tests;
