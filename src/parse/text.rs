//! Feed text constructs into plain text (titles) or HTML (summaries).

use scraper::Html;

use super::entities;

/// How a text field was published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Markup {
    /// Plain text by the format's definition (Atom `type="text"`, JSON Feed strings). Publishers
    /// still escape entities in it, so references are decoded once.
    Text,
    /// HTML: Atom `type="html"`/`"xhtml"`, and RSS, where titles and descriptions are HTML in
    /// practice (the RSS Advisory Board's profile says so).
    Html,
}

/// A title as one line of plain text: markup removed, entities decoded, whitespace collapsed.
/// `None` when nothing visible remains.
pub(super) fn plain(content: &str, markup: Markup) -> Option<String> {
    let text = match markup {
        _ if !content.contains(['<', '&']) => collapse_whitespace(content),
        Markup::Html => html_to_text(content),
        Markup::Text => collapse_whitespace(&decode_entities(content)),
    };
    (!text.is_empty()).then_some(text)
}

/// A summary as HTML, so renderers always read it the same way: plain text is escaped.
pub(super) fn as_html(content: &str, markup: Markup) -> Option<String> {
    let content = content.trim();
    if content.is_empty() {
        return None;
    }
    Some(match markup {
        Markup::Html => content.to_owned(),
        Markup::Text => escape_html(content),
    })
}

fn html_to_text(html: &str) -> String {
    let fragment = Html::parse_fragment(html);
    collapse_whitespace(&fragment.root_element().text().collect::<String>())
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
