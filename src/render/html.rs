//! An entry's summary (HTML, or plain text) into [`RichText`], with html5ever (through `scraper`)
//! doing the parsing exactly as a browser would: entities decoded, unclosed tags closed, `<script>`
//! contents kept out of the text.
//!
//! The walk over the parsed tree is iterative, so a feed nesting elements thousands deep cannot
//! overflow the stack of the thread rendering it.

use scraper::node::Element;
use scraper::{Html, Node};
use url::Url;

use super::clean::{collapse_whitespace, strip_invisible};
use super::richtext::{Block, RichText};
use builder::Builder;
pub use write::{escape, from_rich_text};

mod builder;
pub mod flat;
mod write;

/// Summaries longer than this are cut before parsing. A card shows a few thousand characters at
/// most, and html5ever's time grows with the square of the nesting depth of block elements
/// (thousands of nested `<div>`s take seconds), so the cap bounds a hostile feed's cost.
pub const MAX_INPUT_BYTES: usize = 64 * 1024;

/// Converts an entry summary to rich text. Relative links are resolved against `base` (the
/// entry's link, else the feed URL); links that are not http(s) after resolution are kept as
/// plain text.
#[must_use]
pub fn to_rich_text(summary: &str, base: Option<&Url>) -> RichText {
    let summary = cap_input(summary);
    if flat::too_much_markup(summary) {
        return from_plain_text(&flat::text_of(summary));
    }
    let doc = Html::parse_fragment(summary);
    let root = doc.root_element();
    // A summary the parser found no element in is plain text: its newlines carry the paragraphs.
    if !root.descendants().skip(1).any(|n| n.value().is_element()) {
        return from_plain_text(&root.text().collect::<String>());
    }
    let mut builder = Builder::new(base);
    let mut next = root.first_child();
    while let Some(node) = next {
        if builder.open(node.value()) {
            if let Some(child) = node.first_child() {
                next = Some(child);
                continue;
            }
            builder.close(node.value());
        }
        let mut current = node;
        next = loop {
            if let Some(sibling) = current.next_sibling() {
                break Some(sibling);
            }
            match current.parent() {
                Some(parent) if parent.id() != root.id() => {
                    builder.close(parent.value());
                    current = parent;
                }
                _ => break None,
            }
        };
    }
    builder.finish()
}

/// Plain text: blank lines separate paragraphs; single newlines are soft wraps.
#[must_use]
pub fn from_plain_text(text: &str) -> RichText {
    let text = strip_invisible(text);
    let mut blocks = Vec::new();
    let mut paragraph = String::new();
    for line in text.split('\n').chain(std::iter::once("")) {
        if line.trim().is_empty() {
            let collapsed = collapse_whitespace(&paragraph);
            if !collapsed.is_empty() {
                blocks.push(Block::paragraph(collapsed));
            }
            paragraph.clear();
        } else {
            paragraph.push(' ');
            paragraph.push_str(line);
        }
    }
    RichText { blocks }
}

fn cap_input(summary: &str) -> &str {
    if summary.len() <= MAX_INPUT_BYTES {
        return summary;
    }
    let mut end = MAX_INPUT_BYTES;
    while !summary.is_char_boundary(end) {
        end -= 1;
    }
    &summary[..end]
}

/// Resolves `href` and keeps it only if it is http(s). Parsing, not string matching, decides the
/// scheme, so `JaVaScRiPt:`, `java\tscript:` and entity-encoded variants are all recognised.
fn resolve_link(href: &str, base: Option<&Url>) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let url = match base {
        Some(base) => base.join(href).ok()?,
        None => Url::parse(href).ok()?,
    };
    matches!(url.scheme(), "http" | "https").then(|| url.into())
}

/// What the walk does with an element, by tag name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    /// Removed with everything inside: scripts, styles, embedded content, form controls.
    Skip,
    LineBreak,
    /// Splits blocks without changing their kind.
    Block,
    Heading,
    List {
        ordered: bool,
    },
    ListItem,
    Quote,
    Pre,
    Bold,
    Italic,
    Link,
    /// A definition term: a block in which text is bold.
    BoldBlock,
    /// A table row: a line of its table's block.
    Row,
    /// A table cell: separated from the previous one by ` | `; a header cell is bold.
    Cell {
        header: bool,
    },
    /// Anything else: its text is kept, its tag ignored.
    Transparent,
}

fn classify(element: &Element) -> Tag {
    match element.name() {
        "script" | "style" | "iframe" | "noscript" | "template" | "object" | "embed" | "svg"
        | "math" | "head" | "title" | "meta" | "link" | "button" | "input" | "select"
        | "textarea" | "audio" | "video" | "canvas" | "frame" | "frameset" | "img" | "picture"
        | "source" | "track" | "map" => Tag::Skip,
        "br" => Tag::LineBreak,
        "p" | "div" | "section" | "article" | "header" | "footer" | "main" | "aside" | "nav"
        | "figure" | "figcaption" | "address" | "details" | "summary" | "center" | "table"
        | "caption" | "dl" | "dd" | "fieldset" | "legend" | "hgroup" | "hr" => Tag::Block,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Tag::Heading,
        "ul" | "menu" => Tag::List { ordered: false },
        "ol" => Tag::List { ordered: true },
        "li" => Tag::ListItem,
        "blockquote" => Tag::Quote,
        "pre" | "listing" | "xmp" | "plaintext" => Tag::Pre,
        "b" | "strong" => Tag::Bold,
        "i" | "em" | "cite" | "dfn" | "var" => Tag::Italic,
        "a" => Tag::Link,
        "dt" => Tag::BoldBlock,
        "tr" => Tag::Row,
        "td" => Tag::Cell { header: false },
        "th" => Tag::Cell { header: true },
        _ => Tag::Transparent,
    }
}

/// The text of a text node. Comments, doctypes and processing instructions show nothing.
fn text_of(node: &Node) -> Option<&str> {
    node.as_text().map(|t| &**t)
}

#[cfg(test)]
mod tests;
