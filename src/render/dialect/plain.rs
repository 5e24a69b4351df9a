//! Plain text: what the console prints and the generic webhook sends as `summary_text`.
//!
//! Paragraphs are separated by a blank line, list items by a newline with `- ` or `1. ` markers,
//! quotes prefixed by `> `. Link targets are not shown: the text reads as the page did.

use crate::render::richtext::{Block, BlockKind, Inline, ListMarker, RichText};

/// Nesting deeper than this is shown at this depth; the text stays readable on a narrow terminal.
const MAX_DEPTH: usize = 4;

/// Writes `text` as plain text, without a trailing newline.
#[must_use]
pub fn to_plain(text: &RichText) -> String {
    text.write_blocks("\n", "\n\n", write_block)
}

fn write_block(out: &mut String, block: &Block) {
    let (first, rest) = prefixes(block.kind);
    out.push_str(&first);
    for inline in &block.inlines {
        match inline {
            Inline::Text(run) => out.push_str(&run.text),
            Inline::Break => {
                trim_end_spaces(out);
                out.push('\n');
                out.push_str(&rest);
            }
        }
    }
    trim_end_spaces(out);
}

/// The prefix of a block's first line and of its following lines.
fn prefixes(kind: BlockKind) -> (String, String) {
    match kind {
        BlockKind::ListItem { marker, depth, .. } => {
            let indent = "  ".repeat(depth.min(MAX_DEPTH));
            let marker = match marker {
                Some(ListMarker::Bullet) => "- ".to_owned(),
                Some(ListMarker::Number(n)) => format!("{n}. "),
                None => "  ".to_owned(),
            };
            let hanging = " ".repeat(marker.chars().count());
            (format!("{indent}{marker}"), format!("{indent}{hanging}"))
        }
        BlockKind::Quote => ("> ".to_owned(), "> ".to_owned()),
        BlockKind::Paragraph | BlockKind::Heading | BlockKind::Preformatted => {
            (String::new(), String::new())
        }
    }
}

fn trim_end_spaces(out: &mut String) {
    let kept = out.trim_end_matches(' ').len();
    out.truncate(kept);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::html::to_rich_text;

    fn plain(html: &str) -> String {
        to_plain(&to_rich_text(html, None))
    }

    #[test]
    fn paragraphs_are_separated_by_a_blank_line() {
        assert_eq!(plain("<p>one</p><p>two <b>bold</b></p>"), "one\n\ntwo bold");
    }

    #[test]
    fn lists_show_markers_and_nesting() {
        let html = "<ul><li>a<ul><li>a1</li></ul></li><li>b</li></ul><ol start=\"3\"><li>c</li><li>d</li></ol>";
        assert_eq!(plain(html), "- a\n  - a1\n- b\n\n3. c\n4. d");
    }

    #[test]
    fn line_breaks_continue_under_the_list_marker() {
        assert_eq!(
            plain("<ol><li>first<br>second</li></ol>"),
            "1. first\n   second"
        );
    }

    #[test]
    fn preformatted_spaces_alone_leave_no_blank_lines() {
        assert_eq!(plain("<p>a</p><pre>   </pre><p>b</p>"), "a\n\nb");
    }

    #[test]
    fn quotes_and_preformatted_text_keep_their_lines() {
        let html = "<blockquote>said<br>this</blockquote><pre>fn main() {\n    go();\n}</pre>";
        assert_eq!(plain(html), "> said\n> this\n\nfn main() {\n    go();\n}");
    }
}
