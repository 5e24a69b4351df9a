//! What the render tests share: the cards every target's tests render (the same entries, so the
//! snapshots compare like with like), and the runs of the platforms' own validators.

use chrono::{DateTime, TimeZone, Utc};

use super::Card;
use super::card::ChannelCard;
use super::fit::{Frame, Layout};
use crate::parse::{Entry, FeedInfo};

pub mod validators;

/// An entry with its feed, owning what a [`Card`] borrows.
#[derive(Debug, Clone)]
pub struct Sample {
    pub feed_name: String,
    pub feed_url: String,
    pub feed: FeedInfo,
    pub entry: Entry,
}

pub fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, minute, 0)
        .single()
        .expect("a valid fixed date")
}

impl Sample {
    /// The feed and entry, as the delivery hands them to [`super::render`].
    pub fn source(&self) -> Card<'_> {
        Card {
            feed_name: &self.feed_name,
            feed_url: &self.feed_url,
            feed: &self.feed,
            entry: &self.entry,
        }
    }

    /// The card as a channel without overrides shows it, as each target renders it.
    pub fn card(&self) -> ChannelCard<'_> {
        ChannelCard::new(&self.source())
    }

    /// The card's title, link and image around a target's `parts`, for fitting by hand.
    pub fn frame<P: Layout>(&self, parts: P) -> Frame<P> {
        Frame::new(&self.card(), parts)
    }

    fn with(entry: Entry) -> Self {
        Self {
            feed_name: "rust-blog".into(),
            feed_url: "https://blog.example.com/feed.xml".into(),
            feed: FeedInfo {
                title: Some("Example Blog".into()),
                link: Some("https://blog.example.com/".into()),
            },
            entry,
        }
    }

    /// Every field set.
    pub fn full() -> Self {
        Self::with(Entry {
            key: "tag:blog.example.com,2026:release-2".into(),
            id: Some("tag:blog.example.com,2026:release-2".into()),
            title: Some("Release 2.0 is out".into()),
            link: Some("https://blog.example.com/posts/release-2".into()),
            published: Some(at(27, 14, 5)),
            updated: Some(at(28, 9, 30)),
            authors: vec!["Jane Doe".into(), "Ann Smith".into()],
            summary_html: Some(
                "<p>We shipped <b>bold</b> things and <i>italic</i> ones. Read the \
                 <a href=\"/docs/upgrade\">upgrade guide</a>.</p>\
                 <ul><li>first item</li><li>second item</li></ul>"
                    .into(),
            ),
            categories: vec!["release".into(), "rust".into()],
            image: Some("https://blog.example.com/img/release-2.png".into()),
        })
    }

    /// A microblog post: no title, a plain-text summary.
    pub fn untitled() -> Self {
        Self::with(Entry {
            key: "https://blog.example.com/notes/42".into(),
            link: Some("https://blog.example.com/notes/42".into()),
            published: Some(at(3, 8, 0)),
            summary_html: Some(
                "Just shipped a tiny fix for the parser: feeds with a BOM and a UTF-16 \
                 declaration now read fine.\n\nThanks to everyone who sent samples!"
                    .into(),
            ),
            ..Entry::default()
        })
    }

    /// No link: nothing to open, relative links resolve against the feed URL.
    pub fn no_link() -> Self {
        Self::with(Entry {
            key: "sha256:0f1e2d".into(),
            title: Some("Maintenance window on Saturday".into()),
            updated: Some(at(5, 22, 0)),
            summary_html: Some(
                "<p>See <a href=\"status.html\">the status page</a> for details.</p>".into(),
            ),
            ..Entry::default()
        })
    }

    /// A full article as the summary, far over any card's size.
    pub fn huge_summary() -> Self {
        let paragraph = "<p>Lorem <b>ipsum</b> dolor sit amet, «quoted» naïve café 日本語のテキスト \
                         with an emoji 👩\u{200D}💻 and a <a href=\"https://example.com/x\">link</a>.</p>";
        let mut sample = Self::full();
        sample.entry.title = Some("A very long post".into());
        sample.entry.summary_html = Some(paragraph.repeat(2_000));
        sample
    }

    /// Feed text trying to run script, open other schemes, inject Markdown and mentions, and
    /// reorder or hide text with invisible characters.
    pub fn hostile() -> Self {
        Self::with(Entry {
            key: "evil-1".into(),
            title: Some(
                "**Urgent** [verify](javascript:alert(1)) <at>everyone</at> # \u{202E}gnp.exe\u{202C} \
                 zero\u{200B}width \u{1b}[31mred"
                    .into(),
            ),
            link: Some("https://evil.example/post_(1)".into()),
            published: Some(at(1, 0, 0)),
            authors: vec!["*Mallory* [x](https://evil.example)".into()],
            summary_html: Some(
                "<script>alert('x')</script><style>p{color:red}</style>\
                 <p onclick=\"steal()\">Hi <a href=\"javascript:alert(1)\">click me</a>, \
                 <a href=\"JaVaScRiPt&#58;alert(2)\">two</a>, <a href=\"java\tscript:alert(3)\">three</a>, \
                 <a href=\"data:text/html,x\">four</a>, <a href=\"//cdn.example/ok\">five</a>.</p>\
                 <iframe src=\"https://evil.example\">framed</iframe>\
                 <p>**not bold** [x](javascript:alert(4)) &lt;at&gt;all&lt;/at&gt; @everyone \
                 \u{202E}evil\u{202C} a\u{200B}b\u{FEFF}c &amp;amp; <img src=x onerror=alert(5)></p>\
                 <p>- not a list\n1. not a list either\n# not a heading</p>"
                    .into(),
            ),
            image: Some("javascript:alert(6)".into()),
            ..Entry::default()
        })
    }

    /// Structure Teams and plain text must both render: headings, nested and numbered lists,
    /// emphasis, links, quotes, code, a table.
    pub fn rich_html() -> Self {
        Self::with(Entry {
            key: "rich-1".into(),
            title: Some("What's new in 2.0".into()),
            link: Some("https://blog.example.com/posts/whats-new".into()),
            published: Some(at(20, 12, 0)),
            summary_html: Some(
                "<h2>Highlights</h2>\
                 <p>The <strong>new <em>parser</em></strong> is <em>much</em> faster.<br>Details below.</p>\
                 <ul><li>Speed: <a href=\"bench.html\">benchmarks</a><ul><li>nested item</li></ul></li>\
                 <li><p>Safety</p></li></ul>\
                 <ol start=\"3\"><li>third</li><li>fourth</li></ol>\
                 <blockquote>Fast and correct.</blockquote>\
                 <pre><code>cargo install feedhook\n  --locked</code></pre>\
                 <table><tr><th>Mode</th><th>Time</th></tr><tr><td>old</td><td>2 s</td></tr></table>"
                    .into(),
            ),
            ..Entry::default()
        })
    }

    /// Entities, numeric references and typography.
    pub fn entities() -> Self {
        Self::with(Entry {
            key: "entities-1".into(),
            title: Some("AT&T — “quotes” & <tags> ½".into()),
            link: Some("https://blog.example.com/posts/entities".into()),
            published: Some(at(9, 7, 45)),
            summary_html: Some(
                "Fish &amp; Chips &mdash; &lt;3 &#x1F600; &#233;t&eacute;&nbsp;&nbsp;caf&#xE9; \
                 &amp;amp; &copy; 2026 &unknown; 5 &lt; 6"
                    .into(),
            ),
            ..Entry::default()
        })
    }

    /// A 1,000-character title over a 20,000-character summary: every limit at once.
    pub fn long_title() -> Self {
        let mut sample = Self::full();
        sample.entry.title =
            Some("Breaking: ".to_owned() + &"a very long headline ".repeat(50)[..990]);
        sample.entry.summary_html = Some(format!("<p>{}</p>", "word ".repeat(4_000)));
        sample
    }

    /// Scripts other than Latin, right-to-left text and emoji sequences.
    pub fn non_latin() -> Self {
        Self::with(Entry {
            key: "intl-1".into(),
            title: Some("東京で新しいリリース — Новый выпуск — إصدار جديد 🚀👨‍👩‍👧".into()),
            link: Some("https://blog.example.com/posts/international".into()),
            published: Some(at(3, 9, 30)),
            authors: vec!["Zoë Ærøskøbing".into(), "李小龍".into()],
            summary_html: Some(
                "<p>日本語の段落です。<b>太字</b>と<i>斜体</i>。</p><p>עברית: שלום עולם. العربية: مرحبا بالعالم.</p>                 <p>Flags 🇩🇪🇯🇵, skin tones 👍🏽, keycaps 1️⃣, ZWJ 🏳️‍🌈.</p>"
                    .into(),
            ),
            image: Some("https://cdn.example.com/images/intl.png".into()),
            categories: vec!["リリース".into(), "news".into()],
            ..Entry::default()
        })
    }

    /// Mentions and link syntax of every chat dialect, as feed text.
    pub fn mentions() -> Self {
        Self::with(Entry {
            key: "ping-1".into(),
            title: Some("@everyone <!channel> <@U024BE7LH> <@&123456> @here".into()),
            link: Some("https://blog.example.com/posts/ping".into()),
            published: Some(at(4, 8, 0)),
            authors: vec!["<!here>".into()],
            summary_html: Some(
                "<p>Hey @everyone and @here, see &lt;https://evil.example|https://bank.example&gt;                  and <a href=\"https://evil.example\">https://bank.example</a>. &lt;!subteam^S123&gt;                  &lt;@U024BE7LH&gt; &lt;#C024BE7LR&gt; <@&987> ||spoiler|| `code` ~~strike~~ > quote</p>"
                    .into(),
            ),
            ..Entry::default()
        })
    }

    /// Every sample with its name, for tests that check a property of all of them.
    pub fn all() -> Vec<(&'static str, Self)> {
        vec![
            ("full", Self::full()),
            ("untitled", Self::untitled()),
            ("no_link", Self::no_link()),
            ("huge_summary", Self::huge_summary()),
            ("hostile", Self::hostile()),
            ("rich_html", Self::rich_html()),
            ("entities", Self::entities()),
            ("long_title", Self::long_title()),
            ("non_latin", Self::non_latin()),
            ("mentions", Self::mentions()),
        ]
    }
}

/// A frame whose link alone takes 1.5 KB, with a 300-character title and an image: what a target
/// gives up when its link leaves no room.
pub fn long_link_frame<P>(parts: P) -> Frame<P> {
    Frame {
        title: "word ".repeat(60).trim_end().to_owned(),
        link: Some(format!("https://x.example/{}", "a".repeat(1_500))),
        image: Some("https://x.example/i.png".into()),
        parts,
    }
}

/// What the hostile sample tries to put in a card and no payload may hold: a script, a framed
/// page, a bidi override, a zero-width space, a terminal escape, a `data:` link.
const HOSTILE: [&str; 6] = [
    "alert('x')",
    "framed",
    "\u{202E}",
    "\u{200B}",
    "\u{1b}",
    "data:text",
];

/// Fails if `payload` (as posted) holds anything the hostile sample tried to put in it.
pub fn assert_inert(payload: &str) {
    for needle in HOSTILE {
        assert!(!payload.contains(needle), "payload contains {needle:?}");
    }
}

/// Fails if `html` holds a tag that does not start with one of `allowed` (`"<b>"`,
/// `"<a href=\"http"`): feed markup must arrive escaped, so only the writer's tags remain.
pub fn assert_only_tags(html: &str, allowed: &[&str]) {
    for (at, _) in html.match_indices('<') {
        let tag = &html[at..];
        assert!(
            allowed.iter().any(|a| tag.starts_with(a)),
            "unexpected tag at {}",
            &tag[..tag.len().min(40)]
        );
    }
}
