//! Recognises an HTML page served where a feed was expected, and the feeds it advertises.
//!
//! A feed URL that now answers with a web page (a moved blog, a login wall, a parked domain) is
//! an operator problem; naming the feeds the page links with `<link rel="alternate">` usually
//! tells them the new URL.

use std::sync::LazyLock;

use scraper::{Html, Selector};
use url::Url;

/// The `type` values that mark an alternate link as a feed.
const FEED_TYPES: [&str; 4] = [
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
];

static LINKS: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("link[rel][href]").expect("static selector is valid CSS"));
static BASE: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("base[href]").expect("static selector is valid CSS"));

/// Whether the document opens like an HTML page: a `<!DOCTYPE html>`, or `<html>`, `<head>` or
/// `<body>` as its first element (after comments and processing instructions).
pub(super) fn looks_like_html(text: &str) -> bool {
    let mut rest = text.trim_start();
    loop {
        let skip_to = if rest.starts_with("<!--") {
            "-->"
        } else if rest.starts_with("<?") {
            "?>"
        } else {
            break;
        };
        match rest.find(skip_to) {
            Some(end) => rest = rest[end + skip_to.len()..].trim_start(),
            None => return false,
        }
    }
    ["<!doctype html", "<html", "<head", "<body"]
        .iter()
        .any(|opening| {
            rest.get(..opening.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(opening))
                && rest[opening.len()..]
                    .starts_with(|c: char| c == '>' || c == '/' || c.is_ascii_whitespace())
        })
}

/// The absolute URLs of the feeds an HTML page advertises, in document order, without repeats.
pub(super) fn advertised_feeds(html: &str, page_url: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    let page = Url::parse(page_url).ok();
    // A <base href> changes what relative links resolve against; it is itself relative to the page.
    let base = document
        .select(&BASE)
        .next()
        .and_then(|base| base.attr("href"))
        .and_then(|href| resolve(href, page.as_ref()))
        .or(page);

    let mut feeds: Vec<String> = Vec::new();
    for link in document.select(&LINKS) {
        let rel = link.attr("rel").unwrap_or_default();
        let is_alternate = rel
            .split_ascii_whitespace()
            .any(|token| token.eq_ignore_ascii_case("alternate"));
        let media_type = link.attr("type").unwrap_or_default();
        let essence = media_type.split(';').next().unwrap_or_default().trim();
        let is_feed = FEED_TYPES
            .iter()
            .any(|feed_type| essence.eq_ignore_ascii_case(feed_type));
        if let (true, true, Some(href)) = (is_alternate, is_feed, link.attr("href"))
            && let Some(url) =
                resolve(href, base.as_ref()).filter(|url| matches!(url.scheme(), "http" | "https"))
        {
            let url = url.to_string();
            if !feeds.contains(&url) {
                feeds.push(url);
            }
        }
    }
    feeds
}

fn resolve(href: &str, base: Option<&Url>) -> Option<Url> {
    let href = href.trim();
    match base {
        Some(base) => base.join(href).ok(),
        None => Url::parse(href).ok(),
    }
}

#[cfg(test)]
mod tests;
