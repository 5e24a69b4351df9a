//! Whether text that RSS publishes without saying what it is reads as HTML.
//!
//! RSS titles and descriptions carry escaped HTML (`&lt;b&gt;Bold&lt;/b&gt;`) just as often as
//! escaped text that only looks like markup: `Vec&lt;T&gt;::push`, `if a &lt;b and c&gt; d`.
//! Read as HTML, everything between those brackets would vanish. So, like feedparser, such text
//! is HTML only when html5ever's tokenizer finds what HTML writers produce and prose does not:
//! an end tag of an HTML element, a start tag of a void or block element, a start tag with an
//! attribute value, or a comment. `<T>` names no HTML element, and `<b and c>` opens an inline
//! element whose attributes have no values, so both stay text.

use std::cell::Cell;

use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Elements whose start tag alone marks HTML: void elements, blocks, document structure, and
/// the elements whose contents are not text (so that those contents are never shown as text).
const STANDALONE: [&str; 75] = [
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "audio",
    "base",
    "blockquote",
    "body",
    "br",
    "canvas",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "embed",
    "fieldset",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "img",
    "input",
    "li",
    "link",
    "main",
    "map",
    "math",
    "menu",
    "meta",
    "nav",
    "noscript",
    "object",
    "ol",
    "p",
    "param",
    "picture",
    "pre",
    "script",
    "section",
    "select",
    "source",
    "style",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "tr",
    "track",
    "ul",
    "video",
];

/// Inline elements, which mark HTML when closed or given an attribute value.
const INLINE: [&str; 41] = [
    "a",
    "abbr",
    "acronym",
    "b",
    "bdi",
    "bdo",
    "big",
    "blink",
    "button",
    "cite",
    "code",
    "del",
    "dfn",
    "em",
    "figcaption",
    "font",
    "i",
    "ins",
    "kbd",
    "label",
    "mark",
    "marquee",
    "nobr",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "time",
    "tt",
    "u",
    "var",
    "wbr",
];

/// Input is tokenized in pieces that start at this size and double, so that a description stops
/// being read soon after its first sign of HTML, which is nearly always in its first tag.
const FIRST_PIECE: usize = 256;

/// Whether `text` reads as HTML (see the module documentation).
pub(super) fn looks_like_html(text: &str) -> bool {
    if !text.contains('<') {
        return false;
    }
    let tokenizer = Tokenizer::new(Signs::stopping_at_a_tag(), TokenizerOpts::default());
    let input = BufferQueue::default();
    let mut rest = text;
    let mut piece = FIRST_PIECE;
    while !rest.is_empty() && !tokenizer.sink.found.get() {
        let mut cut = rest.len().min(piece);
        piece = piece.saturating_mul(2);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        input.push_back(StrTendril::from(&rest[..cut]));
        rest = &rest[cut..];
        if let TokenizerResult::Script(()) = tokenizer.feed(&input) {
            // The tokenizer stopped at the tag that decided it; the rest is left unread.
            return true;
        }
    }
    // At the end of input the tokenizer expects every token to be taken in its stride.
    tokenizer.sink.stop_at_tag.set(false);
    tokenizer.end();
    tokenizer.sink.found.get()
}

/// Notes the first sign of HTML among the tokens.
struct Signs {
    found: Cell<bool>,
    /// Ask the tokenizer to stop at a tag that is a sign (only a tag's token can stop it).
    stop_at_tag: Cell<bool>,
}

impl Signs {
    fn stopping_at_a_tag() -> Self {
        Self {
            found: Cell::new(false),
            stop_at_tag: Cell::new(true),
        }
    }
}

impl TokenSink for Signs {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let (sign, tag) = match token {
            Token::CommentToken(_) => (true, false),
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                let known = STANDALONE.contains(&name) || INLINE.contains(&name);
                let valued = tag
                    .attrs
                    .iter()
                    .any(|attribute| !attribute.value.is_empty());
                let sign =
                    known && (tag.kind == TagKind::EndTag || STANDALONE.contains(&name) || valued);
                (sign, true)
            }
            _ => (false, false),
        };
        if sign {
            self.found.set(true);
            if tag && self.stop_at_tag.get() {
                return TokenSinkResult::Script(());
            }
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests;
