//! Attribute repairs in start tags: the RSS version, Atom 0.3's and UserLand's namespaces,
//! `type` spellings.

use std::fmt::Write as _;

use quick_xml::events::BytesStart;
use quick_xml::events::attributes::Attribute;

const ATOM_10: &str = "http://www.w3.org/2005/Atom";
const ATOM_03: &str = "http://purl.org/atom/ns#";
const MEDIA_RSS: &str = "http://search.yahoo.com/mrss/";
const RSS_10: &str = "http://purl.org/rss/1.0/";
const RSS_090: &str = "http://my.netscape.com/rdf/simple/0.9/";
/// UserLand's namespaces for RSS 0.92 and 2.0, which feed-rs does not know: elements in them are
/// plain RSS once the root loses the declaration.
const USERLAND: [&str; 2] = [
    "http://backend.userland.com/rss2",
    "http://backend.userland.com/rss",
];
const XHTML: &str = "http://www.w3.org/1999/xhtml";
const ITUNES: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";

/// The vocabularies this pass treats apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Vocabulary {
    /// Atom 1.0.
    Atom,
    /// Atom 0.3, which this pass turns into Atom 1.0.
    Atom03,
    MediaRss,
    /// RSS 0.9x/2.0 (unprefixed under an `<rss>` root) and RSS 0.90/1.0 (by namespace).
    Rss,
    Xhtml,
    Other,
}

impl Vocabulary {
    pub(super) fn of(namespace: &str) -> Self {
        match namespace {
            ATOM_10 => Self::Atom,
            ATOM_03 => Self::Atom03,
            MEDIA_RSS => Self::MediaRss,
            RSS_10 | RSS_090 => Self::Rss,
            _ if USERLAND.contains(&namespace) => Self::Rss,
            XHTML => Self::Xhtml,
            _ => Self::Other,
        }
    }

    pub(super) fn is_atom(self) -> bool {
        matches!(self, Self::Atom | Self::Atom03)
    }
}

/// The start tag rewritten when one of its attributes needs a repair; `None` when none does.
pub(super) fn rebuild(
    tag: &BytesStart,
    empty: bool,
    is_root: bool,
    vocabulary: Vocabulary,
) -> Option<String> {
    let (pairs, changed) = repaired(tag, is_root, vocabulary)?;
    changed.then(|| write(tag, pairs, empty))
}

/// The start tag with its attributes repaired as [`rebuild`] does, then `type` set to
/// `new_type` and `mode` (Atom 0.3's) removed.
pub(super) fn retyped(tag: &BytesStart, vocabulary: Vocabulary, new_type: &str) -> String {
    let (mut pairs, _) = repaired(tag, false, vocabulary).unwrap_or_default();
    pairs.retain(|(key, _)| key != "type" && key != "mode");
    pairs.push(("type".to_owned(), new_type.to_owned()));
    write(tag, pairs, false)
}

/// A published attribute value, as written (references not resolved).
pub(super) fn attribute(tag: &BytesStart, key: &str) -> Option<String> {
    let attribute = tag.try_get_attribute(key).ok()??;
    Some(attribute.value.into_owned())
}

/// The attributes of `tag` with the repairs this pass makes, and whether any was made. `None`
/// when the attributes cannot be read.
fn repaired(
    tag: &BytesStart,
    is_root: bool,
    vocabulary: Vocabulary,
) -> Option<(Vec<(String, String)>, bool)> {
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
        if is_rss_root && key == "xmlns" && USERLAND.contains(&value) {
            changed = true;
            continue;
        }
        let fixed = match key {
            // feed-rs reads 2.0, 0.91 and 0.92; the other 0.9x and 2.x versions are compatible.
            "version" if is_rss_root => {
                (!matches!(value, "2.0" | "0.91" | "0.92")).then(|| "2.0".to_owned())
            }
            "type" if vocabulary.is_atom() => atom_type(element, value, has_src),
            "type" if vocabulary == Vocabulary::MediaRss => media_type(element, value),
            _ if key == "xmlns" || key.starts_with("xmlns:") => namespace(value),
            _ => None,
        };
        changed |= fixed.is_some();
        pairs.push((key.to_owned(), fixed.unwrap_or_else(|| value.to_owned())));
    }
    if is_rss_root && !pairs.iter().any(|(key, _)| key == "version") {
        pairs.push(("version".to_owned(), "2.0".to_owned()));
        changed = true;
    }
    // `<media:content medium="image">` without a `type` (WordPress writes these) is still an
    // image; feed-rs reads only the type.
    if vocabulary == Vocabulary::MediaRss
        && element == "content"
        && !pairs.iter().any(|(key, _)| key == "type")
        && let Some((_, medium)) = pairs.iter().find(|(key, _)| key == "medium")
        && matches!(medium.as_str(), "image" | "audio" | "video")
    {
        let media_type = format!("{medium}/*");
        pairs.push(("type".to_owned(), media_type));
        changed = true;
    }
    Some((pairs, changed))
}

fn write(tag: &BytesStart, pairs: Vec<(String, String)>, empty: bool) -> String {
    let mut out = format!("<{}", tag.name().as_ref());
    for (key, value) in pairs {
        // Values are still escaped as published; only a quote character decides the delimiter.
        let quote = if value.contains('"') { '\'' } else { '"' };
        let _ = write!(out, " {key}={quote}{value}{quote}");
    }
    out.push_str(if empty { "/>" } else { ">" });
    out
}

/// The namespace feed-rs knows for a declared one it would not recognise: Atom 0.3's becomes
/// Atom 1.0's (this pass converts the rest), RSS 0.90's becomes RSS 1.0's (the same elements),
/// and iTunes' in any letter case (Apple's own documents wrote `DTDs/Podcast`) its lowercase form.
fn namespace(declared: &str) -> Option<String> {
    match declared {
        ATOM_03 => Some(ATOM_10.to_owned()),
        RSS_090 => Some(RSS_10.to_owned()),
        _ if declared.eq_ignore_ascii_case(ITUNES) && declared != ITUNES => Some(ITUNES.to_owned()),
        _ => None,
    }
}

/// The `type` of an Atom text construct or content as feed-rs accepts it, when the published
/// one differs: `TEXT`, `text/plain`, `application/xhtml+xml`, Atom 0.3's MIME types, and the
/// keywords `html`/`text` beside `src`, where the spec wants a MIME type.
pub(super) fn atom_type(element: &str, published: &str, has_src: bool) -> Option<String> {
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
