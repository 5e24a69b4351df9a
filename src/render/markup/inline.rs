//! One line of runs in a [`Markup`] language: emphasis markers opened and closed around the text
//! (never around the spaces next to it, which would stop a parser from reading them), links
//! wrapped around their runs with their labels judged ([`judge`]), and emphasis dropped where the
//! language's parser could not read its marker (`<b>API</b>s`: a marker inside a word shows as a
//! literal `*` in Slack).

use super::links::{LinkLabel, judge};
use super::{Marker, Markup};
use crate::render::richtext::{Run, Style};

/// Writes the runs of one line, with `forced` emphasis added to each. Leading and trailing spaces
/// are dropped: at a line start spaces change the meaning (code in Markdown), at its end they are
/// invisible.
pub(super) fn write_line<M: Markup>(runs: &[&Run], forced: Style) -> String {
    let styles = expressible::<M>(runs, forced);
    let runs_styled: Vec<(&Run, Style)> = runs.iter().copied().zip(styles).collect();
    let mut out = String::new();
    let mut pending = String::new();
    let mut line_start = true;
    for group in runs_styled.chunk_by(|(a, _), (b, _)| a.link == b.link) {
        let link = group[0].0.link.as_deref().filter(|_| M::LINKS);
        let written = Written::new::<M>(group, link.is_some(), &mut line_start);
        pending.push_str(&written.lead);
        if written.body.is_empty() {
            pending.push_str(&written.trail);
            continue;
        }
        let text = match link {
            Some(url) => judged_link::<M>(group, &written.body, url),
            None => written.body,
        };
        if out.is_empty() {
            out = M::guard_line_start(text);
        } else {
            out.push_str(&pending);
            out.push_str(&text);
        }
        pending = written.trail;
    }
    out
}

/// A link whose label cannot pass for another address: a label that is an address shows the real
/// URL, and prose naming another host gets the real host after it.
fn judged_link<M: Markup>(group: &[(&Run, Style)], body: &str, url: &str) -> String {
    let label: String = group.iter().map(|(run, _)| run.text.as_str()).collect();
    match judge(&label, url) {
        LinkLabel::AsIs => M::link(body, url),
        LinkLabel::RealUrl => M::url_link(url),
        LinkLabel::WithHost(host) => format!("{}{}", M::link(body, url), M::host_note(&host)),
    }
}

/// A group of runs with one link target, written, with the spaces around it set apart.
struct Written {
    lead: String,
    body: String,
    trail: String,
}

impl Written {
    fn new<M: Markup>(runs: &[(&Run, Style)], in_link: bool, line_start: &mut bool) -> Self {
        let mut lead = String::new();
        let mut body = String::new();
        let mut open: Vec<Marker> = Vec::new();
        let mut pending = String::new();
        for &(run, mut want) in runs {
            let core = run.text.trim_matches(' ');
            if core.is_empty() {
                pending.push_str(&run.text);
                continue;
            }
            let core_start = run.text.len() - run.text.trim_start_matches(' ').len();
            pending.push_str(&run.text[..core_start]);
            if body.is_empty() {
                lead = std::mem::take(&mut pending);
            } else if pending.is_empty() {
                want = M::touching(&open, want);
            }
            if !M::SPANS_RUNS {
                transition::<M>(&mut body, &mut open, Style::default(), "");
            }
            transition::<M>(&mut body, &mut open, want, &pending);
            pending.clear();
            body.push_str(&M::escape_run(core, *line_start, in_link));
            *line_start = false;
            pending.push_str(&run.text[core_start + core.len()..]);
        }
        transition::<M>(&mut body, &mut open, Style::default(), "");
        Self {
            lead,
            body,
            trail: pending,
        }
    }
}

/// Closes the markers `want` does not have (and any opened after them, to keep them nested),
/// writes the spaces between the runs, then opens the markers `want` adds.
fn transition<M: Markup>(body: &mut String, open: &mut Vec<Marker>, want: Style, spaces: &str) {
    if let Some(first_unwanted) = open.iter().position(|m| !m.of(want)) {
        for marker in open.drain(first_unwanted..).rev() {
            body.push_str(delimiters::<M>(marker).1);
        }
    }
    body.push_str(spaces);
    for marker in [Marker::Bold, Marker::Italic] {
        if marker.of(want) && !open.contains(&marker) {
            body.push_str(delimiters::<M>(marker).0);
            open.push(marker);
        }
    }
}

fn delimiters<M: Markup>(marker: Marker) -> (&'static str, &'static str) {
    match marker {
        Marker::Bold => M::BOLD,
        Marker::Italic => M::ITALIC,
    }
}

/// The style each run of one line can be written with: its own plus `forced`, minus emphasis
/// that would open or close where the parser cannot read it, and minus emphasis inside links
/// when the language cannot style a label.
fn expressible<M: Markup>(runs: &[&Run], forced: Style) -> Vec<Style> {
    let mut styles: Vec<Style> = runs
        .iter()
        .map(|run| {
            if run.link.is_some() && !M::STYLED_LABELS {
                return Style::default();
            }
            Style {
                bold: run.style.bold || forced.bold,
                italic: run.style.italic || forced.italic,
            }
        })
        .collect();
    // Dropping emphasis from a run can create a new boundary with its other neighbour, so repeat
    // until nothing changes; each pass only clears flags, so this ends.
    let mut changed = true;
    while changed {
        changed = false;
        for i in 1..runs.len() {
            changed |= fix_boundary::<M>(runs, &mut styles, i);
        }
    }
    styles
}

/// Checks the boundary between run `i - 1` and run `i`; clears the flags that cannot change there.
fn fix_boundary<M: Markup>(runs: &[&Run], styles: &mut [Style], i: usize) -> bool {
    let (before, after) = (runs[i - 1], runs[i]);
    // Across a link edge the markers sit next to the link's own brackets: punctuation, readable.
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
    for marker in [Marker::Bold, Marker::Italic] {
        let (was, now) = (marker.of(styles[i - 1]), marker.of(styles[i]));
        if now && !was && !M::opens(marker, a, b) {
            marker.clear(&mut styles[i]);
            changed = true;
        }
        if was && !now && !M::closes(marker, a, b) {
            marker.clear(&mut styles[i - 1]);
            changed = true;
        }
    }
    changed
}
