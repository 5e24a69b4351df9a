//! Where a long feed list can be read a part at a time.
//!
//! toml keeps about 80 bytes per token of the file while it builds a document (the token, its parse
//! event and the spanned tree): 170 MB for a list of 50,000 feeds. After the first `[[feeds]]`
//! table, a file whose other tables are all `[[feeds]]` tables and their sub-tables can be cut
//! before any `[[feeds]]` header without changing what it means: the array of tables is the
//! concatenation of the parts' arrays. Each part is read with the text before it blanked out, so
//! every span still points into the file. Anything else after the feeds begin (another table, a
//! header toml would reject) keeps the file in one part, so toml sees and judges the whole of it.

use toml_parser::Source;
use toml_parser::lexer::TokenKind;

/// `[[feeds]]` tables per part.
pub(super) const FEEDS_PER_PART: usize = 2_000;

/// Where the parts of `text` start, the first at 0; `[0]` when the file stays whole.
pub(super) fn part_starts(text: &str, per_part: usize) -> Vec<usize> {
    let Some(feed_headers) = feed_header_offsets(text) else {
        return vec![0];
    };
    std::iter::once(0)
        .chain(
            feed_headers
                .into_iter()
                .skip(per_part)
                .step_by(per_part.max(1)),
        )
        .collect()
}

/// The offset of every `[[feeds]]` header, or `None` when a header after the first of them is not
/// a `[[feeds]]` table or one of its sub-tables.
fn feed_header_offsets(text: &str) -> Option<Vec<usize>> {
    let mut offsets = Vec::new();
    let mut tokens = Source::new(text).lex().peekable();
    let (mut line_start, mut in_value, mut depth) = (true, false, 0usize);
    while let Some(token) = tokens.next() {
        let kind = token.kind();
        match kind {
            TokenKind::Newline if depth == 0 => (line_start, in_value) = (true, false),
            TokenKind::Whitespace | TokenKind::Comment | TokenKind::Newline => {}
            TokenKind::LeftSquareBracket if line_start && !in_value => {
                let start = token.span().start();
                let mut header = String::from("[");
                while let Some(next) = tokens.next_if(|t| {
                    !matches!(
                        t.kind(),
                        TokenKind::Newline | TokenKind::Comment | TokenKind::Eof
                    )
                }) {
                    if next.kind() != TokenKind::Whitespace {
                        header.push_str(&text[next.span().start()..next.span().end()]);
                    }
                }
                match header.as_str() {
                    "[[feeds]]" => offsets.push(start),
                    _ if header.starts_with("[feeds.") || header.starts_with("[[feeds.") => {}
                    _ if offsets.is_empty() => {}
                    _ => return None,
                }
                line_start = false;
            }
            _ => {
                line_start = false;
                match kind {
                    TokenKind::Equals => in_value = true,
                    TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => depth += 1,
                    TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                        depth = depth.saturating_sub(1);
                    }
                    _ => {}
                }
            }
        }
    }
    Some(offsets)
}

/// Part `index` of `text` as toml is to read it: the text before the part blanked out with spaces,
/// so that its spans are the file's.
pub(super) fn part_text(text: &str, starts: &[usize], index: usize) -> String {
    let start = starts[index];
    let end = starts.get(index + 1).copied().unwrap_or(text.len());
    let mut part = " ".repeat(start);
    part.push_str(&text[start..end]);
    part
}

#[cfg(test)]
mod tests;
