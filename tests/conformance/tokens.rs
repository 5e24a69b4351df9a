//! The tokens of the Python subset (see `python.rs`): names, string literals with Python's
//! escapes, numbers and punctuation.

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Name(String),
    Str(String),
    Int(i64),
    /// A float: no field of feedhook's is compared with one.
    Float,
    Punct(&'static str),
}

const PUNCTS: [&str; 13] = [
    "==", "!=", "(", ")", "[", "]", "{", "}", ",", ":", "+", ".", "-",
];

/// The tokens of `source`; `None` at a character outside the subset.
pub fn tokenize(source: &str) -> Option<Vec<Token>> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if let Some((text, next)) = string_literal(&chars, i) {
            tokens.push(Token::Str(text));
            i = next;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let digits: String = chars[start..i].iter().collect();
            if chars.get(i) == Some(&'.') {
                // A float: no field of feedhook's is compared with one.
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                tokens.push(Token::Float);
            } else {
                tokens.push(Token::Int(digits.parse().ok()?));
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(Token::Name(chars[start..i].iter().collect()));
        } else {
            let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let punct = PUNCTS.iter().find(|p| rest.starts_with(**p))?;
            tokens.push(Token::Punct(punct));
            i += punct.len();
        }
    }
    Some(tokens)
}

/// A string literal at `i` (with an optional `u`/`b`/`r` prefix, single, double or triple
/// quotes): its value and the index after it.
fn string_literal(chars: &[char], i: usize) -> Option<(String, usize)> {
    let mut at = i;
    let mut raw = false;
    while at < chars.len() && matches!(chars[at], 'u' | 'U' | 'b' | 'B' | 'r' | 'R') && at - i < 2 {
        raw |= matches!(chars[at], 'r' | 'R');
        at += 1;
    }
    let quote = *chars.get(at).filter(|c| matches!(c, '\'' | '"'))?;
    let triple = chars.get(at..at + 3) == Some(&[quote; 3][..]);
    let delimiter = if triple { 3 } else { 1 };
    let mut out = String::new();
    let mut j = at + delimiter;
    loop {
        let c = *chars.get(j)?;
        if c == quote && (!triple || chars.get(j..j + 3) == Some(&[quote; 3][..])) {
            return Some((out, j + delimiter));
        }
        if c == '\\' && !raw {
            let (text, used) = escape(&chars[j + 1..])?;
            out.push_str(&text);
            j += 1 + used;
        } else {
            out.push(c);
            j += 1;
        }
    }
}

/// A backslash escape (without the backslash): its text and the characters it used.
fn escape(chars: &[char]) -> Option<(String, usize)> {
    let hex = |len: usize| -> Option<(String, usize)> {
        let digits: String = chars.get(1..=len)?.iter().collect();
        let c = char::from_u32(u32::from_str_radix(&digits, 16).ok()?)?;
        Some((c.to_string(), 1 + len))
    };
    match chars.first()? {
        'n' => Some(("\n".into(), 1)),
        't' => Some(("\t".into(), 1)),
        'r' => Some(("\r".into(), 1)),
        '0' => Some(("\0".into(), 1)),
        'x' => hex(2),
        'u' => hex(4),
        'U' => hex(8),
        '\n' => Some((String::new(), 1)),
        other => Some((other.to_string(), 1)),
    }
}
