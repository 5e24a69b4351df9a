use super::*;
use crate::render::testing::Sample;

#[test]
fn every_sample_renders_readable_text() {
    for (name, sample) in Sample::all() {
        insta::assert_snapshot!(format!("console_{name}"), render(&sample.card()));
    }
}

#[test]
fn output_ends_with_a_blank_line() {
    assert!(render(&Sample::full().card()).ends_with("\n\n"));
}

#[test]
fn huge_summary_is_cut_near_600_characters() {
    let text = render(&Sample::huge_summary().card());
    let summary: String = text.lines().skip(3).collect::<Vec<_>>().join(" ");
    assert!(
        summary.chars().count() < SUMMARY_MAX_CHARS + 100,
        "{}",
        summary.chars().count()
    );
    assert!(summary.trim_end().ends_with('…'));
}

#[test]
fn hostile_text_cannot_reach_the_terminal() {
    let text = render(&Sample::hostile().card());
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
    assert!(!text.contains('\u{202E}') && !text.contains('\u{200B}'));
    assert!(!text.contains("alert('x')") && !text.contains("framed"));
}

#[test]
fn long_lines_wrap_under_their_list_marker() {
    let line = format!("12. {}", "word ".repeat(30));
    let wrapped = wrap(line.trim_end(), 40);
    assert!(wrapped.len() > 1);
    assert!(wrapped.iter().all(|l| l.chars().count() <= 40));
    assert!(wrapped[1].starts_with("    word"));
}

#[test]
fn words_longer_than_the_width_stay_whole() {
    let url = format!("https://example.com/{}", "a".repeat(100));
    assert_eq!(
        wrap(&format!("see {url} now"), 40),
        vec!["see".to_owned(), url, "now".to_owned()]
    );
}
