//! One line of runs as Discord Markdown: emphasis markers hugging the text they style, links
//! wrapped around their runs, and link labels that name another site than the link opens
//! replaced or annotated ([`judge`]).
//!
//! Discord reads `***` as ambiguous: a bold run touching an italic one (`**a***b*`) would come
//! out wrong. Where one marker would close and another open with no space between them, the
//! later run keeps only the emphasis already open, and loses the rest.

use super::{autolink, escape, escape_with_links, guard_line_start, link};
use crate::render::dialect::link_label::{LinkLabel, judge};
use crate::render::richtext::{Run, Style};

const BOLD: &str = "**";
const ITALIC: &str = "*";

/// Writes the runs of one line. Leading and trailing spaces are dropped.
pub(super) fn write_line(runs: &[&Run], forced: Style) -> String {
    let mut out = String::new();
    let mut pending = String::new();
    let mut line_start = true;
    for group in runs.chunk_by(|a, b| a.link == b.link) {
        let styled = Styled::write(group, forced, group[0].link.is_none());
        pending.push_str(&styled.lead);
        if styled.body.is_empty() {
            pending.push_str(&styled.trail);
            continue;
        }
        if !out.is_empty() {
            out.push_str(&pending);
        }
        let written = match &group[0].link {
            Some(url) => linked(group, &styled.body, url),
            None => styled.body,
        };
        out.push_str(&if line_start {
            guard_line_start(written)
        } else {
            written
        });
        line_start = false;
        pending = styled.trail;
    }
    out
}

/// A group of runs linking to `url`, as Markdown, with its label judged.
fn linked(group: &[&Run], body: &str, url: &str) -> String {
    let label: String = group.iter().map(|run| run.text.as_str()).collect();
    match judge(&label, url) {
        LinkLabel::AsIs => link(body, url),
        LinkLabel::RealUrl => autolink(url),
        LinkLabel::WithHost(host) => format!("{} \\({}\\)", link(body, url), escape(&host)),
    }
}

/// A group of runs with one link target, as Markdown, with the spaces around it set apart.
struct Styled {
    lead: String,
    body: String,
    trail: String,
}

impl Styled {
    fn write(runs: &[&Run], forced: Style, with_links: bool) -> Self {
        let mut lead = String::new();
        let mut body = String::new();
        let mut open: Vec<&'static str> = Vec::new();
        let mut pending = String::new();
        for run in runs {
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
            let mut want = Style {
                bold: run.style.bold || forced.bold,
                italic: run.style.italic || forced.italic,
            };
            if !body.is_empty() && pending.is_empty() {
                want = without_touching_markers(&open, want);
            }
            transition(&mut body, &mut open, want, &pending);
            pending.clear();
            body.push_str(&if with_links {
                escape_with_links(core)
            } else {
                escape(core)
            });
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

/// The style a run touching the previous one can have: `want`, unless reaching it closes a
/// marker and opens another, in which case only the markers left open are kept.
fn without_touching_markers(open: &[&'static str], want: Style) -> Style {
    let Some(first_unwanted) = open.iter().position(|m| !wanted(m, want)) else {
        return want;
    };
    let kept = &open[..first_unwanted];
    let opens = (want.bold && !kept.contains(&BOLD)) || (want.italic && !kept.contains(&ITALIC));
    if !opens {
        return want;
    }
    Style {
        bold: kept.contains(&BOLD),
        italic: kept.contains(&ITALIC),
    }
}

fn wanted(marker: &str, want: Style) -> bool {
    if marker == BOLD {
        want.bold
    } else {
        want.italic
    }
}

/// Closes the markers `want` does not have (and any opened after them, to keep them nested),
/// writes the spaces between the runs, then opens the markers `want` adds.
fn transition(body: &mut String, open: &mut Vec<&'static str>, want: Style, spaces: &str) {
    if let Some(first_unwanted) = open.iter().position(|m| !wanted(m, want)) {
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
