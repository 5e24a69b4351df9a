//! A feed's `include` and `exclude` patterns against its new entries: which are posted.
//!
//! This lives with the poll rather than in `parse` because it is a policy of what to post, not a
//! reading of the document, and it reads the summary as the cards show it (through `render`'s
//! HTML-to-text pass), which `parse` must not depend on. The store asks it about each new entry
//! only (see [`crate::store::QueueLimits::skip`]), so the summary of an entry seen before is never
//! converted again, and each refusal is logged once.

use std::borrow::Cow;

use crate::config::{Feed, FeedFilter, FilterField};
use crate::parse::Entry;
use crate::render::html::to_rich_text;
use crate::render::markup::plain::to_plain;

/// Why an entry is not posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal<'f> {
    /// Include patterns are set and none matched any field.
    NoIncludeMatched,
    /// `exclude[index]` (0-based, as `check` names it) matched `field`.
    Excluded {
        index: usize,
        pattern: &'f str,
        field: FilterField,
    },
}

impl std::fmt::Display for Refusal<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoIncludeMatched => f.write_str("no include pattern matched"),
            Self::Excluded {
                index,
                pattern,
                field,
            } => write!(f, "exclude[{index}] {pattern:?} matched the {field}"),
        }
    }
}

/// Whether `entry` passes `filter`: `None` when it does, else the rule that refused it. An
/// exclude that matches wins over an include that matches.
#[must_use]
pub fn refusal<'f>(filter: &'f FeedFilter, entry: &Entry) -> Option<Refusal<'f>> {
    if filter.is_empty() {
        return None;
    }
    let texts: Vec<(FilterField, Vec<Cow<'_, str>>)> = filter
        .fields
        .iter()
        .map(|&field| (field, field_texts(entry, field)))
        .collect();
    let excluded = filter
        .exclude
        .iter()
        .enumerate()
        .find_map(|(index, regex)| {
            let (field, _) = texts
                .iter()
                .find(|(_, values)| values.iter().any(|text| regex.is_match(text)))?;
            Some(Refusal::Excluded {
                index,
                pattern: regex.as_str(),
                field: *field,
            })
        });
    if excluded.is_some() {
        return excluded;
    }
    let included = filter.include.is_empty()
        || filter.include.iter().any(|regex| {
            texts
                .iter()
                .flat_map(|(_, values)| values)
                .any(|text| regex.is_match(text))
        });
    (!included).then_some(Refusal::NoIncludeMatched)
}

/// Whether the store is to record `entry` of `feed` without posting it; each refusal is logged.
pub fn skips(feed: &Feed, entry: &Entry) -> bool {
    let Some(refusal) = refusal(&feed.filter, entry) else {
        return false;
    };
    let title = entry.title.as_deref().unwrap_or("(untitled)");
    tracing::debug!(feed = %feed.display_name(), entry = %entry.key, title, rule = %refusal, "entry filtered out: recorded as seen, not posted");
    true
}

/// The texts of one field of `entry`, each matched on its own.
fn field_texts(entry: &Entry, field: FilterField) -> Vec<Cow<'_, str>> {
    match field {
        FilterField::Title => entry
            .title
            .iter()
            .map(|t| Cow::Borrowed(t.as_str()))
            .collect(),
        FilterField::Summary => entry
            .summary_html
            .as_deref()
            .map(|html| Cow::Owned(to_plain(&to_rich_text(html, None))))
            .into_iter()
            .collect(),
        FilterField::Categories => entry
            .categories
            .iter()
            .map(|c| Cow::Borrowed(c.as_str()))
            .collect(),
        FilterField::Author => entry
            .authors
            .iter()
            .map(|a| Cow::Borrowed(a.as_str()))
            .collect(),
    }
}

#[cfg(test)]
mod tests;
