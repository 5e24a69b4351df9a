use super::*;
use crate::render::html::to_rich_text;
use crate::render::richtext::Style;
use crate::render::testing::Sample;

/// What a reader sees of rich text: each block's kind and text, and the style and link of
/// every character but spaces (which HTML moves between neighbouring runs).
type Seen = Vec<(BlockKind, String, Vec<(char, Style, Option<String>)>)>;

fn seen(text: &RichText) -> Seen {
    text.blocks
        .iter()
        .map(|block| {
            let mut plain = String::new();
            let mut styled = Vec::new();
            for inline in &block.inlines {
                match inline {
                    Inline::Text(run) => {
                        plain.push_str(&run.text);
                        styled.extend(
                            run.text
                                .chars()
                                .filter(|c| *c != ' ')
                                .map(|c| (c, run.style, run.link.clone())),
                        );
                    }
                    Inline::Break => plain.push('\n'),
                }
            }
            (block.kind, plain, styled)
        })
        .collect()
}

#[test]
fn every_sample_summary_reads_back_the_same() {
    for (name, sample) in Sample::all() {
        // Read from its first 64 KiB only, so not comparable with a rewrite of what was read.
        if name == "huge_summary" {
            continue;
        }
        let card = sample.card();
        let summary = card.summary();
        let html = from_rich_text(summary);
        assert_eq!(
            seen(&to_rich_text(&html, None)),
            seen(summary),
            "{name}: {html}"
        );
    }
}

#[test]
fn lists_keep_their_numbers_nesting_and_separation() {
    let html = "<ol start=\"3\"><li>three<ol><li>inner</li></ol><p>more of three</p></li>\
                <li>four</li></ol><ul><li>another list</li></ul><p>after</p>";
    let text = to_rich_text(html, None);
    let written = from_rich_text(&text);
    assert_eq!(to_rich_text(&written, None), text, "{written}");
}

#[test]
fn markup_in_text_and_links_is_escaped() {
    let text = to_rich_text(
        "<p>a &lt;b&gt; &amp; \"c\" <a href=\"https://x.example/?a=1&amp;b=&quot;2&quot;\">l</a></p>",
        None,
    );
    let written = from_rich_text(&text);
    assert!(
        written.contains("a &lt;b&gt; &amp; &quot;c&quot;"),
        "{written}"
    );
    assert_eq!(to_rich_text(&written, None), text);
}

#[test]
fn preformatted_text_keeps_its_lines_and_spaces() {
    let text = to_rich_text("<pre>line one\n    indented\n\nafter a blank</pre>", None);
    assert_eq!(to_rich_text(&from_rich_text(&text), None), text);
}
