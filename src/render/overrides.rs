//! A channel's card overrides (`title_prefix`, `hide_summary`, `max_summary_chars`), applied once
//! to the card before any renderer runs, so that every platform shows them and no renderer needs
//! to know of them. The platform's own limits still apply afterwards.

use super::Card;
use super::card::ChannelCard;
use super::truncate::{rich_len, truncate_rich};
use crate::config::CardOverrides;

/// The card as the channel shows it: its summary read once, then hidden or cut, its title
/// prefixed.
#[must_use]
pub fn apply<'a>(overrides: &CardOverrides, card: &Card<'a>) -> ChannelCard<'a> {
    let mut shown = ChannelCard::new(card);
    if overrides.is_none() {
        return shown;
    }
    if let Some(title) = title(overrides, &shown) {
        shown.retitle(title);
    }
    if overrides.hide_summary {
        shown.hide_summary();
    } else if let Some(max) = overrides.max_summary_chars
        && rich_len(shown.summary()) > max
    {
        shown.cut_summary(truncate_rich(shown.summary(), max));
    }
    shown
}

/// The title with its prefix, or `None` to leave it as published. An untitled entry takes the
/// one its card would have made from the start of its summary, before the summary is hidden or
/// cut.
fn title(overrides: &CardOverrides, card: &ChannelCard<'_>) -> Option<String> {
    let prefix = overrides.title_prefix.as_deref();
    let title = match card.title().and(card.raw_title()) {
        Some(title) => title.to_owned(),
        None if prefix.is_some() || overrides.hide_summary => card.display_title(),
        None => return None,
    };
    Some(format!("{}{title}", prefix.unwrap_or_default()))
}

#[cfg(test)]
mod tests;
