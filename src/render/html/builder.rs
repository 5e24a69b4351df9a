//! The state of the walk over a parsed summary: which styles, lists and links are open, and the
//! block being filled.

use scraper::Node;
use scraper::node::Element;
use url::Url;

use super::{Tag, classify, resolve_link, text_of};
use crate::render::clean::{is_space, strip_invisible};
use crate::render::richtext::{Block, BlockKind, Inline, ListMarker, RichText, Run, Style};

struct List {
    ordered: bool,
    next: u32,
}

pub(super) struct Builder<'a> {
    base: Option<&'a Url>,
    blocks: Vec<Block>,
    inlines: Vec<Inline>,
    /// Whitespace was seen since the last text; it becomes one space if more text follows on the
    /// same line, which is how HTML collapses whitespace across tags (`<b>a</b> b`).
    pending_space: bool,
    bold: usize,
    italic: usize,
    heading: usize,
    quote: usize,
    pre: usize,
    items: usize,
    lists: Vec<List>,
    /// The marker of the list item just opened, given to its first non-empty block.
    marker: Option<ListMarker>,
    /// A top-level list was opened and has not yet produced an item.
    list_opening: bool,
    links: Vec<Option<String>>,
}

impl<'a> Builder<'a> {
    pub(super) fn new(base: Option<&'a Url>) -> Self {
        Self {
            base,
            blocks: Vec::new(),
            inlines: Vec::new(),
            pending_space: false,
            bold: 0,
            italic: 0,
            heading: 0,
            quote: 0,
            pre: 0,
            items: 0,
            lists: Vec::new(),
            marker: None,
            list_opening: false,
            links: Vec::new(),
        }
    }

    /// Enters `node`; returns whether its children are to be walked (and `close` called).
    pub(super) fn open(&mut self, node: &Node) -> bool {
        if let Some(text) = text_of(node) {
            self.text(text);
            return false;
        }
        let Some(element) = node.as_element() else {
            return false;
        };
        match classify(element) {
            Tag::Skip => return false,
            Tag::LineBreak => self.line_break(),
            Tag::Block => self.flush(),
            Tag::Heading => {
                self.flush();
                self.heading += 1;
                self.bold += 1;
            }
            Tag::BoldBlock => {
                self.flush();
                self.bold += 1;
            }
            Tag::List { ordered } => self.open_list(element, ordered),
            Tag::ListItem => {
                self.flush();
                self.items += 1;
                self.marker = Some(self.next_marker(element.attr("value")));
            }
            Tag::Quote => {
                self.flush();
                self.quote += 1;
            }
            Tag::Pre => {
                self.flush();
                self.pre += 1;
            }
            Tag::Bold => self.bold += 1,
            Tag::Italic => self.italic += 1,
            Tag::Link => {
                let target = element
                    .attr("href")
                    .and_then(|h| resolve_link(h, self.base));
                self.links.push(target);
            }
            Tag::Row => self.end_line(),
            Tag::Cell { header } => {
                if self.on_line() {
                    // The space after the bar is pending, so that it and whitespace opening the
                    // cell collapse into one, as whitespace does everywhere else.
                    self.inlines.push(Inline::Text(Run::plain(" |")));
                    self.pending_space = true;
                }
                self.bold += usize::from(header);
            }
            Tag::Transparent => {}
        }
        true
    }

    /// Leaves an element `open` returned true for.
    pub(super) fn close(&mut self, node: &Node) {
        let Some(element) = node.as_element() else {
            return;
        };
        match classify(element) {
            Tag::Skip | Tag::LineBreak | Tag::Transparent => {}
            Tag::Block => self.flush(),
            Tag::Heading => {
                self.flush();
                self.heading -= 1;
                self.bold -= 1;
            }
            Tag::BoldBlock => {
                self.flush();
                self.bold -= 1;
            }
            Tag::List { .. } => {
                self.flush();
                self.lists.pop();
            }
            Tag::ListItem => {
                self.flush();
                self.items -= 1;
                self.marker = None;
            }
            Tag::Quote => {
                self.flush();
                self.quote -= 1;
            }
            Tag::Pre => {
                self.flush();
                self.pre -= 1;
            }
            Tag::Bold => self.bold -= 1,
            Tag::Italic => self.italic -= 1,
            Tag::Link => {
                self.links.pop();
            }
            Tag::Row => self.end_line(),
            Tag::Cell { header } => self.bold -= usize::from(header),
        }
    }

    pub(super) fn finish(mut self) -> RichText {
        self.flush();
        RichText {
            blocks: self.blocks,
        }
    }

    fn open_list(&mut self, element: &Element, ordered: bool) {
        self.flush();
        self.list_opening |= self.lists.is_empty();
        let start = element
            .attr("start")
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(1);
        self.lists.push(List {
            ordered,
            next: start,
        });
    }

    fn next_marker(&mut self, value: Option<&str>) -> ListMarker {
        match self.lists.last_mut() {
            Some(list) if list.ordered => {
                if let Some(value) = value.and_then(|v| v.trim().parse().ok()) {
                    list.next = value;
                }
                let number = list.next;
                list.next = list.next.saturating_add(1);
                ListMarker::Number(number)
            }
            _ => ListMarker::Bullet,
        }
    }

    fn text(&mut self, raw: &str) {
        let text = strip_invisible(raw);
        if self.pre > 0 {
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 {
                    self.inlines.push(Inline::Break);
                }
                if !line.is_empty() {
                    self.push(line);
                }
            }
            return;
        }
        for (i, word) in text.split(is_space).enumerate() {
            self.pending_space |= i > 0;
            if word.is_empty() {
                continue;
            }
            if self.pending_space && self.on_line() {
                self.push(" ");
            }
            self.pending_space = false;
            self.push(word);
        }
    }

    /// `<br>` breaks the line; a second one in a row, the usual way feeds separate paragraphs in
    /// an RSS description, ends the block instead.
    fn line_break(&mut self) {
        self.pending_space = false;
        match self.inlines.last() {
            Some(Inline::Break) => {
                self.inlines.pop();
                self.flush();
            }
            Some(Inline::Text(_)) => self.inlines.push(Inline::Break),
            None => {}
        }
    }

    /// Starts a new line unless the current one is empty.
    fn end_line(&mut self) {
        self.pending_space = false;
        if self.on_line() {
            self.inlines.push(Inline::Break);
        }
    }

    /// Whether text has been written since the start of the current line.
    fn on_line(&self) -> bool {
        matches!(self.inlines.last(), Some(Inline::Text(_)))
    }

    fn push(&mut self, text: &str) {
        let style = Style {
            bold: self.bold > 0,
            italic: self.italic > 0,
        };
        let link = self.links.last().and_then(Option::as_deref);
        if let Some(Inline::Text(run)) = self.inlines.last_mut()
            && run.style == style
            && run.link.as_deref() == link
        {
            run.text.push_str(text);
            return;
        }
        let run = Run {
            text: text.to_owned(),
            style,
            link: link.map(str::to_owned),
        };
        self.inlines.push(Inline::Text(run));
    }

    fn flush(&mut self) {
        self.pending_space = false;
        while matches!(self.inlines.last(), Some(Inline::Break)) {
            self.inlines.pop();
        }
        let leading = self
            .inlines
            .iter()
            .take_while(|i| matches!(i, Inline::Break))
            .count();
        self.inlines.drain(..leading);
        if self.inlines.is_empty() {
            return;
        }
        let kind = self.kind();
        self.blocks.push(Block {
            kind,
            inlines: std::mem::take(&mut self.inlines),
        });
    }

    fn kind(&mut self) -> BlockKind {
        if self.pre > 0 {
            BlockKind::Preformatted
        } else if self.items > 0 {
            let depth = self.lists.len().saturating_sub(1);
            let opens_list = std::mem::take(&mut self.list_opening);
            BlockKind::ListItem {
                marker: self.marker.take(),
                depth,
                opens_list,
            }
        } else if self.heading > 0 {
            BlockKind::Heading
        } else if self.quote > 0 {
            BlockKind::Quote
        } else {
            BlockKind::Paragraph
        }
    }
}
