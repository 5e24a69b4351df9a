//! Control characters from outside text, made visible. A guid, a parse error or a webhook's answer
//! can hold a line break (which would forge a log line), ESC or BEL (which a terminal obeys), or a
//! character that reorders or breaks lines in viewers; each is written as an escape instead, the way
//! Rust's `{:?}` writes it: `\n`, `\r`, `\t`, else `\u{1b}`. Backslashes are left as they are.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` must not reach a terminal or a log as it is: the C0 and C1 controls and DEL, the
/// Unicode line and paragraph separators, and the bidirectional controls (which can make a line
/// read as something else, CVE-2021-42574).
#[must_use]
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with every unsafe character escaped, line breaks included: for one cell or one line of
/// output.
#[must_use]
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.contains(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

/// One formatted log line in the text format: everything escaped but the line break that ends it.
#[must_use]
pub fn text_line(line: &str) -> Cow<'_, str> {
    let (body, end) = split_end(line);
    match printable(body) {
        Cow::Borrowed(_) => Cow::Borrowed(line),
        Cow::Owned(mut escaped) => {
            escaped.push_str(end);
            Cow::Owned(escaped)
        }
    }
}

/// One log line in the JSON format: every unsafe character of a string value — whether the JSON
/// writer escaped it (`\n`, `\u001b`) or not (`\u{85}`, `\u{202e}`) — becomes the text of its
/// escape, so that the decoded value holds none either (what `jq -r` prints is safe too). The line
/// stays valid JSON.
#[must_use]
pub fn json_line(line: &str) -> Cow<'_, str> {
    let (body, end) = split_end(line);
    // Without a backslash there is no JSON escape to look into.
    if !body.contains(is_unsafe) && !body.contains('\\') {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 16);
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('u') => {
                    let hex: String = chars.by_ref().take(4).collect();
                    let decoded = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                    match decoded {
                        Some(decoded) if is_unsafe(decoded) => push_json_escaped(&mut out, decoded),
                        _ => {
                            out.push_str("\\u");
                            out.push_str(&hex);
                        }
                    }
                }
                Some(short @ ('n' | 'r' | 't' | 'b' | 'f')) => {
                    let decoded = match short {
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        'b' => '\u{8}',
                        _ => '\u{c}',
                    };
                    push_json_escaped(&mut out, decoded);
                }
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            c if is_unsafe(c) => push_json_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    out.push_str(end);
    Cow::Owned(out)
}

/// `line` without its final line break, and that break (`""` when there is none).
fn split_end(line: &str) -> (&str, &str) {
    match line.strip_suffix('\n') {
        Some(body) => (body, &line[body.len()..]),
        None => (line, ""),
    }
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if is_unsafe(c) => {
            // Writing to a String cannot fail.
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
        c => out.push(c),
    }
}

/// The escape of `c` as [`push_escaped`] writes it, inside a JSON string: its backslash doubled.
fn push_json_escaped(out: &mut String, c: char) {
    let mut escaped = String::new();
    push_escaped(&mut escaped, c);
    out.push_str(&escaped.replace('\\', "\\\\"));
}

#[cfg(test)]
mod tests;
