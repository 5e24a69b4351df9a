//! Generated feed documents: the same items written as RSS 2.0, Atom or JSON Feed, in any of
//! several equivalent serialisations, so that a property can compare what `parse_feed` keys.

use std::fmt::Write as _;

use proptest::prelude::*;

/// One item as a publisher means it, before any serialisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub guid: Option<String>,
    pub link: Option<String>,
    pub title: String,
    /// HTML.
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Rss,
    Atom,
    Json,
}

/// Choices that change the bytes of a document but not what it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Newlines and indentation between elements (never inside text).
    pub pretty: bool,
    /// What attribute values are quoted with: `"` or `'`.
    pub quote: char,
    pub text: TextForm,
    /// An `<?xml …?>` declaration first (XML); keys in reverse order (JSON).
    pub declaration: bool,
}

/// How text is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextForm {
    /// `&amp;`, `&lt;` (XML); UTF-8 as is (JSON).
    Named,
    /// `&#38;`, `&#60;` (XML); non-ASCII and `/` as `\u` escapes (JSON).
    Numeric,
    /// In CDATA sections (XML); as [`TextForm::Numeric`] (JSON).
    Cdata,
}

pub fn format() -> impl Strategy<Value = Format> {
    prop_oneof![Just(Format::Rss), Just(Format::Atom), Just(Format::Json)]
}

pub fn style() -> impl Strategy<Value = Style> {
    let text = prop_oneof![
        Just(TextForm::Named),
        Just(TextForm::Numeric),
        Just(TextForm::Cdata)
    ];
    (any::<[bool; 3]>(), text).prop_map(|(b, text)| Style {
        pretty: b[0],
        quote: if b[1] { '\'' } else { '"' },
        text,
        declaration: b[2],
    })
}

/// Text with markup characters, quotes, accents, CJK and emoji; starts with a letter so it is
/// never blank.
pub fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9é中🎉][a-zA-Z0-9 &<>\"'éü中🎉.,:;!?/-]{0,30}"
}

pub fn guid() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9][a-zA-Z0-9:/._&<'?=-]{0,24}"
}

pub fn link() -> impl Strategy<Value = String> {
    "[a-z0-9-]{1,12}(/[a-z0-9._~-]{1,10})?(\\?[a-z]=[a-z0-9]{1,4})?"
        .prop_map(|path| format!("https://example.com/{path}"))
}

/// An HTML summary made of paragraphs of escaped text, some with emphasis or a link.
pub fn summary() -> impl Strategy<Value = String> {
    prop::collection::vec((text(), 0..3u8), 1..3).prop_map(|paragraphs| {
        paragraphs
            .iter()
            .map(|(text, kind)| match kind {
                0 => format!("<p>{}</p>", escape_html(text)),
                1 => format!("<p><b>{}</b> end</p>", escape_html(text)),
                _ => format!("<a href=\"/x\">{}</a>", escape_html(text)),
            })
            .collect()
    })
}

pub fn item(
    guid: impl Strategy<Value = Option<String>>,
    link: impl Strategy<Value = Option<String>>,
) -> impl Strategy<Value = Item> {
    (guid, link, text(), prop::option::of(summary())).prop_map(|(guid, link, title, summary)| {
        Item {
            guid,
            link,
            title,
            summary,
        }
    })
}

pub fn any_item() -> impl Strategy<Value = Item> {
    item(prop::option::of(guid()), prop::option::of(link()))
}

/// Writes `items` as a document of `format` in `style`.
pub fn serialise(format: Format, items: &[Item], style: Style) -> String {
    match format {
        Format::Rss => rss(items, style),
        Format::Atom => atom(items, style),
        Format::Json => json(items, style),
    }
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

struct Xml {
    out: String,
    style: Style,
    depth: usize,
}

impl Xml {
    fn new(style: Style) -> Self {
        let mut out = String::new();
        if style.declaration {
            out.push_str(&attrs("<?xml version=\"1.0\" encoding=\"utf-8\"?>", style));
        }
        Self {
            out,
            style,
            depth: 0,
        }
    }

    fn indent(&mut self) {
        if self.style.pretty {
            self.out.push('\n');
            self.out.push_str(&"  ".repeat(self.depth));
        }
    }

    fn open(&mut self, tag: &str) {
        self.indent();
        self.out.push_str(&attrs(&format!("<{tag}>"), self.style));
        self.depth += 1;
    }

    fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.indent();
        let _ = write!(self.out, "</{name}>");
    }

    fn raw(&mut self, element: &str) {
        self.indent();
        self.out.push_str(&attrs(element, self.style));
    }

    /// `<tag>text</tag>`, the text escaped or in CDATA as the style says.
    fn text(&mut self, tag: &str, text: &str) {
        let name = tag.split(' ').next().unwrap_or(tag);
        let body = match self.style.text {
            TextForm::Cdata => format!("<![CDATA[{text}]]>"),
            TextForm::Numeric => text.replace('&', "&#38;").replace('<', "&#60;"),
            TextForm::Named => text.replace('&', "&amp;").replace('<', "&lt;"),
        };
        self.indent();
        let open = attrs(&format!("<{tag}>"), self.style);
        let _ = write!(self.out, "{open}{body}</{name}>");
    }
}

/// `markup` (written with `"` around attribute values) with the style's quotes.
fn attrs(markup: &str, style: Style) -> String {
    markup.replace('"', &style.quote.to_string())
}

fn rss(items: &[Item], style: Style) -> String {
    let mut xml = Xml::new(style);
    xml.open("rss version=\"2.0\"");
    xml.open("channel");
    xml.text("title", "Generated");
    xml.text("link", "https://example.com/");
    for item in items {
        xml.open("item");
        if let Some(guid) = &item.guid {
            xml.text("guid isPermaLink=\"false\"", guid);
        }
        xml.text("title", &escape_html(&item.title));
        if let Some(link) = &item.link {
            xml.text("link", link);
        }
        if let Some(summary) = &item.summary {
            xml.text("description", summary);
        }
        xml.close("item");
    }
    xml.close("channel");
    xml.close("rss");
    xml.out
}

fn atom(items: &[Item], style: Style) -> String {
    let mut xml = Xml::new(style);
    xml.open("feed xmlns=\"http://www.w3.org/2005/Atom\"");
    xml.text("title", "Generated");
    xml.text("id", "urn:generated");
    xml.text("updated", "2024-01-01T00:00:00Z");
    for item in items {
        xml.open("entry");
        if let Some(guid) = &item.guid {
            xml.text("id", guid);
        }
        xml.text("title type=\"text\"", &item.title);
        if let Some(link) = &item.link {
            let href = link.replace('&', "&amp;");
            xml.raw(&format!("<link rel=\"alternate\" href=\"{href}\"/>"));
        }
        if let Some(summary) = &item.summary {
            xml.text("summary type=\"html\"", summary);
        }
        xml.text("updated", "2024-01-01T00:00:00Z");
        xml.close("entry");
    }
    xml.close("feed");
    xml.out
}

/// JSON Feed 1.1, written by hand so that whitespace, key order and string escapes vary.
fn json(items: &[Item], style: Style) -> String {
    let (nl, ind) = if style.pretty { ("\n", "  ") } else { ("", "") };
    let object = |fields: Vec<(&str, String)>, depth: usize| {
        let mut fields = fields;
        if style.declaration {
            fields.reverse();
        }
        let pad = ind.repeat(depth + 1);
        let body: Vec<String> = fields
            .iter()
            .map(|(key, value)| {
                format!(
                    "{pad}\"{key}\":{}{value}",
                    if style.pretty { " " } else { "" }
                )
            })
            .collect();
        format!(
            "{{{nl}{}{nl}{}}}",
            body.join(&format!(",{nl}")),
            ind.repeat(depth)
        )
    };
    let string = |text: &str| json_string(text, style.text != TextForm::Named);
    let items: Vec<String> = items
        .iter()
        .map(|item| {
            let mut fields = Vec::new();
            if let Some(guid) = &item.guid {
                fields.push(("id", string(guid)));
            }
            if let Some(link) = &item.link {
                fields.push(("url", string(link)));
            }
            fields.push(("title", string(&item.title)));
            if let Some(summary) = &item.summary {
                fields.push(("content_html", string(summary)));
            }
            object(fields, 2)
        })
        .collect();
    let pad = ind.repeat(2);
    let list = format!("[{nl}{pad}{}{nl}{ind}]", items.join(&format!(",{nl}{pad}")));
    object(
        vec![
            ("version", string("https://jsonfeed.org/version/1.1")),
            ("title", string("Generated")),
            ("home_page_url", string("https://example.com/")),
            ("items", list),
        ],
        0,
    )
}

/// A JSON string literal; with `ascii`, every non-ASCII character and `/` as a `\u` escape.
fn json_string(text: &str, ascii: bool) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if ascii && (!c.is_ascii() || c == '/') => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
