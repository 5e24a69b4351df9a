//! feed-rs's model onto ours, field by field as documented in [`super::model`].

use feed_rs::model::{self as rs, FeedType};
use sha2::{Digest, Sha256};
use url::Url;

use super::model::{Entry, FeedInfo, ParsedFeed};
use super::text::{self, Markup};

/// Converts a parsed document. Entry ids in `feed` must be empty where the document published
/// none (the parser is built with an id generator that returns an empty string).
pub(super) fn convert(feed: &rs::Feed, base: Option<&Url>) -> ParsedFeed {
    let is_rss = matches!(
        feed.feed_type,
        FeedType::RSS0 | FeedType::RSS1 | FeedType::RSS2
    );
    let info = FeedInfo {
        title: feed
            .title
            .as_ref()
            .and_then(|title| text::plain(&title.content, markup(title, is_rss))),
        link: page_link(&feed.links, base),
    };
    let feed_authors = names(&feed.authors);
    let entries = feed
        .entries
        .iter()
        .map(|entry| convert_entry(entry, base, is_rss, &feed_authors))
        .collect();
    ParsedFeed {
        info,
        entries,
        unread_entries: 0,
        hubs: super::HubLinks::default(),
    }
}

fn convert_entry(
    entry: &rs::Entry,
    base: Option<&Url>,
    is_rss: bool,
    feed_authors: &[String],
) -> Entry {
    let id = Some(entry.id.trim())
        .filter(|id| !id.is_empty())
        .map(str::to_owned);
    // Media RSS and iTunes titles stand in for a missing one.
    let title = entry
        .title
        .iter()
        .chain(entry.media.iter().filter_map(|media| media.title.as_ref()))
        .find_map(|title| text::plain(&title.content, markup(title, is_rss)));
    let link = page_link(&entry.links, base);
    let summary_html = summary(entry, is_rss);
    let key = id
        .clone()
        .or_else(|| link.clone())
        .unwrap_or_else(|| content_key(title.as_deref(), summary_html.as_deref()));
    let authors = match names(&entry.authors) {
        // Atom says entries inherit the feed's authors (RFC 4287 §4.2.1); so do the others here.
        authors if authors.is_empty() => feed_authors.to_vec(),
        authors => authors,
    };
    // RSS has no update date; feed-rs copies `pubDate` into `updated`, which would claim one.
    let updated = entry
        .updated
        .filter(|updated| !(is_rss && entry.published == Some(*updated)));
    Entry {
        key,
        id,
        title,
        link,
        published: entry.published,
        updated,
        authors,
        summary_html,
        categories: categories(&entry.categories),
        image: image(entry, base),
    }
}

fn markup(text: &rs::Text, is_rss: bool) -> Markup {
    if is_rss {
        Markup::Unlabelled
    } else if text.content_type.subty().as_str() == "plain" {
        Markup::Text
    } else {
        Markup::Html
    }
}

/// The key of an entry with neither id nor link: stable while its title and summary are.
fn content_key(title: Option<&str>, summary_html: Option<&str>) -> String {
    let digest = Sha256::digest(format!(
        "{}\n{}",
        title.unwrap_or_default(),
        summary_html.unwrap_or_default()
    ));
    format!("sha256:{digest:x}")
}

fn summary(entry: &rs::Entry, is_rss: bool) -> Option<String> {
    let from_summary = entry
        .summary
        .as_ref()
        .and_then(|summary| text::as_html(&summary.content, markup(summary, is_rss)));
    from_summary
        .or_else(|| content(entry, is_rss))
        // Media RSS descriptions and `itunes:summary` (which feed-rs files with them).
        .or_else(|| {
            entry
                .media
                .iter()
                .filter_map(|media| media.description.as_ref())
                .find_map(|description| {
                    text::as_html(&description.content, markup(description, is_rss))
                })
        })
}

fn content(entry: &rs::Entry, is_rss: bool) -> Option<String> {
    let content = entry.content.as_ref()?;
    let body = content.body.as_deref()?;
    let markup = match content.content_type.essence().to_string().as_str() {
        "text/plain" if !is_rss => Markup::Text,
        // feed-rs reads Atom `type="xhtml"` as `application/xhtml`.
        "text/plain" | "text/html" | "application/xhtml" | "application/xhtml+xml" => Markup::Html,
        // Inline XML documents and base64 payloads are not a summary.
        _ => return None,
    };
    text::as_html(body, markup)
}

/// The entry's (or feed's) web page: the first alternate link that is an absolute http(s) URL.
/// Links with another `rel` (self, enclosure, replies…) or a non-HTML type are something else.
fn page_link(links: &[rs::Link], base: Option<&Url>) -> Option<String> {
    links
        .iter()
        .filter(|link| link.target.is_none())
        .filter(|link| {
            link.rel
                .as_deref()
                .is_none_or(|rel| rel.trim().eq_ignore_ascii_case("alternate"))
        })
        .filter(|link| {
            link.media_type
                .as_deref()
                .is_none_or(|media_type| media_type.contains("html"))
        })
        .find_map(|link| absolute(&link.href, base, &["http", "https"]))
}

/// `href` resolved against the feed URL, if its scheme is one of `schemes`.
fn absolute(href: &str, base: Option<&Url>, schemes: &[&str]) -> Option<String> {
    let href = href.trim();
    let url = match base {
        Some(base) => base.join(href).ok()?,
        None => Url::parse(href).ok()?,
    };
    schemes.contains(&url.scheme()).then(|| url.into())
}

/// An https image for the card: a media thumbnail, else an image enclosure or attachment, else
/// media content of an image type. Chat clients refuse plain-http images.
fn image(entry: &rs::Entry, base: Option<&Url>) -> Option<String> {
    let thumbnails = entry
        .media
        .iter()
        .flat_map(|media| &media.thumbnails)
        .map(|thumbnail| thumbnail.image.uri.as_str());
    let enclosures = entry
        .links
        .iter()
        .filter(|link| {
            link.media_type.as_deref().is_some_and(|media_type| {
                media_type.trim().to_ascii_lowercase().starts_with("image/")
            })
        })
        .map(|link| link.href.as_str());
    let contents = entry
        .media
        .iter()
        .flat_map(|media| &media.content)
        .filter(|content| {
            content
                .content_type
                .as_ref()
                .is_some_and(|media_type| media_type.ty().as_str() == "image")
        })
        .filter_map(|content| content.url.as_ref().map(Url::as_str));
    thumbnails
        .chain(enclosures)
        .chain(contents)
        .find_map(|uri| absolute(uri, base, &["https"]))
}

/// Person names, or e-mail addresses for people without one; in order, without repeats.
fn names(people: &[rs::Person]) -> Vec<String> {
    distinct(people.iter().map(|person| {
        match person.name.as_deref().map(str::trim) {
            // RSS writes `address (Name)`; feed-rs keeps the parentheses.
            Some(name) => name
                .strip_prefix('(')
                .and_then(|name| name.strip_suffix(')'))
                .unwrap_or(name),
            None => person.email.as_deref().unwrap_or_default(),
        }
    }))
}

/// Category labels, or terms for categories without one; in order, without repeats.
fn categories(categories: &[rs::Category]) -> Vec<String> {
    distinct(
        categories
            .iter()
            .map(|category| category.label.as_deref().unwrap_or(&category.term)),
    )
}

fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for value in values.map(str::trim).filter(|value| !value.is_empty()) {
        if !out.iter().any(|seen| seen == value) {
            out.push(value.to_owned());
        }
    }
    out
}
