//! Attribute repairs in start tags: the RSS version, Atom 0.3's namespace, `type` spellings.

use std::fmt::Write as _;

use quick_xml::events::BytesStart;
use quick_xml::events::attributes::Attribute;

const ATOM_10: &str = "http://www.w3.org/2005/Atom";
const ATOM_03: &str = "http://purl.org/atom/ns#";
const MEDIA_RSS: &str = "http://search.yahoo.com/mrss/";

/// The vocabularies whose attributes feed-rs reads strictly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Vocabulary {
    /// Atom 1.0, and Atom 0.3 which this pass turns into it.
    Atom,
    MediaRss,
    Other,
}

impl Vocabulary {
    pub(super) fn of(namespace: &str) -> Self {
        match namespace {
            ATOM_10 | ATOM_03 => Self::Atom,
            MEDIA_RSS => Self::MediaRss,
            _ => Self::Other,
        }
    }
}

/// The start tag rewritten when one of its attributes needs a repair; `None` when none does.
pub(super) fn rebuild(
    tag: &BytesStart,
    empty: bool,
    is_root: bool,
    vocabulary: Vocabulary,
) -> Option<String> {
    let local = tag.local_name();
    let element = local.as_ref();
    let attributes: Vec<Attribute> = tag
        .attributes()
        .with_checks(false)
        .collect::<Result<_, _>>()
        .ok()?;
    let has_src = attributes
        .iter()
        .any(|attribute| attribute.key.as_ref() == "src");
    let is_rss_root = is_root && element == "rss";

    let mut changed = false;
    let mut pairs: Vec<(String, String)> = Vec::with_capacity(attributes.len() + 1);
    for attribute in &attributes {
        let key = attribute.key.as_ref();
        let value = attribute.value.as_ref();
        let fixed = match key {
            // feed-rs reads 2.0, 0.91 and 0.92; the other 0.9x and 2.x versions are compatible.
            "version" if is_rss_root => {
                (!matches!(value, "2.0" | "0.91" | "0.92")).then(|| "2.0".to_owned())
            }
            "type" if vocabulary == Vocabulary::Atom => atom_type(element, value, has_src),
            "type" if vocabulary == Vocabulary::MediaRss => media_type(element, value),
            _ if (key == "xmlns" || key.starts_with("xmlns:")) && value == ATOM_03 => {
                Some(ATOM_10.to_owned())
            }
            _ => None,
        };
        changed |= fixed.is_some();
        pairs.push((key.to_owned(), fixed.unwrap_or_else(|| value.to_owned())));
    }
    if is_rss_root && !pairs.iter().any(|(key, _)| key == "version") {
        pairs.push(("version".to_owned(), "2.0".to_owned()));
        changed = true;
    }
    changed.then(|| {
        let mut out = format!("<{}", tag.name().as_ref());
        for (key, value) in pairs {
            // Values are still escaped as published; only a quote character decides the delimiter.
            let quote = if value.contains('"') { '\'' } else { '"' };
            let _ = write!(out, " {key}={quote}{value}{quote}");
        }
        out.push_str(if empty { "/>" } else { ">" });
        out
    })
}

/// The `type` of an Atom text construct or content as feed-rs accepts it, when the published
/// one differs: `TEXT`, `text/plain`, `application/xhtml+xml`, Atom 0.3's MIME types, and the
/// keywords `html`/`text` beside `src`, where the spec wants a MIME type.
fn atom_type(element: &str, published: &str, has_src: bool) -> Option<String> {
    let lower = published.trim().to_ascii_lowercase();
    let fixed = match element {
        "title" | "subtitle" | "summary" | "rights" | "tagline" | "copyright" => {
            match lower.as_str() {
                "text" | "html" | "xhtml" => lower,
                "text/html" => "html".to_owned(),
                "application/xhtml+xml" => "xhtml".to_owned(),
                _ => "text".to_owned(),
            }
        }
        "content" if has_src => match lower.as_str() {
            "text" => "text/plain".to_owned(),
            "html" => "text/html".to_owned(),
            "xhtml" => "application/xhtml+xml".to_owned(),
            _ => lower,
        },
        "content" => match lower.as_str() {
            "text/plain" => "text".to_owned(),
            "application/xhtml+xml" => "xhtml".to_owned(),
            _ if lower.contains('/') => lower,
            "text" | "html" | "xhtml" => lower,
            _ => "text".to_owned(),
        },
        _ => return None,
    };
    (fixed != published).then_some(fixed)
}

/// Media RSS titles and descriptions are `plain` or `html`; feed-rs rejects anything else.
fn media_type(element: &str, published: &str) -> Option<String> {
    if !matches!(element, "title" | "description") {
        return None;
    }
    let lower = published.trim().to_ascii_lowercase();
    let fixed = if lower.contains("html") {
        "html"
    } else {
        "plain"
    };
    (fixed != published).then(|| fixed.to_owned())
}
