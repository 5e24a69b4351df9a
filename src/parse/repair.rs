//! Small, XML-aware repairs to a decoded document so feed-rs reads what publishers meant.
//!
//! quick-xml walks the document once and records edits as byte ranges to splice; everything it
//! does not touch stays byte for byte. A document that stops being XML part-way keeps the edits
//! made up to that point and the rest as it was — feed-rs then reports the real error.
//!
//! The repairs: the XML declaration loses its `encoding` (the text is UTF-8 now); an `<rss>` root
//! whose version feed-rs does not know becomes RSS 2.0 (every 0.9x/2.x feed reads as 2.0) and
//! gets an empty `<channel>` if it has none; HTML entities and broken references become numeric
//! references or escaped ampersands ([`reference`]); Atom 0.3's namespace becomes Atom 1.0's,
//! `type` attributes are spelled as feed-rs expects ([`tag`]) and empty Media RSS texts, which
//! feed-rs rejects, are dropped.

mod dtd;
mod element;
mod prefix;
mod reference;
mod tag;

use quick_xml::events::{BytesDecl, BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use tag::Vocabulary;

/// A repaired document.
pub(super) struct Repaired {
    /// The text, unchanged when nothing needed repair.
    pub(super) text: String,
    /// How many entries (RSS `item`, Atom `entry` elements) the document holds.
    pub(super) entries: usize,
}

/// Applies the repairs to `text`, counting its entries on the way.
pub(super) fn repair(text: &str) -> Repaired {
    let mut reader = NsReader::from_str(text);
    let config = reader.config_mut();
    // Read past the faults this pass repairs and that do not hide the structure.
    config.allow_dangling_amp = true;
    config.check_end_names = false;
    config.allow_unmatched_ends = true;

    let mut walk = Walk::default();
    loop {
        let start = offset(&reader);
        let Ok(event) = reader.read_event() else {
            walk.close_truncated_end_tag(&text[start..], text.len());
            break;
        };
        let end = offset(&reader);
        match &event {
            Event::Decl(decl) => {
                // Whitespace before the declaration is a fatal error to strict parsers. A
                // misplaced declaration loses its encoding too: feed-rs would switch to it.
                let from = if text[..start].trim().is_empty() {
                    0
                } else {
                    start
                };
                walk.edits.push((from, end, declaration(decl)));
            }
            Event::Start(tag) | Event::Empty(tag) => {
                let resolved = reader.resolver().resolve_element(tag.name()).0;
                let vocabulary = match &resolved {
                    ResolveResult::Unknown(undeclared) => walk
                        .note_undeclared(undeclared.as_ref())
                        .map_or(Vocabulary::Other, Vocabulary::of),
                    resolved => vocabulary(resolved, walk.root),
                };
                walk.start_tag(
                    tag,
                    matches!(event, Event::Empty(_)),
                    vocabulary,
                    (start, end),
                    text,
                );
            }
            Event::End(_) => walk.end_tag((start, end), text),
            Event::DocType(_) => walk.entities.declare(&text[start..end]),
            Event::GeneralRef(name) => {
                let expanded = walk.entities.expand(name).map(|text| {
                    // An expansion is text: it never adds structure to the document.
                    text.replace('<', "&lt;").replace('>', "&gt;")
                });
                walk.replace(start, end, expanded.or_else(|| reference::fix(name)));
            }
            // With dangling ampersands allowed, a text event starts with `&` only when it is one.
            Event::Text(content) if content.starts_with('&') => {
                walk.replace(start, start + 1, Some("&amp;".to_owned()));
            }
            Event::Eof => break,
            _ => {}
        }
        if !matches!(event, Event::Start(_) | Event::End(_)) {
            walk.open_media_text = None;
        }
    }
    walk.declare_undeclared(text);
    Repaired {
        text: splice(text, &walk.edits),
        entries: walk.entries,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Root {
    Rss,
    Atom,
    Other,
}

#[derive(Default)]
struct Walk {
    edits: Vec<(usize, usize, String)>,
    root: Option<Root>,
    depth: usize,
    rss_has_channel: bool,
    /// Where a Media RSS title or description opened, while nothing has followed it yet.
    open_media_text: Option<usize>,
    /// The element open now whose contents or end tag are rewritten (see [`element`]).
    special: Option<element::Special>,
    /// The entities the document's DTD declares (see [`dtd`]).
    entities: dtd::Entities,
    /// The RSS `item` and Atom `entry` elements seen, not counting any nested in another.
    entries: usize,
    /// The depth inside the entry open now.
    entry_depth: Option<usize>,
    /// The root's start tag and the index its edit has or would have.
    root_tag: Option<((usize, usize), usize)>,
    /// Well-known prefixes used without a declaration (see [`prefix`]).
    undeclared: Vec<&'static str>,
    /// Where the content of an `<rss>` root begins, and the index its edit would take: an RSS
    /// document without a `<channel>` gets one around its content.
    rss_content: Option<(usize, usize)>,
}

impl Walk {
    fn replace(&mut self, start: usize, end: usize, replacement: Option<String>) {
        if let Some(replacement) = replacement {
            self.edits.push((start, end, replacement));
        }
    }

    fn start_tag(
        &mut self,
        tag: &BytesStart,
        empty: bool,
        vocabulary: Vocabulary,
        (start, end): (usize, usize),
        text: &str,
    ) {
        if self.escaped_child((start, end), empty, text) {
            return;
        }
        let local = tag.local_name();
        let is_root = self.root.is_none();
        if is_root {
            self.root = Some(match local.as_ref() {
                "rss" => Root::Rss,
                "feed" | "entry" => Root::Atom,
                _ => Root::Other,
            });
        }
        self.open_media_text = None;
        self.rss_has_channel |= self.depth == 1 && local.as_ref() == "channel";
        let is_entry = matches!(
            (vocabulary, local.as_ref()),
            (Vocabulary::Rss, "item") | (Vocabulary::Atom | Vocabulary::Atom03, "entry")
        );
        if is_entry && self.entry_depth.is_none() {
            self.entries += 1;
            self.entry_depth = (!empty).then_some(self.depth + 1);
        }
        let media_text =
            vocabulary == Vocabulary::MediaRss && matches!(local.as_ref(), "title" | "description");
        if media_text && empty {
            self.edits.push((start, end, String::new()));
            return;
        }
        let rebuilt = tag::rebuild(tag, empty, is_root, vocabulary);
        let replacement =
            reference::escape_in_tag(rebuilt.as_deref().unwrap_or(&text[start..end])).or(rebuilt);
        let tag_edit = self.edits.len();
        self.replace(start, end, replacement);
        if is_root {
            self.root_tag = Some(((start, end), tag_edit));
        }
        if is_root && self.root == Some(Root::Rss) {
            self.rss_content = Some((end, self.edits.len()));
        }
        if !empty {
            self.depth += 1;
            self.open_media_text = media_text.then_some(start);
            self.open_special(tag, vocabulary, (start, end), tag_edit);
        }
    }

    fn end_tag(&mut self, (start, end): (usize, usize), text: &str) {
        self.close_special((start, end), text);
        if self.entry_depth == Some(self.depth) {
            self.entry_depth = None;
        }
        self.depth = self.depth.saturating_sub(1);
        if let Some(opened) = self.open_media_text.take() {
            // feed-rs fails the whole feed on an empty <media:title>; without it nothing is lost.
            self.edits.retain(|(edit_start, _, _)| *edit_start < opened);
            self.edits.push((opened, end, String::new()));
        }
        if self.depth == 0
            && !self.rss_has_channel
            && let Some((content, index)) = self.rss_content.take()
        {
            // feed-rs reads items only inside a <channel>; an <rss> without one gets one around
            // everything it holds, so that its items are still read.
            self.edits.insert(
                index.min(self.edits.len()),
                (content, content, "<channel>".to_owned()),
            );
            self.edits.push((start, start, "</channel>".to_owned()));
        }
    }
}

/// Which vocabulary an element belongs to, by namespace; unprefixed names in an Atom document
/// without a default namespace are Atom, as feed-rs reads them, and those in an `<rss>` are RSS.
fn vocabulary(namespace: &ResolveResult, root: Option<Root>) -> Vocabulary {
    match namespace {
        ResolveResult::Bound(namespace) => Vocabulary::of(namespace.as_ref()),
        ResolveResult::Unbound if root.is_none_or(|root| root == Root::Atom) => Vocabulary::Atom,
        ResolveResult::Unbound if root == Some(Root::Rss) => Vocabulary::Rss,
        ResolveResult::Unbound | ResolveResult::Unknown(_) => Vocabulary::Other,
    }
}

impl Walk {
    /// Notes a prefix used without a declaration; the namespace it stands for, if well known.
    fn note_undeclared(&mut self, prefix: &str) -> Option<&'static str> {
        let (known, namespace) = prefix::known(prefix)?;
        if !self.undeclared.contains(&known) {
            self.undeclared.push(known);
        }
        Some(namespace)
    }

    /// Declares the well-known prefixes the document used without declaring them, on its root.
    fn declare_undeclared(&mut self, text: &str) {
        let Some(((start, end), index)) = self.root_tag else {
            return;
        };
        if self.undeclared.is_empty() {
            return;
        }
        let current = match self.edits.get(index) {
            Some(edit) if (edit.0, edit.1) == (start, end) => edit.2.as_str(),
            _ => &text[start..end],
        };
        let declared = prefix::declare(current, &self.undeclared);
        element::replace_tag_edit(&mut self.edits, (start, end), index, declared);
    }

    /// A document cut off inside its last end tag (`…</feed`) gets the missing `>`.
    fn close_truncated_end_tag(&mut self, rest: &str, at: usize) {
        let rest = rest.trim_end();
        let is_name = |name: &str| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, ':' | '-' | '_' | '.'))
        };
        if rest.strip_prefix("</").is_some_and(is_name) {
            self.edits.push((at, at, ">".to_owned()));
        }
    }
}

fn offset<R>(reader: &NsReader<R>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

fn splice(text: &str, edits: &[(usize, usize, String)]) -> String {
    let mut out = String::with_capacity(text.len() + edits.len() * 8);
    let mut done = 0;
    for (start, end, replacement) in edits {
        if *start < done || *end > text.len() {
            continue;
        }
        out.push_str(&text[done..*start]);
        out.push_str(replacement);
        done = *end;
    }
    out.push_str(&text[done..]);
    out
}

fn declaration(decl: &BytesDecl) -> String {
    let version = match decl.version() {
        Ok(version) if version == "1.1" => "1.1",
        _ => "1.0",
    };
    match decl.standalone() {
        Some(Ok(value)) if matches!(value.as_ref(), "yes" | "no") => {
            format!("<?xml version=\"{version}\" standalone=\"{value}\"?>")
        }
        _ => format!("<?xml version=\"{version}\"?>"),
    }
}

#[cfg(test)]
mod tests;
