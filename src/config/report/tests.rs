use super::*;

#[test]
fn offsets_map_to_one_based_lines() {
    let report = Report::new(Path::new("f.toml"), "a = 1\nb = 2\n\nc = 3");
    assert_eq!(report.line_of(0), 1);
    assert_eq!(report.line_of(5), 1, "the newline belongs to its line");
    assert_eq!(report.line_of(6), 2);
    assert_eq!(report.line_of(12), 3);
    assert_eq!(report.line_of(13), 4);
}

#[test]
fn key_paths_quote_keys_that_are_not_bare() {
    assert_eq!(key_path("channels", "ops"), "channels.ops");
    assert_eq!(key_path("channels", "the ops"), "channels.\"the ops\"");
    assert_eq!(key_path("", "store"), "store");
}

#[test]
fn problems_come_out_sorted_by_line() {
    let mut report = Report::new(Path::new("f.toml"), "a\nb\nc\n");
    report.error_unlocated("feeds", "none");
    report.error(4..5, "c", "third");
    report.error(0..1, "a", "first");
    let (problems, _) = report.into_sorted();
    let lines: Vec<_> = problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [Some(1), Some(3), None]);
}
