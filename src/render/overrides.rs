//! A channel's card overrides (`title_prefix`, `hide_summary`, `max_summary_chars`), applied once
//! to a copy of the entry before any renderer runs, so that every platform shows them and no
//! renderer needs to know of them. The platform's own limits still apply afterwards.

use std::borrow::Cow;

use super::Card;
use super::html::from_rich_text;
use super::truncate::{rich_len, truncate_rich};
use crate::config::CardOverrides;
use crate::parse::Entry;

/// The entry as the channel's cards show it: borrowed unchanged when nothing is overridden.
#[must_use]
pub fn apply<'e>(overrides: &CardOverrides, card: &Card<'e>) -> Cow<'e, Entry> {
    if overrides.is_none() {
        return Cow::Borrowed(card.entry);
    }
    let mut entry = card.entry.clone();
    entry.title = title(overrides, card);
    if overrides.hide_summary {
        entry.summary_html = None;
    } else if let Some(max) = overrides.max_summary_chars {
        let summary = card.summary();
        if rich_len(&summary) > max {
            entry.summary_html = Some(from_rich_text(&truncate_rich(&summary, max)));
        }
    }
    Cow::Owned(entry)
}

/// The title with its prefix. An untitled entry takes the one its card would have made from the
/// start of its summary, before the summary is hidden or cut.
fn title(overrides: &CardOverrides, card: &Card<'_>) -> Option<String> {
    let own = card.title().and(card.entry.title.clone());
    let prefix = overrides.title_prefix.as_deref();
    let title = match own {
        Some(title) => title,
        None if prefix.is_some() || overrides.hide_summary => card.display_title(&card.summary()),
        None => return card.entry.title.clone(),
    };
    Some(format!("{}{title}", prefix.unwrap_or_default()))
}

#[cfg(test)]
#[path = "overrides_tests.rs"]
mod tests;
