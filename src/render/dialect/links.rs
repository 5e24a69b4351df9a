//! Link labels made honest before a dialect writes them, for the dialects that take a rich text
//! whole (Slack, Mattermost). The judgement itself is [`link_label::judge`]: a label that is an
//! address shows the link's real URL; prose naming another host gets the real host after it.
//!
//! Titles keep their words either way, since product names such as `Node.js` read as domains: the
//! host added after them is true, just longer.

use std::borrow::Cow;

use super::link_label::{LinkLabel, judge};
use crate::render::richtext::{Block, Inline, RichText, Run};

/// A title linked to `url`, followed by the link's host in parentheses if the title names
/// another host.
#[must_use]
pub fn honest_title<'a>(title: &'a str, url: &str) -> Cow<'a, str> {
    match judge(title, url) {
        LinkLabel::AsIs => Cow::Borrowed(title),
        LinkLabel::WithHost(host) => Cow::Owned(format!("{title} ({host})")),
        LinkLabel::RealUrl => match url::Url::parse(url)
            .ok()
            .as_ref()
            .and_then(url::Url::host_str)
        {
            Some(host) if !title.contains(host) => Cow::Owned(format!("{title} ({host})")),
            _ => Cow::Borrowed(title),
        },
    }
}

/// `text` with every link label judged: the runs of one block that share a link, up to a line
/// break, are one label.
#[must_use]
pub fn honest_links(text: &RichText) -> RichText {
    let blocks = text
        .blocks
        .iter()
        .map(|block| Block {
            kind: block.kind,
            inlines: honest_inlines(&block.inlines),
        })
        .collect();
    RichText { blocks }
}

fn honest_inlines(inlines: &[Inline]) -> Vec<Inline> {
    let mut out = Vec::with_capacity(inlines.len());
    for group in inlines.chunk_by(|a, b| link_of(a).is_some() && link_of(a) == link_of(b)) {
        let Some(url) = group.first().and_then(link_of) else {
            out.extend_from_slice(group);
            continue;
        };
        let label: String = group
            .iter()
            .filter_map(|inline| match inline {
                Inline::Text(run) => Some(run.text.as_str()),
                Inline::Break => None,
            })
            .collect();
        // The spaces around the label separate it from the words next to it; they stay.
        let lead = &label[..label.len() - label.trim_start().len()];
        let trail = &label[label.trim_end().len()..];
        match judge(&label, url) {
            LinkLabel::AsIs => out.extend_from_slice(group),
            LinkLabel::RealUrl => out.push(Inline::Text(Run {
                text: format!("{lead}{url}{trail}"),
                link: Some(url.to_owned()),
                ..Run::plain("")
            })),
            LinkLabel::WithHost(host) => {
                out.extend_from_slice(group);
                out.push(Inline::Text(Run::plain(format!(" ({host})"))));
            }
        }
    }
    out
}

fn link_of(inline: &Inline) -> Option<&str> {
    match inline {
        Inline::Text(run) => run.link.as_deref(),
        Inline::Break => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::html::to_rich_text;

    fn runs(text: &RichText) -> Vec<(String, Option<String>)> {
        text.blocks[0]
            .inlines
            .iter()
            .filter_map(|i| match i {
                Inline::Text(run) => Some((run.text.clone(), run.link.clone())),
                Inline::Break => None,
            })
            .collect()
    }

    #[test]
    fn address_labels_are_replaced_by_the_real_url() {
        let html = "<p>see <a href=\"https://evil.example/x\"><b>https://</b>bank.example</a> \
                    and <a href=\"https://bank.example/\">the bank</a></p>";
        let text = honest_links(&to_rich_text(html, None));
        let link = |s: &str| Some(s.to_owned());
        assert_eq!(
            runs(&text),
            [
                ("see".to_owned(), None),
                (
                    " https://evil.example/x".to_owned(),
                    link("https://evil.example/x")
                ),
                (" and".to_owned(), None),
                (" the bank".to_owned(), link("https://bank.example/")),
            ]
        );
    }

    #[test]
    fn prose_naming_another_host_keeps_its_words_and_names_the_real_host() {
        let text = honest_links(&to_rich_text(
            "<p><a href=\"https://evil.example/\">Log in at bank.example</a></p>",
            None,
        ));
        let all: String = runs(&text).into_iter().map(|(t, _)| t).collect();
        assert_eq!(all, "Log in at bank.example (evil.example)");
    }

    #[test]
    fn a_title_naming_another_host_is_followed_by_the_real_one() {
        assert_eq!(
            honest_title("Release 2.0", "https://x.example/"),
            "Release 2.0"
        );
        assert_eq!(
            honest_title("Log in at paypal.com", "https://x.example/a"),
            "Log in at paypal.com (x.example)"
        );
        assert_eq!(
            honest_title("x.example", "https://x.example/a"),
            "x.example"
        );
    }
}
