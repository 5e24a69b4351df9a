//! WebSub discovery in the document (W3C WebSub §4): the hubs a feed advertises and the URL it
//! calls itself, which is the topic to subscribe to. In Atom and RSS these are `<link rel="hub">`
//! and `<link rel="self">` (`atom:link` in RSS) at feed level; in JSON Feed, `hubs` and
//! `feed_url`. The HTTP `Link` header is the fetch's to read; the poll puts the two together.
//!
//! feed-rs keeps neither (RSS `atom:link`s and JSON Feed `hubs` are dropped), so the prepared text
//! is scanned here, up to the first entry: an entry's own links are not the feed's.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use url::Url;

/// What a document advertises for WebSub.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HubLinks {
    /// The hubs, in document order, without repeats; absolute http(s) URLs.
    pub hubs: Vec<Url>,
    /// The feed's own URL (`rel="self"`, JSON Feed `feed_url`): the topic.
    pub topic: Option<Url>,
}

impl HubLinks {
    /// These links with those of the HTTP `Link` header (relation, target) laid over them: a
    /// subscriber is to prefer the header (WebSub §4), which a hub service can set for a
    /// publisher that cannot edit its feed.
    #[must_use]
    pub fn overlaid_by<'a>(self, header: impl IntoIterator<Item = (&'a str, &'a Url)>) -> Self {
        let mut from_header = HubLinks::default();
        for (rel, url) in header {
            from_header.add_url(rel, url);
        }
        HubLinks {
            hubs: if from_header.hubs.is_empty() {
                self.hubs
            } else {
                from_header.hubs
            },
            topic: from_header.topic.or(self.topic),
        }
    }

    fn add(&mut self, rel: &str, href: &str, base: Option<&Url>) {
        if let Some(url) = absolute(href, base) {
            self.add_url(rel, &url);
        }
    }

    fn add_url(&mut self, rel: &str, url: &Url) {
        if !matches!(url.scheme(), "http" | "https") {
            return;
        }
        for rel in rel.split_ascii_whitespace() {
            if rel.eq_ignore_ascii_case("hub") && !self.hubs.contains(url) {
                self.hubs.push(url.clone());
            } else if rel.eq_ignore_ascii_case("self") && self.topic.is_none() {
                self.topic = Some(url.clone());
            }
        }
    }
}

/// The hub links of `text`, a prepared XML or JSON document fetched from `base`.
pub(super) fn discover(text: &str, base: Option<&Url>) -> HubLinks {
    match text.find(['<', '{']).map(|at| text.as_bytes()[at]) {
        Some(b'{') => from_json(text, base),
        Some(_) => from_xml(text, base),
        None => HubLinks::default(),
    }
}

fn from_xml(text: &str, base: Option<&Url>) -> HubLinks {
    let mut links = HubLinks::default();
    let mut reader = Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(Event::Start(tag) | Event::Empty(tag)) => match tag.local_name().as_ref() {
                "item" | "entry" => break,
                "link" => {
                    if let (Some(rel), Some(href)) =
                        (attribute(&tag, "rel"), attribute(&tag, "href"))
                    {
                        links.add(&rel, &href, base);
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    links
}

fn attribute(tag: &BytesStart<'_>, name: &str) -> Option<String> {
    tag.attributes().flatten().find_map(|attribute| {
        (attribute.key.local_name().as_ref() == name)
            .then(|| {
                attribute
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
            })
            .flatten()
            .map(|value| value.trim().to_owned())
    })
}

fn from_json(text: &str, base: Option<&Url>) -> HubLinks {
    let mut links = HubLinks::default();
    let Ok(document) = serde_json::from_str::<serde_json::Value>(text) else {
        return links;
    };
    let hubs = document.get("hubs").and_then(serde_json::Value::as_array);
    for hub in hubs.into_iter().flatten() {
        if let Some(url) = hub.get("url").and_then(serde_json::Value::as_str) {
            links.add("hub", url, base);
        }
    }
    if let Some(url) = document.get("feed_url").and_then(serde_json::Value::as_str) {
        links.add("self", url, base);
    }
    links
}

fn absolute(href: &str, base: Option<&Url>) -> Option<Url> {
    match base {
        Some(base) => base.join(href).ok(),
        None => Url::parse(href).ok(),
    }
}

#[cfg(test)]
mod tests;
