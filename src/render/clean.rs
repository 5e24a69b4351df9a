//! Characters feed text may carry that no card should show: bidi overrides that make a reader see
//! `exe.png` where the text says `gnp.exe`, zero-width characters hidden inside words or links, and
//! control characters a terminal would interpret (ANSI escapes on the console channel).

/// Removes invisible and control characters and normalises line endings to `\n`.
///
/// Tabs, form feeds and the Unicode line/paragraph separators become plain whitespace so that the
/// whitespace collapsing downstream treats them like spaces and newlines.
///
/// ZERO WIDTH JOINER and NON-JOINER are kept when both neighbours are non-ASCII letters or symbols:
/// there they build emoji sequences (👨‍👩‍👧) and shape Indic and Persian words. Between ASCII
/// characters they only serve to hide things (`@every\u{200D}one`), so they go.
#[must_use]
pub fn strip_invisible(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\r' if chars.get(i + 1) == Some(&'\n') => {}
            '\r' | '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push('\n'),
            '\t' | '\u{b}' | '\u{c}' => out.push(' '),
            '\u{200C}' | '\u{200D}' => {
                let joins = |n: Option<&char>| n.is_some_and(|&n| is_joinable(n));
                if joins(i.checked_sub(1).and_then(|p| chars.get(p))) && joins(chars.get(i + 1)) {
                    out.push(c);
                }
            }
            c if is_invisible(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Collapses every run of whitespace (newlines included) to one space and trims both ends.
#[must_use]
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(is_space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// One line of display text from feed text: invisible characters removed, whitespace collapsed.
#[must_use]
pub fn clean_line(text: &str) -> String {
    collapse_whitespace(&strip_invisible(text))
}

/// Whitespace as the card writers treat it: HTML's ASCII whitespace plus the no-break space, which
/// feeds use for layout (`&nbsp;&nbsp;`) rather than meaning.
#[must_use]
pub fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\n' | '\t' | '\r' | '\u{c}' | '\u{a0}')
}

fn is_joinable(c: char) -> bool {
    !c.is_ascii() && !c.is_whitespace() && !is_invisible(c) && c != '\u{200C}' && c != '\u{200D}'
}

fn is_invisible(c: char) -> bool {
    matches!(c,
        // C0 controls (newline and tab are handled before this is asked), DEL, C1 controls.
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        // Soft hyphen and Arabic letter mark: invisible, usable to split a word without a trace.
        | '\u{ad}' | '\u{61c}' | '\u{180e}'
        // Zero width space, LRM, RLM (the joiners are decided by their neighbours).
        | '\u{200b}' | '\u{200e}' | '\u{200f}'
        // Bidi embeddings and overrides, word joiner and invisible operators, bidi isolates,
        // deprecated format characters.
        | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206f}'
        // Byte order mark / zero width no-break space, interlinear annotation controls.
        | '\u{feff}' | '\u{fff9}'..='\u{fffb}'
    )
}

#[cfg(test)]
mod tests;
