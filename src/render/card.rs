//! What every target reads from a card, decided once: which link is safe to show, what the title
//! is when the feed gave none, which date counts, how names and dates read.

use chrono::{DateTime, Utc};
use url::Url;

use super::Card;
use super::clean::clean_line;
use super::html::to_rich_text;
use super::richtext::RichText;
use super::truncate::{Measure, truncate};

/// Shown when an entry has neither a title nor a summary to take one from.
pub const UNTITLED: &str = "(untitled)";

/// A card title is a headline; longer "titles" are whole posts from bridges and microblogs.
pub const TITLE_MAX_CHARS: usize = 300;

/// How much of an untitled entry's summary stands in for its title.
const TITLE_FROM_SUMMARY_CHARS: usize = 80;

/// Authors named before the rest are counted ("A, B, C and 4 more").
const AUTHORS_SHOWN: usize = 3;

impl Card<'_> {
    /// The entry's link, if it is an absolute http(s) URL.
    #[must_use]
    pub fn link(&self) -> Option<Url> {
        self.entry.link.as_deref().and_then(web_url)
    }

    /// The entry's image, if it is an https URL (chat clients refuse to load others).
    #[must_use]
    pub fn image(&self) -> Option<Url> {
        let url = Url::parse(self.entry.image.as_deref()?).ok()?;
        (url.scheme() == "https").then_some(url)
    }

    /// What relative links in the summary resolve against: the entry's page, else the feed.
    #[must_use]
    pub fn base_url(&self) -> Option<Url> {
        self.link().or_else(|| Url::parse(self.feed_url).ok())
    }

    /// The summary as rich text (empty when the entry has none).
    #[must_use]
    pub fn summary(&self) -> RichText {
        match self.entry.summary_html.as_deref() {
            Some(html) => to_rich_text(html, self.base_url().as_ref()),
            None => RichText::default(),
        }
    }

    /// The title as one clean line, or `None` when the entry has none or it is blank.
    #[must_use]
    pub fn title(&self) -> Option<String> {
        let title = clean_line(self.entry.title.as_deref()?);
        (!title.is_empty()).then_some(title)
    }

    /// The title to show: the entry's (at most [`TITLE_MAX_CHARS`]), else the start of its
    /// `summary`, else [`UNTITLED`].
    #[must_use]
    pub fn display_title(&self, summary: &RichText) -> String {
        if let Some(title) = self.title() {
            return truncate(&title, TITLE_MAX_CHARS, Measure::Chars).into_owned();
        }
        let preview = summary.to_single_line();
        if preview.is_empty() {
            return UNTITLED.to_owned();
        }
        truncate(&preview, TITLE_FROM_SUMMARY_CHARS, Measure::Chars).into_owned()
    }

    /// The feed's name from the config, as one clean line.
    #[must_use]
    pub fn feed_label(&self) -> String {
        clean_line(self.feed_name)
    }

    /// The date to show: when the entry was published, else when it was last updated.
    #[must_use]
    pub fn date(&self) -> Option<DateTime<Utc>> {
        self.entry.published.or(self.entry.updated)
    }

    /// The authors for display, or `None` when no author has a name.
    #[must_use]
    pub fn authors(&self) -> Option<String> {
        let names: Vec<String> = self
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
}

/// A date as people read it in a card: `27 Nov 2026 14:05 UTC`.
#[must_use]
pub fn format_date(date: DateTime<Utc>) -> String {
    date.format("%-d %b %Y %H:%M UTC").to_string()
}

fn web_url(text: &str) -> Option<Url> {
    let url = Url::parse(text).ok()?;
    matches!(url.scheme(), "http" | "https").then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures::Sample;

    #[test]
    fn dates_read_in_utc_with_a_short_month() {
        let date = DateTime::parse_from_rfc3339("2026-11-27T15:05:00+01:00").expect("valid date");
        assert_eq!(
            format_date(date.with_timezone(&Utc)),
            "27 Nov 2026 14:05 UTC"
        );
    }

    #[test]
    fn untitled_entry_takes_its_title_from_the_summary_start() {
        let sample = Sample::untitled();
        let card = sample.card();
        let title = card.display_title(&card.summary());
        assert!(title.starts_with("Just shipped a tiny fix"), "{title}");
        assert!(title.chars().count() <= TITLE_FROM_SUMMARY_CHARS);
    }

    #[test]
    fn entry_without_title_or_summary_is_untitled() {
        let mut sample = Sample::untitled();
        sample.entry.summary_html = None;
        let card = sample.card();
        assert_eq!(card.display_title(&card.summary()), UNTITLED);
    }

    #[test]
    fn many_authors_are_counted_after_the_first_three() {
        let mut sample = Sample::full();
        sample.entry.authors = ["A", "B", "", "C", "D", "E"].map(String::from).to_vec();
        assert_eq!(
            sample.card().authors().as_deref(),
            Some("A, B, C and 2 more")
        );
    }

    #[test]
    fn non_web_links_and_plain_http_images_are_not_used() {
        let mut sample = Sample::full();
        sample.entry.link = Some("javascript:alert(1)".into());
        sample.entry.image = Some("http://example.com/a.png".into());
        let card = sample.card();
        assert_eq!(card.link(), None);
        assert_eq!(card.image(), None);
        assert_eq!(
            card.base_url().map(String::from).as_deref(),
            Some(sample.feed_url.as_str())
        );
    }
}
