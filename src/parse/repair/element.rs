//! Elements whose contents or name this pass rewrites, because feed-rs would lose what they say:
//!
//! - **raw child elements** in text (an RSS `<title>Hello <b>World</b></title>`, an Atom
//!   `type="html"` summary with unescaped markup): feed-rs keeps only the text before the first
//!   child, so the children are escaped into the text, which then reads as HTML (an Atom
//!   `type="text"` construct with children becomes `type="html"`);
//! - **base64** (Atom 0.3 `mode="base64"`; Atom 1.0 content, or a text construct, of a media type
//!   that is neither text nor XML): decoded in place when it is UTF-8 text;
//! - **Atom 0.3 dates**: `issued` and `modified` become `published` and `updated`;
//! - **`xhtml:body`** in an RSS item: becomes `content:encoded` with its markup escaped.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use quick_xml::events::BytesStart;

use super::super::sniff;
use super::tag::{self, Vocabulary};
use super::{Root, Walk, reference};

/// An element open now whose contents or end tag are rewritten.
pub(super) struct Special {
    /// `Walk::depth` inside the element: its children open at this depth.
    depth: usize,
    /// Where the start tag is, and the index in `Walk::edits` its own edit has or would have.
    tag: (usize, usize),
    tag_edit: usize,
    kind: Kind,
}

enum Kind {
    /// Child elements are text. `retyped`: the start tag to use once a child is seen.
    EscapeChildren {
        retyped: Option<String>,
        end_tag: Option<&'static str>,
    },
    /// Base64 content; the start tag to use once it is decoded, as text and as HTML. Decoded
    /// text of no declared markup is HTML when it reads as HTML.
    Base64 {
        as_text: Option<String>,
        as_html: Option<String>,
    },
    /// Only the name changes; the end tag to write.
    Rename { end_tag: String },
}

const ATOM_TEXT: [&str; 8] = [
    "title",
    "subtitle",
    "summary",
    "rights",
    "tagline",
    "copyright",
    "info",
    "content",
];

/// Namespace of RSS's `content:encoded`, which feed-rs reads as the entry's content.
const CONTENT_NS: &str = "http://purl.org/rss/1.0/modules/content/";

impl Walk {
    /// Whether a start (or empty) tag at `range` lies inside an element whose children are
    /// text; if so it has been escaped.
    pub(super) fn escaped_child(&mut self, range: (usize, usize), empty: bool, text: &str) -> bool {
        let Some(special) = self.special.as_mut() else {
            return false;
        };
        if self.depth < special.depth {
            return false;
        }
        match &mut special.kind {
            Kind::EscapeChildren { retyped, .. } => {
                if let Some(retyped) = retyped.take() {
                    replace_tag_edit(&mut self.edits, special.tag, special.tag_edit, retyped);
                }
                let tag = &text[range.0..range.1];
                self.edits
                    .push((range.0, range.1, escape_child(tag, empty)));
                self.depth += usize::from(!empty);
                true
            }
            // Base64 never holds elements: this is something else, left as published.
            Kind::Base64 { .. } => {
                self.special = None;
                false
            }
            Kind::Rename { .. } => false,
        }
    }

    /// Notes an element just opened (its start tag at `range`, edit already pushed) if its
    /// contents or end tag are to be rewritten; its start tag may be replaced here.
    pub(super) fn open_special(
        &mut self,
        tag: &BytesStart,
        vocabulary: Vocabulary,
        range: (usize, usize),
        tag_edit: usize,
    ) {
        let local = tag.local_name();
        let kind = match (vocabulary, local.as_ref()) {
            (Vocabulary::Atom03, name @ ("issued" | "modified")) => {
                let new = if name == "issued" {
                    "published"
                } else {
                    "updated"
                };
                let qname = tag.name().as_ref().to_owned();
                let renamed = qname.replacen(name, new, 1);
                replace_tag_edit(&mut self.edits, range, tag_edit, format!("<{renamed}>"));
                Kind::Rename {
                    end_tag: format!("</{renamed}>"),
                }
            }
            (vocabulary, name) if vocabulary.is_atom() && ATOM_TEXT.contains(&name) => {
                match atom_kind(tag, vocabulary) {
                    Some(kind) => kind,
                    None => return,
                }
            }
            (Vocabulary::Rss, "title" | "description") => Kind::EscapeChildren {
                retyped: None,
                end_tag: None,
            },
            // feedparser's reading of an RSS item's `<body>`, in the XHTML namespace or none.
            (Vocabulary::Xhtml | Vocabulary::Rss, "body") if self.root == Some(Root::Rss) => {
                let encoded = format!("<encoded xmlns=\"{CONTENT_NS}\">");
                replace_tag_edit(&mut self.edits, range, tag_edit, encoded);
                Kind::EscapeChildren {
                    retyped: None,
                    end_tag: Some("</encoded>"),
                }
            }
            _ => return,
        };
        self.special = Some(Special {
            depth: self.depth,
            tag: range,
            tag_edit,
            kind,
        });
    }

    /// Handles an end tag at `range` (before `depth` goes down); `true` when it was rewritten.
    pub(super) fn close_special(&mut self, range: (usize, usize), text: &str) -> bool {
        let Some(special) = self.special.as_ref() else {
            return false;
        };
        if self.depth > special.depth {
            if matches!(special.kind, Kind::EscapeChildren { .. }) {
                self.edits
                    .push((range.0, range.1, escape_tag(&text[range.0..range.1])));
                return true;
            }
            return false;
        }
        let Some(special) = self.special.take() else {
            return false;
        };
        match special.kind {
            Kind::EscapeChildren {
                end_tag: Some(end_tag),
                ..
            } => {
                self.edits.push((range.0, range.1, end_tag.to_owned()));
                true
            }
            Kind::EscapeChildren { end_tag: None, .. } => false,
            Kind::Rename { end_tag } => {
                self.edits.push((range.0, range.1, end_tag));
                true
            }
            Kind::Base64 { as_text, as_html } => {
                let content = &text[special.tag.1..range.0];
                if let Some(decoded) = decode_base64(content) {
                    let retyped = match (as_text, as_html) {
                        (Some(as_text), Some(as_html)) => {
                            if sniff::looks_like_html(&decoded) {
                                as_html
                            } else {
                                as_text
                            }
                        }
                        (Some(retyped), None) | (None, Some(retyped)) => retyped,
                        (None, None) => return false,
                    };
                    replace_tag_edit(&mut self.edits, special.tag, special.tag_edit, retyped);
                    self.edits
                        .push((special.tag.1, range.0, escape_text(&decoded)));
                }
                false
            }
        }
    }
}

/// What an Atom text construct or content needs: base64 decoding, or its children escaped.
fn atom_kind(tag: &BytesStart, vocabulary: Vocabulary) -> Option<Kind> {
    let local = tag.local_name();
    let element = local.as_ref();
    if tag::attribute(tag, "src").is_some() {
        return None;
    }
    let declared = tag::attribute(tag, "type").map(|t| t.trim().to_ascii_lowercase());
    let effective = declared.as_deref().map(|published| {
        tag::atom_type(element, published, false).unwrap_or_else(|| published.to_owned())
    });
    let is_html = declared.as_deref().is_some_and(|t| t.contains("html"));
    let base64 = tag::attribute(tag, "mode").is_some_and(|mode| mode.trim() == "base64")
        || (vocabulary == Vocabulary::Atom
            && declared.as_deref().is_some_and(|t| {
                t.contains('/') && !t.starts_with("text/") && !t.ends_with("xml")
            }));
    if base64 {
        let is_text = declared
            .as_deref()
            .is_some_and(|t| matches!(t, "text" | "text/plain"));
        return Some(Kind::Base64 {
            as_text: (!is_html).then(|| tag::retyped(tag, vocabulary, "text")),
            as_html: (!is_text).then(|| tag::retyped(tag, vocabulary, "html")),
        });
    }
    match effective.as_deref() {
        Some("xhtml") => None,
        Some(t) if t.contains('/') && !t.contains("html") && t != "text/plain" => None,
        Some("html" | "text/html") => Some(Kind::EscapeChildren {
            retyped: None,
            end_tag: None,
        }),
        // Plain text with child elements is markup after all.
        _ => Some(Kind::EscapeChildren {
            retyped: Some(tag::retyped(tag, vocabulary, "html")),
            end_tag: None,
        }),
    }
}

/// Puts `replacement` in place of the start tag at `range`, whose edit (if it has one) is at
/// `index` in `edits`; edits made after it (inside the element) are dropped.
pub(super) fn replace_tag_edit(
    edits: &mut Vec<(usize, usize, String)>,
    range: (usize, usize),
    index: usize,
    replacement: String,
) {
    let replacement = reference::escape_in_tag(&replacement).unwrap_or(replacement);
    match edits.get_mut(index) {
        Some(edit) if (edit.0, edit.1) == range => edit.2 = replacement,
        _ => edits.insert(index.min(edits.len()), (range.0, range.1, replacement)),
    }
}

/// HTML's void elements: the only ones that may be written `<x/>` there.
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// A child start tag as text. An XML empty element `<x/>` that HTML would read as an open
/// element (`<iframe/>`) is written `<x></x>`.
fn escape_child(tag: &str, empty: bool) -> String {
    let name_end = tag[1..]
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .map_or(tag.len(), |at| at + 1);
    let name = &tag[1..name_end];
    let local = name.rsplit(':').next().unwrap_or(name);
    if !empty || VOID.iter().any(|void| void.eq_ignore_ascii_case(local)) {
        return escape_tag(tag);
    }
    let open = format!("{}>", tag.trim_end_matches('>').trim_end_matches('/'));
    format!("{}{}", escape_tag(&open), escape_tag(&format!("</{name}>")))
}

/// A tag as text: its stray ampersands repaired, its angle brackets escaped.
fn escape_tag(tag: &str) -> String {
    let repaired = reference::escape_in_tag(tag);
    repaired
        .as_deref()
        .unwrap_or(tag)
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The UTF-8 text that `content` encodes in base64 (line breaks allowed); `None` when it is not
/// base64 of text, such as markup or a binary document.
fn decode_base64(content: &str) -> Option<String> {
    if content.contains(['<', '&']) {
        return None;
    }
    let compact: String = content.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return None;
    }
    let bytes = STANDARD.decode(compact.as_bytes()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    (!text.chars().any(|c| c.is_control() && !c.is_whitespace())).then_some(text)
}

#[cfg(test)]
mod tests;
