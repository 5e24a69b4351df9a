use super::*;
use crate::render::richtext::{BlockKind, Inline, ListMarker, Run, Style};

fn base() -> Url {
    Url::parse("https://blog.example.com/posts/one").expect("valid base")
}

fn convert(html: &str) -> RichText {
    to_rich_text(html, Some(&base()))
}

fn runs(block: &Block) -> Vec<&Run> {
    block
        .inlines
        .iter()
        .filter_map(|i| {
            if let Inline::Text(run) = i {
                Some(run)
            } else {
                None
            }
        })
        .collect()
}

fn links(text: &RichText) -> Vec<(String, Option<String>)> {
    text.blocks
        .iter()
        .flat_map(runs)
        .map(|r| (r.text.clone(), r.link.clone()))
        .collect()
}

#[test]
fn paragraphs_and_inline_styles_become_blocks_and_runs() {
    let text = convert("<p>Hello <b>bold</b> and <em>it</em></p><div>second</div>");
    assert_eq!(text.blocks.len(), 2);
    let first = runs(&text.blocks[0]);
    // The space between two runs goes to the second, which keeps emphasis off the space.
    assert_eq!(first[0].text, "Hello");
    assert_eq!(first[1].text, " bold");
    assert_eq!(
        first[1].style,
        Style {
            bold: true,
            italic: false
        }
    );
    assert_eq!(
        first[3].style,
        Style {
            bold: false,
            italic: true
        }
    );
    assert_eq!(text.blocks[1], Block::paragraph("second"));
}

#[test]
fn whitespace_collapses_across_tags_and_lines() {
    let text = convert("<p>  a\n\n   <b> b </b>\tc  </p>");
    assert_eq!(text.to_single_line(), "a b c");
    assert_eq!(runs(&text.blocks[0])[0].text, "a");
}

#[test]
fn lists_carry_markers_numbers_and_depth() {
    let text = convert(
        "<ol start=\"4\"><li>four</li><li value=\"9\">nine<ul><li>inner</li></ul></li><li>ten</li></ol>",
    );
    let kinds: Vec<BlockKind> = text.blocks.iter().map(|b| b.kind).collect();
    assert_eq!(
        kinds,
        vec![
            BlockKind::ListItem {
                marker: Some(ListMarker::Number(4)),
                depth: 0,
                opens_list: true
            },
            BlockKind::ListItem {
                marker: Some(ListMarker::Number(9)),
                depth: 0,
                opens_list: false
            },
            BlockKind::ListItem {
                marker: Some(ListMarker::Bullet),
                depth: 1,
                opens_list: false
            },
            BlockKind::ListItem {
                marker: Some(ListMarker::Number(10)),
                depth: 0,
                opens_list: false
            },
        ]
    );
}

#[test]
fn second_block_inside_a_list_item_continues_it_without_a_marker() {
    let text = convert("<ul><li><p>one</p><p>more</p></li></ul>");
    assert_eq!(
        text.blocks[1].kind,
        BlockKind::ListItem {
            marker: None,
            depth: 0,
            opens_list: false
        }
    );
}

#[test]
fn headings_quotes_and_preformatted_text_keep_their_kind() {
    let text = convert("<h3>Title</h3><blockquote>q</blockquote><pre>a\n  b</pre>");
    assert_eq!(text.blocks[0].kind, BlockKind::Heading);
    assert!(runs(&text.blocks[0])[0].style.bold);
    assert_eq!(text.blocks[1].kind, BlockKind::Quote);
    assert_eq!(text.blocks[2].kind, BlockKind::Preformatted);
    assert_eq!(text.blocks[2].inlines[1], Inline::Break);
    assert_eq!(runs(&text.blocks[2])[1].text, "  b");
}

#[test]
fn double_line_break_separates_paragraphs() {
    let text = convert("one<br>two<br><br>three");
    assert_eq!(text.blocks.len(), 2);
    assert_eq!(text.blocks[0].inlines.len(), 3);
    assert_eq!(text.blocks[1], Block::paragraph("three"));
}

#[test]
fn relative_links_resolve_against_the_base() {
    let text = convert(
        "<a href=\"/docs\">docs</a> <a href=\"next\">next</a> <a href=\"//cdn.example/x\">cdn</a>",
    );
    let found = links(&text);
    assert_eq!(found[0].1.as_deref(), Some("https://blog.example.com/docs"));
    assert_eq!(
        found[1].1.as_deref(),
        Some("https://blog.example.com/posts/next")
    );
    assert_eq!(found[2].1.as_deref(), Some("https://cdn.example/x"));
}

#[test]
fn relative_links_without_a_base_become_plain_text() {
    let text = to_rich_text("<a href=\"/docs\">docs</a>", None);
    assert_eq!(text.blocks[0], Block::paragraph("docs"));
}

#[test]
fn script_and_other_schemes_are_plain_text() {
    let hrefs = [
        "javascript:alert(1)",
        "JaVaScRiPt&#58;alert(1)",
        "java\tscript:x",
        " javascript:x",
        "data:text/html,x",
        "vbscript:x",
        "mailto:a@b.c",
        "file:///etc/passwd",
    ];
    for href in hrefs {
        let text = convert(&format!("<a href=\"{href}\">click</a>"));
        assert_eq!(text.blocks[0], Block::paragraph("click"), "{href}");
    }
}

#[test]
fn scripts_styles_frames_and_images_leave_no_text() {
    let text = convert(
        "<script>alert(1)</script><style>p{}</style><iframe>f</iframe><noscript>n</noscript>\
                        <p>kept<img src=x alt=\"alt text\"></p><svg><text>s</text></svg>",
    );
    assert_eq!(text.to_single_line(), "kept");
}

#[test]
fn entities_are_decoded_once() {
    let text = convert("<p>Fish &amp; Chips &mdash; &lt;b&gt; &#x1F600; &amp;amp;</p>");
    assert_eq!(text.to_single_line(), "Fish & Chips — <b> 😀 &amp;");
}

#[test]
fn invisible_characters_are_stripped_from_text() {
    let text = convert("<p>a\u{202E}b\u{200B}c\u{FEFF}d\u{1b}e&#x202e;f&#8203;g</p>");
    assert_eq!(text.to_single_line(), "abcdefg");
}

#[test]
fn plain_text_keeps_its_paragraphs_and_decodes_entities() {
    let text = to_rich_text("First line\nwrapped.\n\n  Second &amp; last.\n", None);
    assert_eq!(
        text.blocks,
        vec![
            Block::paragraph("First line wrapped."),
            Block::paragraph("Second & last.")
        ]
    );
}

#[test]
fn empty_and_markup_only_summaries_are_empty() {
    assert!(convert("").is_empty());
    assert!(convert("<p> </p><br><img src=x>").is_empty());
}

#[test]
fn deep_nesting_does_not_overflow_a_small_stack() {
    let html = format!("{}deep", "<span>".repeat(10_000));
    let walk = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || convert(&html).to_single_line());
    let text = walk
        .expect("thread starts")
        .join()
        .expect("no stack overflow");
    assert_eq!(text, "deep");
}

#[test]
fn oversized_input_is_cut_on_a_char_boundary() {
    let html = "é".repeat(MAX_INPUT_BYTES);
    assert_eq!(
        convert(&html).to_single_line().chars().count(),
        MAX_INPUT_BYTES / 2
    );
}

#[test]
fn table_rows_are_lines_and_cells_are_separated() {
    let text = convert(
        "<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>",
    );
    assert_eq!(text.blocks.len(), 1);
    assert_eq!(
        crate::render::markup::plain::to_plain(&text),
        "A | B\n1 | 2"
    );
}

#[test]
fn whitespace_opening_a_table_cell_leaves_one_space_after_the_bar() {
    // Found by the `html` fuzz target: the bar's own space and the cell's made two.
    let text =
        convert("<table><tr><td>a</td><td> b</td><td><img src=x></td><td>\n c</td></tr></table>");
    assert_eq!(crate::render::markup::plain::to_plain(&text), "a | b | | c");
}
