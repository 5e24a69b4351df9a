//! Feed text constructs into plain text (titles) or HTML (summaries).

use scraper::{Html, Node};

use super::{entities, sniff};

/// How a text field was published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Markup {
    /// Plain text by the format's definition (Atom `type="text"`, JSON Feed strings). Publishers
    /// still escape entities in it, so references are decoded once.
    Text,
    /// HTML by the format's definition: Atom `type="html"`/`"xhtml"`, RSS `content:encoded`.
    Html,
    /// Unlabelled, as RSS titles and descriptions are: HTML when it reads as HTML (see
    /// [`sniff`]), else text whose entity references are decoded once.
    Unlabelled,
}

impl Markup {
    /// `Text` or `Html`: what an unlabelled `content` reads as.
    fn of(self, content: &str) -> Self {
        match self {
            Self::Unlabelled if sniff::looks_like_html(content) => Self::Html,
            Self::Unlabelled => Self::Text,
            labelled => labelled,
        }
    }
}

/// Elements whose contents are not text, left out of titles. Summaries keep them as published:
/// the renderers, which read summaries as browsers do, leave them out of every card.
const HIDDEN: [&str; 3] = ["script", "style", "template"];

/// A title as one line of plain text: markup removed (with the contents of scripts and styles),
/// entities decoded, whitespace collapsed, control characters dropped. `None` when nothing
/// visible remains.
pub(super) fn plain(content: &str, markup: Markup) -> Option<String> {
    let text = match markup.of(content) {
        _ if !content.contains(['<', '&']) => clean(content),
        Markup::Html | Markup::Unlabelled => html_to_text(content),
        Markup::Text => clean(&decode_entities(content)),
    };
    (!text.is_empty()).then_some(text)
}

/// A summary as HTML, so renderers always read it the same way: HTML as published, text escaped.
pub(super) fn as_html(content: &str, markup: Markup) -> Option<String> {
    let content = content.trim();
    if content.is_empty() {
        return None;
    }
    Some(match (markup, markup.of(content)) {
        (_, Markup::Html | Markup::Unlabelled) => content.to_owned(),
        // Only the brackets: entity references read as before, so a description without
        // brackets is stored byte for byte as it always was (its entry keeps its content key).
        (Markup::Unlabelled, Markup::Text) => content.replace('<', "&lt;").replace('>', "&gt;"),
        (_, Markup::Text) => escape_html(content),
    })
}

fn html_to_text(html: &str) -> String {
    let fragment = Html::parse_fragment(html);
    let mut text = String::new();
    for node in fragment.root_element().descendants() {
        if let Node::Text(chunk) = node.value()
            && !node
                .ancestors()
                .any(|ancestor| ancestor.value().as_element().is_some_and(is_hidden))
        {
            text.push_str(chunk);
        }
    }
    clean(&text)
}

fn is_hidden(element: &scraper::node::Element) -> bool {
    HIDDEN.contains(&element.name())
}

/// Whitespace collapsed to single spaces, and control characters (which no title means to show,
/// and which some clients print raw) dropped.
fn clean(text: &str) -> String {
    collapse_whitespace(
        &text
            .chars()
            .filter(|c| c.is_whitespace() || !c.is_control())
            .collect::<String>(),
    )
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Resolves `&name;` and `&#n;` references once; anything else, including a bare `&`, is text.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let semi = after
            .find(|c: char| c == ';' || c == '&' || c.is_whitespace())
            .filter(|&i| after[i..].starts_with(';'));
        let resolved = semi.and_then(|semi| {
            let name = &after[..semi];
            let text = if name.starts_with('#') {
                entities::numeric(name).map(String::from)
            } else {
                entities::named(name)
            };
            text.map(|text| (text, semi + 1))
        });
        if let Some((text, used)) = resolved {
            out.push_str(&text);
            rest = &after[used..];
        } else {
            out.push('&');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
