//! The neutral rich-text model every markup writer reads: what an entry's summary says, with just
//! the structure chat platforms can show (paragraphs, lists, emphasis, links) and nothing they
//! cannot (images, scripts, layout).
//!
//! Invariants the writers rely on, upheld by [`super::html`]: text is free of invisible and
//! control characters; outside preformatted blocks it holds no newline and no run of two spaces;
//! a block never starts or ends with a [`Inline::Break`]; every link is an absolute http(s) URL.

/// A summary as a sequence of blocks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RichText {
    pub blocks: Vec<Block>,
}

/// One paragraph-like unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub inlines: Vec<Inline>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    /// A heading of any level; writers show it bold, since chat cards have no heading sizes.
    Heading,
    /// A list item. `marker` is `None` for a second block inside the same item (a paragraph after
    /// a nested list), which continues the item without a new bullet. `depth` is 0 for a
    /// top-level list. `opens_list` marks the first item of a top-level list, so that two lists
    /// in a row stay two lists.
    ListItem {
        marker: Option<ListMarker>,
        depth: usize,
        opens_list: bool,
    },
    Quote,
    /// Text from `<pre>`: spaces kept, lines separated by [`Inline::Break`].
    Preformatted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListMarker {
    Bullet,
    Number(u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(Run),
    /// A line break inside a block (`<br>`, or a newline in preformatted text).
    Break,
}

/// A stretch of text with one style and one link target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub text: String,
    pub style: Style,
    /// Absolute http or https URL the text links to.
    pub link: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
}

impl RichText {
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// The text as one line: blocks and breaks become spaces. Used for previews such as a title
    /// made from the start of an untitled entry's summary.
    #[must_use]
    pub fn to_single_line(&self) -> String {
        let mut out = String::new();
        for inline in self
            .blocks
            .iter()
            .flat_map(|b| std::iter::once(&Inline::Break).chain(&b.inlines))
        {
            match inline {
                Inline::Text(run) => out.push_str(&run.text),
                Inline::Break => out.push(' '),
            }
        }
        super::clean::collapse_whitespace(&out)
    }
}

impl BlockKind {
    /// Whether a `next` block right after this one is an item of the same list, which writers
    /// separate by a line rather than a paragraph break.
    #[must_use]
    pub fn same_list(self, next: BlockKind) -> bool {
        matches!(
            (self, next),
            (
                BlockKind::ListItem { .. },
                BlockKind::ListItem {
                    opens_list: false,
                    ..
                }
            )
        )
    }
}

impl Style {
    pub const BOLD: Self = Self {
        bold: true,
        italic: false,
    };
    pub const ITALIC: Self = Self {
        bold: false,
        italic: true,
    };
}

impl Run {
    #[must_use]
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            style: Style::default(),
            link: None,
        }
    }
}

impl Block {
    #[must_use]
    pub fn paragraph(text: impl Into<String>) -> Self {
        Self {
            kind: BlockKind::Paragraph,
            inlines: vec![Inline::Text(Run::plain(text))],
        }
    }

    /// The block's lines: its runs, split at its breaks.
    #[must_use]
    pub fn lines(&self) -> Vec<Vec<&Run>> {
        self.inlines
            .split(|inline| matches!(inline, Inline::Break))
            .map(|line| {
                line.iter()
                    .filter_map(|inline| match inline {
                        Inline::Text(run) => Some(run),
                        Inline::Break => None,
                    })
                    .collect()
            })
            .collect()
    }

    /// The number of characters of text the block shows, breaks counted as one.
    #[must_use]
    pub fn char_len(&self) -> usize {
        self.inlines
            .iter()
            .map(|i| match i {
                Inline::Text(run) => run.text.chars().count(),
                Inline::Break => 1,
            })
            .sum()
    }
}
