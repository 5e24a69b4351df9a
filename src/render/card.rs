//! What every target reads from a card, decided once: the summary read from the entry's HTML,
//! which link is safe to show, what the title is when the feed gave none, which date counts, how
//! names and dates read. A [`ChannelCard`] is a [`Card`] as one channel shows it: made by
//! [`super::overrides::apply`] with the channel's card overrides, or as published with
//! [`ChannelCard::new`].

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use url::Url;

use super::Card;
use super::clean::clean_line;
use super::html::{from_rich_text, to_rich_text};
use super::richtext::RichText;
use super::truncate::{Measure, truncate, truncate_rich};

/// Shown when an entry has neither a title nor a summary to take one from.
pub const UNTITLED: &str = "(untitled)";

/// A card title is a headline; longer "titles" are whole posts from bridges and microblogs.
pub const TITLE_MAX_CHARS: usize = 300;

/// A card is a preview: beyond this much of its summary the reader is better served by the link.
pub const PREVIEW_MAX_CHARS: usize = 3_000;

/// How much of an untitled entry's summary stands in for its title.
const TITLE_FROM_SUMMARY_CHARS: usize = 80;

/// Authors named before the rest are counted ("A, B, C and 4 more").
const AUTHORS_SHOWN: usize = 3;

/// Between the parts of a byline ("rust-blog · Jane Doe · 27 Nov 2026 14:05 UTC").
const BYLINE_SEPARATOR: &str = " · ";

/// A card as one channel shows it, what every target renders: the entry's summary parsed once
/// into rich text, and its title and summary as the channel's overrides leave them.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelCard<'a> {
    card: Card<'a>,
    /// The entry's title as published, the channel's prefix added.
    title: Option<Cow<'a, str>>,
    summary: RichText,
    summary_html: SummaryHtml,
}

/// Where a channel card's summary HTML comes from, for the targets that pass it on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SummaryHtml {
    /// The entry's, as published.
    Published,
    /// Written from the summary, which the channel cut.
    Cut,
    /// None: the channel hides the summary.
    Hidden,
}

impl<'a> ChannelCard<'a> {
    /// `card` as published, its summary read from its HTML (relative links resolved against
    /// [`Self::base_url`]).
    #[must_use]
    pub fn new(card: &Card<'a>) -> Self {
        let mut shown = Self {
            card: card.clone(),
            title: card.entry.title.as_deref().map(Cow::Borrowed),
            summary: RichText::default(),
            summary_html: SummaryHtml::Published,
        };
        if let Some(html) = card.entry.summary_html.as_deref() {
            shown.summary = to_rich_text(html, shown.base_url().as_ref());
        }
        shown
    }

    /// The feed and entry the card was made from.
    #[must_use]
    pub fn source(&self) -> &Card<'a> {
        &self.card
    }

    /// The summary as rich text (empty when the entry has none or the channel hides it).
    #[must_use]
    pub fn summary(&self) -> &RichText {
        &self.summary
    }

    /// The start of the summary a card shows at most ([`PREVIEW_MAX_CHARS`]).
    #[must_use]
    pub fn preview(&self) -> RichText {
        truncate_rich(&self.summary, PREVIEW_MAX_CHARS)
    }

    /// The summary as HTML, for targets that pass it on: the entry's as published, or written
    /// from the summary the channel cut.
    #[must_use]
    pub fn summary_html(&self) -> Option<Cow<'a, str>> {
        match self.summary_html {
            SummaryHtml::Published => self.card.entry.summary_html.as_deref().map(Cow::Borrowed),
            SummaryHtml::Cut => Some(Cow::Owned(from_rich_text(&self.summary))),
            SummaryHtml::Hidden => None,
        }
    }

    /// The title as published (the channel's prefix added), for targets that pass it on.
    #[must_use]
    pub fn raw_title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// The title as one clean line, or `None` when the entry has none or it is blank.
    #[must_use]
    pub fn title(&self) -> Option<String> {
        let title = clean_line(self.title.as_deref()?);
        (!title.is_empty()).then_some(title)
    }

    /// The title to show: the entry's (at most [`TITLE_MAX_CHARS`]), else the start of its
    /// summary, else [`UNTITLED`].
    #[must_use]
    pub fn display_title(&self) -> String {
        if let Some(title) = self.title() {
            return truncate(&title, TITLE_MAX_CHARS, Measure::Chars).into_owned();
        }
        let preview = self.summary.to_single_line();
        if preview.is_empty() {
            return UNTITLED.to_owned();
        }
        truncate(&preview, TITLE_FROM_SUMMARY_CHARS, Measure::Chars).into_owned()
    }

    /// The entry's link, if it is an absolute http(s) URL.
    #[must_use]
    pub fn link(&self) -> Option<Url> {
        self.card.entry.link.as_deref().and_then(web_url)
    }

    /// The entry's image, if it is an https URL (chat clients refuse to load others).
    #[must_use]
    pub fn image(&self) -> Option<Url> {
        let url = Url::parse(self.card.entry.image.as_deref()?).ok()?;
        (url.scheme() == "https").then_some(url)
    }

    /// What relative links in the summary resolve against: the entry's page, else the feed.
    #[must_use]
    pub fn base_url(&self) -> Option<Url> {
        self.link().or_else(|| Url::parse(self.card.feed_url).ok())
    }

    /// The feed's name from the config, as one clean line.
    #[must_use]
    pub fn feed_label(&self) -> String {
        clean_line(self.card.feed_name)
    }

    /// The date to show: when the entry was published, else when it was last updated.
    #[must_use]
    pub fn date(&self) -> Option<DateTime<Utc>> {
        self.card.entry.published.or(self.card.entry.updated)
    }

    /// The authors for display, or `None` when no author has a name.
    #[must_use]
    pub fn authors(&self) -> Option<String> {
        let names: Vec<String> = self
            .card
            .entry
            .authors
            .iter()
            .map(|a| truncate(&clean_line(a), 100, Measure::Chars).into_owned())
            .filter(|a| !a.is_empty())
            .collect();
        match names.len() {
            0 => None,
            n if n <= AUTHORS_SHOWN => Some(names.join(", ")),
            n => Some(format!(
                "{} and {} more",
                names[..AUTHORS_SHOWN].join(", "),
                n - AUTHORS_SHOWN
            )),
        }
    }

    /// Replaces the title (a channel's prefix added).
    pub(super) fn retitle(&mut self, title: String) {
        self.title = Some(Cow::Owned(title));
    }

    /// Leaves the card without a summary.
    pub(super) fn hide_summary(&mut self) {
        self.summary = RichText::default();
        self.summary_html = SummaryHtml::Hidden;
    }

    /// Replaces the summary by a cut of it.
    pub(super) fn cut_summary(&mut self, summary: RichText) {
        self.summary = summary;
        self.summary_html = SummaryHtml::Cut;
    }
}

/// The parts of a byline that have something to say, joined by ` · ` and cut to `max_chars`.
#[must_use]
pub fn byline(parts: impl IntoIterator<Item = Option<String>>, max_chars: usize) -> String {
    let parts: Vec<String> = parts
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .collect();
    truncate(&parts.join(BYLINE_SEPARATOR), max_chars, Measure::Chars).into_owned()
}

/// A date as people read it in a card: `27 Nov 2026 14:05 UTC`.
#[must_use]
pub fn format_date(date: DateTime<Utc>) -> String {
    format_date_in(date, chrono_tz::Tz::UTC)
}

/// A date as people read it in `zone`, with the zone's abbreviation (or offset, for a zone
/// without one): `27 Nov 2026 15:05 CET`; as [`format_date`] in UTC.
#[must_use]
pub fn format_date_in(date: DateTime<Utc>, zone: chrono_tz::Tz) -> String {
    date.with_timezone(&zone)
        .format("%-d %b %Y %H:%M %Z")
        .to_string()
}

fn web_url(text: &str) -> Option<Url> {
    let url = Url::parse(text).ok()?;
    matches!(url.scheme(), "http" | "https").then_some(url)
}

#[cfg(test)]
mod tests;
