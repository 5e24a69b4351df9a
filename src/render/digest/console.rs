//! A console digest: a heading, then each feed's name and its entries, one part (a terminal has
//! no size limit).

use std::fmt::Write as _;

use super::{DigestLine, DigestPart, Part, split};
use crate::render::markup::plain::Plain;

/// The text of a digest of `lines`: one part.
#[must_use]
pub fn render(lines: &[DigestLine]) -> Vec<Part<String>> {
    split(lines, layout, |_| true)
}

fn layout(part: &DigestPart<'_>) -> String {
    let mut out = format!("== {} ==\n", part.heading());
    for (feed, lines) in part.groups() {
        let _ = writeln!(out, "\n{feed}");
        for line in lines {
            let _ = writeln!(out, "  - {}", line.title);
            if let Some(link) = &line.link {
                let _ = writeln!(out, "    {link}");
            }
            let detail = line.detail::<Plain>();
            if !detail.is_empty() {
                let _ = writeln!(out, "    {detail}");
            }
        }
    }
    out
}
