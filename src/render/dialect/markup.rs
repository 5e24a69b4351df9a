//! What Slack mrkdwn and Markdown share: paragraphs, `*`/`_`-style emphasis markers around text,
//! links around labels, list markers and quote prefixes at line starts. [`write`] lays out a
//! [`RichText`] with the pieces a [`Markup`] supplies; the dialect decides the characters, the
//! escaping of feed text and where its parser reads an emphasis marker.

use crate::render::richtext::{Block, BlockKind, Inline, ListMarker, RichText, Run, Style};

mod line;

/// Nesting deeper than this is shown at this depth: each level costs indentation in a narrow
/// chat column.
const MAX_DEPTH: usize = 4;

/// One emphasis kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Bold,
    Italic,
}

/// A dialect's syntax, as [`write`] needs it.
pub trait Markup {
    const BOLD: &'static str;
    const ITALIC: &'static str;
    /// Whether emphasis may be written inside a link's label.
    const STYLED_LABELS: bool;
    /// The prefix of every line of a quote.
    const QUOTE: &'static str;

    /// Escapes feed text for the dialect; `line_start` when it begins a line, where more
    /// characters open block syntax.
    fn escape(text: &str, line_start: bool) -> String;
    /// A link with `label` (already escaped) to `url`.
    fn link(label: &str, url: &str) -> String;
    /// Whether the parser reads `marker` opening between `before` (outside) and `after` (the
    /// first character emphasised). Neither is whitespace.
    fn opens(marker: Marker, before: char, after: char) -> bool;
    /// Whether the parser reads `marker` closing between `before` (the last character
    /// emphasised) and `after` (outside). Neither is whitespace.
    fn closes(marker: Marker, before: char, after: char) -> bool;
    /// The marker of a list item at `depth`, with the space after it.
    fn list_marker(marker: ListMarker, depth: usize) -> String;
    /// Preformatted text: `lines` as the feed wrote them, unescaped.
    fn code_block(lines: &[String]) -> String;
}

impl Marker {
    fn of(self, style: Style) -> bool {
        match self {
            Self::Bold => style.bold,
            Self::Italic => style.italic,
        }
    }

    fn clear(self, style: &mut Style) {
        match self {
            Self::Bold => style.bold = false,
            Self::Italic => style.italic = false,
        }
    }
}

/// Writes `text` in the dialect `M`, without a trailing newline.
#[must_use]
pub fn write<M: Markup>(text: &RichText) -> String {
    let mut out = String::new();
    let mut previous: Option<BlockKind> = None;
    // Content column of the latest item at each depth, where a nested item's marker starts.
    let mut columns: Vec<usize> = Vec::new();
    for block in &text.blocks {
        let written = write_block::<M>(block, &mut columns);
        if written.is_empty() {
            continue;
        }
        if let Some(previous) = previous {
            out.push_str(if previous.same_list(block.kind) {
                "\n"
            } else {
                "\n\n"
            });
        }
        out.push_str(&written);
        previous = Some(block.kind);
    }
    out
}

fn write_block<M: Markup>(block: &Block, columns: &mut Vec<usize>) -> String {
    let lines = split_lines(&block.inlines);
    if block.kind == BlockKind::Preformatted {
        let lines: Vec<String> = lines
            .iter()
            .map(|runs| runs.iter().map(|run| run.text.as_str()).collect())
            .collect();
        return M::code_block(&lines);
    }
    let (first, rest, forced) = match block.kind {
        BlockKind::ListItem { marker, depth, .. } => {
            let (first, rest) = list_prefixes::<M>(marker, depth.min(MAX_DEPTH), columns);
            (first, rest, Style::default())
        }
        BlockKind::Quote => (M::QUOTE.to_owned(), M::QUOTE.to_owned(), Style::default()),
        BlockKind::Heading => (
            String::new(),
            String::new(),
            Style {
                bold: true,
                italic: false,
            },
        ),
        BlockKind::Paragraph | BlockKind::Preformatted => {
            (String::new(), String::new(), Style::default())
        }
    };
    let written: Vec<String> = lines
        .iter()
        .map(|runs| line::write_line::<M>(runs, forced))
        .filter(|line| !line.is_empty())
        .collect();
    if written.is_empty() {
        return String::new();
    }
    format!("{first}{}", written.join(&format!("\n{rest}")))
}

/// The prefix of a list item's first line and of its following lines: the marker indented to
/// the parent item's content column, then that item's own content column.
fn list_prefixes<M: Markup>(
    marker: Option<ListMarker>,
    depth: usize,
    columns: &mut Vec<usize>,
) -> (String, String) {
    let Some(marker) = marker else {
        // A continuation of the item at `depth`: under its text, without a marker.
        let column = columns.get(depth).or(columns.last()).copied().unwrap_or(0);
        let indent = " ".repeat(column);
        return (indent.clone(), indent);
    };
    let indent = match depth.checked_sub(1) {
        Some(parent) => columns.get(parent).or(columns.last()).copied().unwrap_or(0),
        None => 0,
    };
    let marker = M::list_marker(marker, depth);
    columns.truncate(depth);
    let column = indent + marker.chars().count();
    columns.push(column);
    (
        format!("{}{marker}", " ".repeat(indent)),
        " ".repeat(column),
    )
}

fn split_lines(inlines: &[Inline]) -> Vec<Vec<&Run>> {
    let mut lines: Vec<Vec<&Run>> = vec![Vec::new()];
    for inline in inlines {
        match inline {
            Inline::Text(run) => {
                if let Some(line) = lines.last_mut() {
                    line.push(run);
                }
            }
            Inline::Break => lines.push(Vec::new()),
        }
    }
    lines
}
