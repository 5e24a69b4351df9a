//! Rich text back into HTML that [`super::to_rich_text`] reads as the same rich text: a summary a
//! channel cut to its `max_summary_chars`, for the targets that pass the summary on as HTML (the
//! generic webhook's `summary_html`), links and emphasis intact.

use std::fmt::Write as _;

use crate::render::richtext::{Block, BlockKind, Inline, ListMarker, RichText, Run};

/// Writes `text` as HTML. Reading the result back gives the same blocks, kinds and text; two
/// neighbouring runs of one style and link may come back as one.
#[must_use]
pub fn from_rich_text(text: &RichText) -> String {
    let mut writer = Writer::default();
    for block in &text.blocks {
        if let BlockKind::ListItem {
            marker,
            depth,
            opens_list,
        } = block.kind
        {
            writer.item(block, marker, depth, opens_list);
        } else {
            writer.close_lists(0);
            writer.block(block);
        }
    }
    writer.close_lists(0);
    writer.out
}

#[derive(Default)]
struct Writer {
    out: String,
    /// The lists open, outermost first, each with its last `<li>` still open.
    lists: Vec<&'static str>,
}

impl Writer {
    fn block(&mut self, block: &Block) {
        let (tag, pre) = match block.kind {
            BlockKind::Heading => ("h3", false),
            BlockKind::Quote => ("blockquote", false),
            BlockKind::Preformatted => ("pre", true),
            BlockKind::Paragraph | BlockKind::ListItem { .. } => ("p", false),
        };
        let _ = write!(self.out, "<{tag}>");
        self.inlines(&block.inlines, pre);
        let _ = write!(self.out, "</{tag}>");
    }

    fn item(&mut self, block: &Block, marker: Option<ListMarker>, depth: usize, opens_list: bool) {
        if opens_list {
            self.close_lists(0);
        }
        self.close_lists(depth + 1);
        let Some(marker) = marker else {
            // More of the item already open: a block of its own inside it.
            self.open_lists(depth + 1);
            self.out.push_str("<div>");
            self.inlines(&block.inlines, false);
            self.out.push_str("</div>");
            return;
        };
        let tag = match marker {
            ListMarker::Number(_) => "ol",
            ListMarker::Bullet => "ul",
        };
        match self.lists.get(depth) {
            Some(open) if *open == tag => self.out.push_str("</li>"),
            Some(_) => self.close_lists(depth),
            None => {}
        }
        self.open_lists(depth);
        if self.lists.len() == depth {
            let _ = write!(self.out, "<{tag}>");
            self.lists.push(tag);
        }
        match marker {
            ListMarker::Number(n) => {
                let _ = write!(self.out, "<li value=\"{n}\">");
            }
            ListMarker::Bullet => self.out.push_str("<li>"),
        }
        self.inlines(&block.inlines, false);
    }

    /// Opens plain lists, each with an item, until `depth` lists are open.
    fn open_lists(&mut self, depth: usize) {
        while self.lists.len() < depth {
            self.out.push_str("<ul><li>");
            self.lists.push("ul");
        }
    }

    /// Closes lists until only `depth` are open.
    fn close_lists(&mut self, depth: usize) {
        while self.lists.len() > depth {
            if let Some(tag) = self.lists.pop() {
                let _ = write!(self.out, "</li></{tag}>");
            }
        }
    }

    fn inlines(&mut self, inlines: &[Inline], pre: bool) {
        for inline in inlines {
            match inline {
                Inline::Text(run) => self.run(run),
                Inline::Break if pre => self.out.push('\n'),
                Inline::Break => self.out.push_str("<br>"),
            }
        }
    }

    fn run(&mut self, run: &Run) {
        // The space a run starts with (the one between it and the previous run) is written before
        // its tags; reading it back gives it to the run again.
        let text = run.text.trim_start_matches(' ');
        self.out.push_str(&run.text[..run.text.len() - text.len()]);
        if let Some(link) = &run.link {
            let _ = write!(self.out, "<a href=\"{}\">", escape(link));
        }
        if run.style.bold {
            self.out.push_str("<b>");
        }
        if run.style.italic {
            self.out.push_str("<i>");
        }
        self.out.push_str(&escape(text));
        if run.style.italic {
            self.out.push_str("</i>");
        }
        if run.style.bold {
            self.out.push_str("</b>");
        }
        if run.link.is_some() {
            self.out.push_str("</a>");
        }
    }
}

/// Escapes text for element content and double-quoted attribute values alike.
#[must_use]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests;
