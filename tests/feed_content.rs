//! What a feed says reaches the card, and what it only carries does not: a summary's scripts
//! and styles are kept in `summary_html` as published (it is the entry as the feed gave it), and
//! no card shows their contents.

use feedhook::config::{ChannelKind, ChannelOptions};
use feedhook::parse::parse_feed;
use feedhook::render::{Card, Payload, render};

const URL: &str = "https://example.com/feed.xml";

#[test]
fn scripts_and_styles_in_a_summary_never_reach_a_card() {
    let body = "<rss version=\"2.0\"><channel><title>t</title><item><guid>1</guid><title>Post</title>\
        <description>&lt;style&gt;p { color: red }&lt;/style&gt;&lt;p&gt;safe \
        &lt;SCRIPT&gt;alert(document.cookie)&lt;/SCRIPT&gt;summary&lt;/p&gt;</description>\
        </item></channel></rss>";
    let feed = parse_feed(body.as_bytes(), None, URL).expect("parses");
    let entry = &feed.entries[0];
    let card = Card {
        feed_name: "f",
        feed_url: URL,
        feed: &feed.info,
        entry,
    };
    for kind in ChannelKind::ALL {
        let shown = match render(kind, &ChannelOptions::default(), &card).expect("renders") {
            // The generic webhook passes the published HTML on as `summary_html`, marked
            // untrusted; what it shows as text is `summary_text`.
            Payload::Json(json) if kind == ChannelKind::Generic => {
                json["entry"]["summary_text"].to_string()
            }
            payload => String::from_utf8(payload.to_bytes()).expect("UTF-8"),
        };
        assert!(shown.contains("safe"), "{kind:?}: {shown}");
        assert!(
            !shown.contains("alert(") && !shown.contains("color: red"),
            "{kind:?}: {shown}"
        );
    }
}
