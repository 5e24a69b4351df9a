//! The fallback for summaries with so much markup that building a tree would cost too much:
//! html5ever's tokenizer alone (linear time) gives the text, paragraphs at block tags, and nothing
//! else. Such summaries are machine-made or hostile; their words still reach the card.

use std::cell::{Cell, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Nested deeper than this, a summary is flattened instead of parsed into a tree: html5ever's tree
/// builder takes time growing with the square of the nesting depth (and of the open formatting
/// elements), while real articles nest a few dozen levels at most.
pub const MAX_DEPTH: usize = 200;

/// Whether `html` opens more elements at once than a tree should be built for. Unclosed tags count
/// as open, which is what costs the tree builder.
#[must_use]
pub fn too_much_markup(html: &str) -> bool {
    let sink = DepthSink::default();
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.deepest.get() > MAX_DEPTH
}

/// Counts open elements: a start tag opens one (unless self-closing or void), an end tag closes one.
#[derive(Default)]
struct DepthSink {
    open: Cell<usize>,
    deepest: Cell<usize>,
}

impl TokenSink for DepthSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token {
            let void = tag.self_closing
                || matches!(
                    &*tag.name,
                    "br" | "img"
                        | "hr"
                        | "meta"
                        | "link"
                        | "input"
                        | "wbr"
                        | "source"
                        | "area"
                        | "col"
                        | "embed"
                );
            match tag.kind {
                TagKind::StartTag if !void => {
                    self.open.set(self.open.get() + 1);
                    self.deepest.set(self.deepest.get().max(self.open.get()));
                }
                TagKind::EndTag => self.open.set(self.open.get().saturating_sub(1)),
                TagKind::StartTag => {}
            }
        }
        TokenSinkResult::Continue
    }
}

/// The text of `html`, with a blank line at each block boundary and script and style contents
/// left out, as [`super::from_plain_text`] reads it.
#[must_use]
pub fn text_of(html: &str) -> String {
    let sink = TextSink::default();
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.text.take()
}

#[derive(Default)]
struct TextSink {
    text: RefCell<String>,
    /// Inside `<script>` or `<style>`, whose contents are not text.
    hidden: RefCell<bool>,
}

impl TokenSink for TextSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::CharacterTokens(chars) if !*self.hidden.borrow() => {
                self.text.borrow_mut().push_str(&chars);
            }
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                if matches!(name, "script" | "style") {
                    *self.hidden.borrow_mut() = tag.kind == TagKind::StartTag;
                } else if matches!(
                    name,
                    "p" | "div"
                        | "br"
                        | "li"
                        | "tr"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "blockquote"
                        | "pre"
                ) {
                    self.text.borrow_mut().push_str("\n\n");
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests;
