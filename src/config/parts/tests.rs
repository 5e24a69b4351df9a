use super::*;

// A fixture: clarity over allocations.
#[allow(clippy::format_collect)]
fn feeds(count: usize) -> String {
    (0..count)
        .map(|i| format!("[[feeds]]\nurl = \"https://example.com/{i}\"\nchannels = [\"c\"]\n"))
        .collect()
}

const HEAD: &str = "[channels.c]\nkind = \"console\"\n\n";

#[test]
fn a_short_list_stays_whole() {
    let text = format!("{HEAD}{}", feeds(3));
    assert_eq!(part_starts(&text, 5), [0]);
}

#[test]
fn a_long_list_is_cut_before_every_nth_feed() {
    let text = format!("{HEAD}{}", feeds(7));
    let starts = part_starts(&text, 3);
    assert_eq!(starts.len(), 3);
    for &start in &starts[1..] {
        assert!(text[start..].starts_with("[[feeds]]"), "{start}");
    }
    let fourth = text.match_indices("[[feeds]]").nth(3).map(|(at, _)| at);
    assert_eq!(starts[1], fourth.expect("a fourth feed"));
}

#[test]
fn sub_tables_of_feeds_do_not_keep_the_file_whole() {
    let text = format!(
        "{HEAD}{}[feeds.headers]\nX-A = \"1\"\n{}",
        feeds(2),
        feeds(2)
    );
    assert_eq!(part_starts(&text, 2).len(), 2);
}

#[test]
fn another_table_after_the_feeds_keeps_the_file_whole() {
    let text = format!("{}[channels.d]\nkind = \"console\"\n{}", feeds(4), feeds(4));
    assert_eq!(part_starts(&text, 2), [0]);
}

#[test]
fn headers_inside_strings_and_multi_line_arrays_are_not_headers() {
    let text = format!(
        "{HEAD}{}[[feeds]]\nurl = \"\"\"\n[[feeds]]\n[store]\n\"\"\"\nchannels = [\n[\"c\"],\n]\n{}",
        feeds(2),
        feeds(2)
    );
    let starts = part_starts(&text, 1);
    assert_eq!(starts.len(), 5, "{starts:?}");
}

#[test]
fn a_part_keeps_the_files_offsets() {
    let text = format!("{HEAD}{}", feeds(4));
    let starts = part_starts(&text, 2);
    let part = part_text(&text, &starts, 1);
    assert_eq!(part.len(), text.len());
    assert_eq!(&part[starts[1]..], &text[starts[1]..]);
    assert!(part[..starts[1]].bytes().all(|b| b == b' '));
}
