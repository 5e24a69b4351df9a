//! One line of runs as Teams Markdown: emphasis markers opened and closed around the text (never
//! around the spaces next to it, which would stop Markdown from reading them as emphasis), and
//! links wrapped around their runs.

use super::flanking::expressible;
use super::{escape, escape_line_start, link};
use crate::render::dialect::link_label::{LinkLabel, judge};
use crate::render::richtext::{Run, Style};

const BOLD: &str = "**";
const ITALIC: &str = "_";

/// Writes the runs of one line. Leading and trailing spaces are dropped: in Markdown they would
/// either vanish or, four of them, start a code block.
pub(super) fn write_line(runs: &[&Run], forced: Style) -> String {
    let mut out = String::new();
    let mut pending = String::new();
    let mut line_start = true;
    let styled_runs: Vec<(&Run, Style)> = runs
        .iter()
        .copied()
        .zip(expressible(runs, forced))
        .collect();
    for group in styled_runs.chunk_by(|(a, _), (b, _)| a.link == b.link) {
        let styled = Styled::write(group, &mut line_start);
        pending.push_str(&styled.lead);
        if styled.body.is_empty() {
            pending.push_str(&styled.trail);
            continue;
        }
        if !out.is_empty() {
            out.push_str(&pending);
        }
        match &group[0].0.link {
            Some(url) => out.push_str(&judged_link(group, &styled.body, url)),
            None => out.push_str(&styled.body),
        }
        pending = styled.trail;
    }
    out
}

/// A link whose label cannot pass for another address: a label that is an address shows the real
/// URL, and prose naming another host gets the real host after it.
fn judged_link(group: &[(&Run, Style)], body: &str, url: &str) -> String {
    let label: String = group.iter().map(|(run, _)| run.text.as_str()).collect();
    match judge(&label, url) {
        LinkLabel::AsIs => link(body, url),
        LinkLabel::RealUrl => link(&escape(url), url),
        LinkLabel::WithHost(host) => format!("{} ({})", link(body, url), escape(&host)),
    }
}

/// A group of runs with one link target, as Markdown, with the spaces around it set apart.
struct Styled {
    lead: String,
    body: String,
    trail: String,
}

impl Styled {
    fn write(runs: &[(&Run, Style)], line_start: &mut bool) -> Self {
        let mut lead = String::new();
        let mut body = String::new();
        let mut open: Vec<&'static str> = Vec::new();
        let mut pending = String::new();
        for &(run, want) in runs {
            let core = run.text.trim_matches(' ');
            if core.is_empty() {
                pending.push_str(&run.text);
                continue;
            }
            let core_start = run.text.len() - run.text.trim_start_matches(' ').len();
            pending.push_str(&run.text[..core_start]);
            if body.is_empty() {
                lead = std::mem::take(&mut pending);
            }
            transition(&mut body, &mut open, want, &pending);
            pending.clear();
            body.push_str(&if *line_start {
                escape_line_start(core)
            } else {
                escape(core)
            });
            *line_start = false;
            pending.push_str(&run.text[core_start + core.len()..]);
        }
        transition(&mut body, &mut open, Style::default(), "");
        Self {
            lead,
            body,
            trail: pending,
        }
    }
}

/// Closes the markers `want` does not have (and any opened after them, to keep them nested),
/// writes the spaces between the runs, then opens the markers `want` adds.
fn transition(body: &mut String, open: &mut Vec<&'static str>, want: Style, spaces: &str) {
    let wanted = |marker: &str| {
        if marker == BOLD {
            want.bold
        } else {
            want.italic
        }
    };
    if let Some(first_unwanted) = open.iter().position(|m| !wanted(m)) {
        for marker in open.drain(first_unwanted..).rev() {
            body.push_str(marker);
        }
    }
    body.push_str(spaces);
    for (marker, on) in [(BOLD, want.bold), (ITALIC, want.italic)] {
        if on && !open.contains(&marker) {
            body.push_str(marker);
            open.push(marker);
        }
    }
}
