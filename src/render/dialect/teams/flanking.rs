//! Markdown (as the `CommonMark` spec defines it) only reads `**` and `_` as emphasis where they
//! "flank" text the right way
//! (<https://spec.commonmark.org/0.31.2/#left-flanking-delimiter-run>): `_` never inside a word,
//! `**` not between a letter and punctuation. Feed HTML puts `<i>` and `<b>` anywhere
//! (`<b>API</b>s`, `x<b>"y"</b>`), and a marker Markdown does not read shows as literal
//! asterisks. So where a marker could not work, the emphasis is dropped and the text kept plain.

use crate::render::richtext::{Run, Style};

/// The style each run of one line can be written with: its own plus `forced`, minus emphasis
/// that would open or close where Markdown cannot read it.
pub(super) fn expressible(runs: &[&Run], forced: Style) -> Vec<Style> {
    let mut styles: Vec<Style> = runs
        .iter()
        .map(|run| Style {
            bold: run.style.bold || forced.bold,
            italic: run.style.italic || forced.italic,
        })
        .collect();
    // Dropping emphasis from a run can create a new boundary with its other neighbour, so repeat
    // until nothing changes; each pass only clears flags, so this ends.
    let mut changed = true;
    while changed {
        changed = false;
        for i in 1..runs.len() {
            changed |= fix_boundary(runs, &mut styles, i);
        }
    }
    styles
}

/// Checks the boundary between run `i - 1` and run `i`; clears the flags that cannot change there.
fn fix_boundary(runs: &[&Run], styles: &mut [Style], i: usize) -> bool {
    let (before, after) = (runs[i - 1], runs[i]);
    // Across a link edge the markers sit next to `[`, `](…)`: punctuation, always readable.
    if before.link != after.link {
        return false;
    }
    let (Some(a), Some(b)) = (before.text.chars().next_back(), after.text.chars().next()) else {
        return false;
    };
    if a.is_whitespace() || b.is_whitespace() {
        return false;
    }
    let mut changed = false;
    // Opening in `after`: `_` needs punctuation before it; `**` too when punctuation follows it.
    if styles[i].italic && !styles[i - 1].italic && !is_punctuation(a) {
        styles[i].italic = false;
        changed = true;
    }
    if styles[i].bold && !styles[i - 1].bold && is_punctuation(b) && !is_punctuation(a) {
        styles[i].bold = false;
        changed = true;
    }
    // Closing in `before`: `_` needs punctuation after it; `**` too when punctuation precedes it.
    if styles[i - 1].italic && !styles[i].italic && !is_punctuation(b) {
        styles[i - 1].italic = false;
        changed = true;
    }
    if styles[i - 1].bold && !styles[i].bold && is_punctuation(a) && !is_punctuation(b) {
        styles[i - 1].bold = false;
        changed = true;
    }
    changed
}

/// Punctuation as the `CommonMark` spec means it (Unicode P and S categories), approximated as
/// neither letter, digit nor space. Escaped characters are all ASCII punctuation, and so is their backslash.
fn is_punctuation(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace()
}
