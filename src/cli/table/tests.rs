use super::*;

#[test]
fn columns_align_to_the_widest_cell() {
    let mut table = Table::new(&["A", "B"]);
    table.row(vec!["long value".into(), "x".into()]);
    assert_eq!(table.render(), "A           B\nlong value  x\n");
}

#[test]
fn styled_cells_keep_their_columns_aligned() {
    let mut table = Table::new(&["A", "B"]);
    table.row(vec!["ok".into(), "x".into()]);
    let out = table.render_styled(|column, _| (column == 0).then_some("32"));
    assert_eq!(out, "A   B\n\x1b[32mok\x1b[0m  x\n");
}

#[test]
fn long_cells_are_cut_with_an_ellipsis() {
    let mut table = Table::new(&["A"]);
    table.row(vec!["y".repeat(100)]);
    let last = table
        .render()
        .lines()
        .last()
        .map(str::to_owned)
        .unwrap_or_default();
    assert_eq!(last.chars().count(), MAX_CELL);
    assert!(last.ends_with('…'));
}
