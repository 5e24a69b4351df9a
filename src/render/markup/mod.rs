//! Writers from [`RichText`] to the text markup each platform reads. One file per markup
//! language, named after the language (a target may use several, and several targets one): each
//! is a [`Markup`], the syntax and escaping of that language, and [`Markup::write`] lays out any
//! of them the same way.
//!
//! - [`teams_md`]: the Markdown subset of Teams Adaptive Cards and MessageCards;
//! - [`slack_mrkdwn`]: Slack's mrkdwn;
//! - [`discord_md`]: Discord's Markdown;
//! - [`commonmark`]: CommonMark as Mattermost reads it, mentions defused;
//! - [`gchat_text`]: Google Chat's card HTML subset, and its message text;
//! - [`chat_html`]: the HTML subsets of Matrix's `formatted_body` and Telegram's HTML mode;
//! - [`plain`]: plain text (console, the generic webhook's `summary_text`, feed filters).
//!
//! What they share: the block layout here (breaks between blocks and list items, line prefixes),
//! one writer for a line of styled, linked runs (`inline.rs`), and the judgement of link labels
//! that could pass for another address ([`links`]).

use crate::render::richtext::{Block, BlockKind, ListMarker, RichText, Run, Style};

pub mod chat_html;
pub mod commonmark;
pub mod discord_md;
pub mod gchat_text;
mod inline;
pub mod links;
pub mod plain;
pub mod slack_mrkdwn;
pub mod teams_md;

use inline::write_line;

/// One emphasis kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Bold,
    Italic,
}

/// A markup language: its syntax and escaping, as [`Markup::write`] needs them.
pub trait Markup {
    /// Between two items of one list.
    const ITEM_BREAK: &'static str = "\n";
    /// Between any other two blocks.
    const BLOCK_BREAK: &'static str = "\n\n";
    /// The prefix of every line of a quote.
    const QUOTE: &'static str = "> ";
    /// The emphasis of a quote, in a language without quotes.
    const QUOTE_STYLE: Style = Style {
        bold: false,
        italic: false,
    };
    /// What opens and closes bold text.
    const BOLD: (&'static str, &'static str);
    /// What opens and closes italic text.
    const ITALIC: (&'static str, &'static str);
    /// Whether emphasis may be written inside a link's label.
    const STYLED_LABELS: bool = true;
    /// Whether emphasis spans runs (`**new _parser_**`), or each run closes its own, as HTML
    /// written run by run does (`<b>new</b> <b><i>parser</i></b>`).
    const SPANS_RUNS: bool = true;
    /// Whether links are written at all; plain text shows their labels only.
    const LINKS: bool = true;
    /// Lists nested deeper than this are shown at this depth: each level costs indentation in a
    /// narrow chat column or terminal.
    const MAX_LIST_DEPTH: usize = 4;

    /// Between two lines of a block of `kind`, before the prefix of the second.
    #[must_use]
    fn line_break(_kind: BlockKind) -> &'static str {
        "\n"
    }
    /// The prefixes of a list item's first line and of its following lines. `columns` is the
    /// layout's memory across items (the content column of the latest item at each depth). By
    /// default, `- ` and `1. ` markers indented by two spaces per level.
    #[must_use]
    fn list_prefixes(
        marker: Option<ListMarker>,
        depth: usize,
        _columns: &mut Vec<usize>,
    ) -> (String, String) {
        hanging(marker, depth, Self::MAX_LIST_DEPTH)
    }
    /// Preformatted text, given its lines of runs.
    fn preformatted(lines: &[Vec<&Run>]) -> String;

    /// Escapes feed text; `line_start` when it begins a line, where more characters open block
    /// syntax.
    fn escape(text: &str, line_start: bool) -> String;
    /// Escapes one run of feed text as the line writer meets it, in a link's label or not.
    #[must_use]
    fn escape_run(text: &str, line_start: bool, _in_link: bool) -> String {
        Self::escape(text, line_start)
    }
    /// A link with `label` (already written) to `url`.
    fn link(label: &str, url: &str) -> String;
    /// A link showing its own URL, for a label that named another address.
    #[must_use]
    fn url_link(url: &str) -> String {
        Self::link(&Self::escape(url, false), url)
    }
    /// What follows a link whose label names another host than `host`, the one it opens.
    #[must_use]
    fn host_note(host: &str) -> String {
        format!(" {}", Self::escape(&format!("({host})"), false))
    }
    /// Whether the parser reads `marker` opening between `before` (outside) and `after` (the
    /// first character emphasised). Neither is whitespace.
    #[must_use]
    fn opens(_marker: Marker, _before: char, _after: char) -> bool {
        true
    }
    /// Whether the parser reads `marker` closing between `before` (the last character
    /// emphasised) and `after` (outside). Neither is whitespace.
    #[must_use]
    fn closes(_marker: Marker, _before: char, _after: char) -> bool {
        true
    }
    /// The style a run touching the previous one (no space between) can have, given the markers
    /// `open` before it.
    #[must_use]
    fn touching(_open: &[Marker], want: Style) -> Style {
        want
    }
    /// The first thing written on a line (a run group, its link included), made safe there.
    #[must_use]
    fn guard_line_start(written: String) -> String {
        written
    }

    /// Writes `text` in this language, without a trailing newline.
    #[must_use]
    fn write(text: &RichText) -> String
    where
        Self: Sized,
    {
        write::<Self>(text)
    }
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

/// Writes `text` in the language `M`, separating the items of one list by its item break and
/// every other two blocks by its block break. A block that writes nothing leaves no break.
fn write<M: Markup>(text: &RichText) -> String {
    let mut out = String::new();
    let mut previous: Option<BlockKind> = None;
    let mut columns: Vec<usize> = Vec::new();
    for block in &text.blocks {
        let written = write_block::<M>(block, &mut columns);
        if written.is_empty() {
            continue;
        }
        if let Some(previous) = previous {
            out.push_str(if previous.same_list(block.kind) {
                M::ITEM_BREAK
            } else {
                M::BLOCK_BREAK
            });
        }
        out.push_str(&written);
        previous = Some(block.kind);
    }
    out
}

fn write_block<M: Markup>(block: &Block, columns: &mut Vec<usize>) -> String {
    let lines = block.lines();
    let (first, rest, forced) = match block.kind {
        BlockKind::Preformatted => return M::preformatted(&lines),
        BlockKind::ListItem { marker, depth, .. } => {
            let (first, rest) = M::list_prefixes(marker, depth, columns);
            (first, rest, Style::default())
        }
        BlockKind::Quote => (M::QUOTE.to_owned(), M::QUOTE.to_owned(), M::QUOTE_STYLE),
        BlockKind::Heading => (String::new(), String::new(), Style::BOLD),
        BlockKind::Paragraph => (String::new(), String::new(), Style::default()),
    };
    let written = write_lines::<M>(&lines, forced);
    if written.is_empty() {
        return String::new();
    }
    let separator = format!("{}{rest}", M::line_break(block.kind));
    format!("{first}{}", written.join(&separator))
}

/// The lines of a block written with `forced` emphasis added, empty ones left out.
fn write_lines<M: Markup>(lines: &[Vec<&Run>], forced: Style) -> Vec<String> {
    lines
        .iter()
        .map(|runs| write_line::<M>(runs, forced))
        .filter(|line| !line.is_empty())
        .collect()
}

/// Preformatted lines as written in the feed, for a code block: the text of their runs.
fn raw_lines(lines: &[Vec<&Run>]) -> Vec<String> {
    lines
        .iter()
        .map(|runs| runs.iter().map(|run| run.text.as_str()).collect())
        .collect()
}

/// List prefixes indented by two spaces per level (at most `max_depth` levels), with `- ` and
/// `1. ` markers, the following lines under the item's text.
fn hanging(marker: Option<ListMarker>, depth: usize, max_depth: usize) -> (String, String) {
    let marker = marker.map_or_else(|| "  ".to_owned(), dash_or_number);
    let indent = "  ".repeat(depth.min(max_depth));
    let hanging = " ".repeat(marker.chars().count());
    (format!("{indent}{marker}"), format!("{indent}{hanging}"))
}

/// List prefixes that start a nested item's `marker` under its parent item's text (at most
/// `max_depth` levels deep), the following lines under its own text. A continuation (no marker)
/// stands under the text of the item it continues.
fn under_parent(
    marker: Option<&str>,
    depth: usize,
    max_depth: usize,
    columns: &mut Vec<usize>,
) -> (String, String) {
    let depth = depth.min(max_depth);
    let Some(marker) = marker else {
        let column = columns.get(depth).or(columns.last()).copied().unwrap_or(0);
        let indent = " ".repeat(column);
        return (indent.clone(), indent);
    };
    let indent = match depth.checked_sub(1) {
        Some(parent) => columns.get(parent).or(columns.last()).copied().unwrap_or(0),
        None => 0,
    };
    columns.truncate(depth);
    let column = indent + marker.chars().count();
    columns.push(column);
    (
        format!("{}{marker}", " ".repeat(indent)),
        " ".repeat(column),
    )
}

/// `- ` or `1. `, the list markers most languages share.
fn dash_or_number(marker: ListMarker) -> String {
    match marker {
        ListMarker::Bullet => "- ".to_owned(),
        ListMarker::Number(n) => format!("{n}. "),
    }
}

/// `escaped` feed text that starts a line, with a backslash before what would open a block
/// there: one of `openers` (`#` a heading, `-` a list…) or a number followed by `.` or `)` (an
/// ordered list).
fn guard_block_start(escaped: String, openers: &[char]) -> String {
    if escaped.starts_with(openers) {
        return format!("\\{escaped}");
    }
    let digits = escaped.bytes().take_while(u8::is_ascii_digit).count();
    match escaped[digits..].chars().next() {
        Some('.' | ')') if digits > 0 => format!("{}\\{}", &escaped[..digits], &escaped[digits..]),
        _ => escaped,
    }
}

/// Whether the text after an `&` reads as an entity (`amp;`, `#38;`), which a Markdown renderer
/// would decode instead of showing.
fn starts_entity(rest: &str) -> bool {
    let name = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'#')
        .count();
    name > 0 && rest.as_bytes().get(name) == Some(&b';')
}
