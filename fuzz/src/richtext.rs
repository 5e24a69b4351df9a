//! The invariants `render::richtext` documents for what `render::html` builds, and the link
//! safety of every markup language written from it.

use feedhook::render::markup::Markup;
use feedhook::render::markup::commonmark::Commonmark;
use feedhook::render::markup::discord_md::DiscordMd;
use feedhook::render::markup::gchat_text::GchatHtml;
use feedhook::render::markup::plain::Plain;
use feedhook::render::markup::slack_mrkdwn::SlackMrkdwn;
use feedhook::render::markup::teams_md::TeamsMd;
use feedhook::render::richtext::{Block, BlockKind, Inline, RichText};

use crate::markup::{html_hrefs, is_web_destination, markdown_destinations, slack_destinations};

/// Text free of invisible and control characters; outside preformatted blocks no newline and no
/// run of two spaces; no block starting or ending with a break; every link an absolute http(s)
/// URL.
pub fn check(text: &RichText) {
    for block in &text.blocks {
        check_block(block);
    }
}

fn check_block(block: &Block) {
    let pre = block.kind == BlockKind::Preformatted;
    assert!(
        !matches!(block.inlines.first(), Some(Inline::Break))
            && !matches!(block.inlines.last(), Some(Inline::Break)),
        "block starts or ends with a break: {block:?}"
    );
    if !pre {
        // Runs meet without a gap, so a space ending one and a space starting the next are two.
        let line: String = block
            .inlines
            .iter()
            .map(|inline| match inline {
                Inline::Text(run) => run.text.as_str(),
                Inline::Break => "\n",
            })
            .collect();
        assert!(!line.contains("  "), "two spaces in {block:?}");
    }
    for inline in &block.inlines {
        let Inline::Text(run) = inline else { continue };
        let bad = run.text.chars().find(|&c| {
            c.is_control()
                || matches!(c, '\u{200b}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        });
        assert!(bad.is_none(), "{bad:?} in {block:?}");
        if let Some(link) = &run.link {
            let url = url::Url::parse(link).expect("rich-text links are absolute");
            assert!(matches!(url.scheme(), "http" | "https"), "link {link:?}");
        }
    }
}

/// Every markup language's output links only to http(s) URLs and never lets feed text open
/// markup.
pub fn check_writers(text: &RichText) {
    for written in [
        TeamsMd::write(text),
        DiscordMd::write(text),
        Commonmark::write(text),
    ] {
        for destination in markdown_destinations(&written) {
            assert!(
                is_web_destination(&destination),
                "link to {destination:?} in {written:?}"
            );
        }
    }
    let mrkdwn = SlackMrkdwn::write(text);
    for destination in slack_destinations(&mrkdwn) {
        assert!(
            is_web_destination(&destination),
            "<{destination}> in {mrkdwn:?}"
        );
    }
    let html = GchatHtml::write(text);
    for href in html_hrefs(&html) {
        assert!(is_web_destination(&href), "href {href:?} in {html:?}");
    }
    let plain = Plain::write(text);
    assert!(
        !plain.chars().any(|c| c.is_control() && c != '\n'),
        "control character in {plain:?}"
    );
}
