//! An email digest: one message per part (a part holds at most [`MAX_ENTRIES`] entries, so that a
//! message stays readable and well under any relay's size limit), its plain-text and HTML bodies
//! listing the entries under their feeds' names. The HTML is written here, every text escaped.

use std::fmt::Write as _;

use super::{DigestLine, DigestPart, Part, split};
use crate::render::email::EmailParts;
use crate::render::html::escape;

/// The most entries one digest email lists.
pub const MAX_ENTRIES: usize = 200;

/// What `List-Id` names for a digest that gathers several feeds.
const DIGEST_LIST: &str = "digest";

/// The parts of a digest of `lines` as emails.
#[must_use]
pub fn render(lines: &[DigestLine]) -> Vec<Part<EmailParts>> {
    let counted = |part: &DigestPart<'_>| (layout(part), part.lines.len());
    split(lines, counted, |(_, entries)| *entries <= MAX_ENTRIES)
        .into_iter()
        .map(|part| Part {
            output: part.output.0,
            cards: part.cards,
        })
        .collect()
}

fn layout(part: &DigestPart<'_>) -> EmailParts {
    let heading = part.heading();
    let feeds: Vec<&str> = part.groups().map(|(feed, _)| feed).collect();
    let (subject, list) = match feeds.as_slice() {
        [feed] => (format!("{feed}: {heading}"), (*feed).to_owned()),
        _ => (format!("Digest: {heading}"), DIGEST_LIST.to_owned()),
    };
    EmailParts {
        text: text(part, &heading),
        html: html(part, &subject),
        subject,
        feed: list,
        // One line per entry: a resend of the same part is recognisable by its Message-ID.
        identity: part
            .lines
            .iter()
            .map(|line| {
                format!(
                    "{}\t{}",
                    line.feed,
                    line.link.as_deref().unwrap_or(&line.title)
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

fn text(part: &DigestPart<'_>, heading: &str) -> String {
    let mut out = format!("{heading}\n");
    for (feed, lines) in part.groups() {
        let _ = write!(
            out,
            "\n{feed}\n{}\n",
            "=".repeat(feed.chars().count().min(72))
        );
        for line in lines {
            let _ = writeln!(out, "\n* {}", line.title);
            if let Some(link) = &line.link {
                let _ = writeln!(out, "  {link}");
            }
            let detail = detail(line);
            if !detail.is_empty() {
                let _ = writeln!(out, "  {detail}");
            }
        }
    }
    let _ = write!(
        out,
        "\n-- \nSent by feedhook: a digest of the feeds this list follows.\n"
    );
    out
}

fn html(part: &DigestPart<'_>, subject: &str) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n<h1>{}</h1>\n",
        escape(subject),
        escape(&part.heading())
    );
    for (feed, lines) in part.groups() {
        let _ = writeln!(out, "<h2>{}</h2>\n<ul>", escape(feed));
        for line in lines {
            let title = escape(&line.title);
            let _ = match &line.link {
                Some(link) => write!(out, "<li><a href=\"{}\">{title}</a>", escape(link)),
                None => write!(out, "<li>{title}"),
            };
            let detail = detail(line);
            if !detail.is_empty() {
                let _ = write!(
                    out,
                    "<br><span style=\"color:#666666\">{}</span>",
                    escape(&detail)
                );
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    out.push_str(
        "<hr>\n<p style=\"color:#666666;font-size:small\">Sent by feedhook: a digest of the feeds this list follows.</p>\n</body></html>\n",
    );
    out
}

fn detail(line: &DigestLine) -> String {
    [line.time(), line.summary.clone()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" — ")
}
