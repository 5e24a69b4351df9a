//! feedhook's extracted fields against the expectations two mature parsers commit in their test
//! suites: gofeed's `testdata/` (a JSON dump of the expected result beside each input) and Python
//! feedparser's `tests/` (an `Expect:` expression atop each document), both in the shared corpus
//! (`../shared/corpus`, MIT and BSD-2-Clause; see each folder's NOTICE.md and LICENSE, read in
//! place).
//!
//! Only what feedhook extracts is compared — feed title and link; entry title, link, id, dates,
//! authors, summary text, categories and image — through the mapping in `conformance/view.rs`,
//! each side read as `conformance/compare.rs` says. The test prints the agreement rate per suite
//! and every disagreement, and fails when the rate drops below the floor reached so far, or when
//! a disagreement is neither a choice nor a known gap listed in `conformance/choices.rs` (which
//! `docs/parsing.md` explains).
//!
//! `FEEDHOOK_CORPUS` points at another corpus folder; `FEEDHOOK_CONFORMANCE_AGREEING=1` lists the
//! agreeing checks too. Without the corpus the test is skipped, except under CI (`CI` set, as
//! `CI=true`), where it fails.

#[path = "conformance/choices.rs"]
mod choices;
#[path = "conformance/compare.rs"]
mod compare;
#[path = "conformance/expr.rs"]
mod expr;
#[path = "conformance/feedparser.rs"]
mod feedparser;
#[path = "conformance/gofeed.rs"]
mod gofeed;
#[path = "conformance/python.rs"]
mod python;
#[path = "conformance/tokens.rs"]
mod tokens;
#[path = "conformance/value.rs"]
mod value;
#[path = "conformance/view.rs"]
mod view;

use std::path::{Path, PathBuf};

use choices::Why;

/// The agreement reached, in percent of the checks of both suites: the ratchet. Raise it when a
/// fix raises the rate; never lower it without a reason in `docs/parsing.md`.
const AGREEMENT_FLOOR: f64 = 93.6;

/// One compared field of one test document.
pub struct Check {
    pub case: String,
    /// The expectation, as the suite states it.
    pub what: String,
    pub agrees: bool,
    /// What feedhook had.
    pub detail: String,
}

impl Check {
    /// An expectation the Python subset cannot read: reported, never silently dropped.
    fn unreadable(case: String, expect: &str) -> Self {
        Self {
            case,
            what: format!("(unreadable expectation) {expect}"),
            agrees: false,
            detail: String::new(),
        }
    }
}

#[test]
fn extracted_fields_agree_with_gofeed_and_feedparser_expectations() {
    let Some(corpus) = corpus_dir() else { return };
    let suites = [
        ("gofeed", gofeed::checks(&corpus.join("gofeed"))),
        ("feedparser", feedparser::checks(&corpus.join("feedparser"))),
    ];
    let show_agreeing = std::env::var_os("FEEDHOOK_CONFORMANCE_AGREEING").is_some();
    let (mut total, mut agreeing) = (0, 0);
    let (mut choices, mut gaps, mut unexplained) = (0, 0, Vec::new());
    for (suite, checks) in &suites {
        for check in checks {
            let why = (!check.agrees)
                .then(|| choices::explain(&check.case, &check.what))
                .flatten();
            let verdict = match why {
                _ if check.agrees => "agrees".to_owned(),
                Some(Why::Choice(reason)) => format!("differs by choice ({reason})"),
                Some(Why::Gap(reason)) => format!("differs, known gap ({reason})"),
                None => "DIFFERS".to_owned(),
            };
            match why {
                Some(Why::Choice(_)) => choices += 1,
                Some(Why::Gap(_)) => gaps += 1,
                None if !check.agrees => unexplained.push(check),
                None => {}
            }
            if !check.agrees || show_agreeing {
                println!(
                    "{verdict}: {}: {} ({})",
                    check.case, check.what, check.detail
                );
            }
        }
        let agree = checks.iter().filter(|check| check.agrees).count();
        println!(
            "{suite:<12} {agree:>5}/{:<5} {:6.2} %",
            checks.len(),
            percent(agree, checks.len())
        );
        total += checks.len();
        agreeing += agree;
    }
    let rate = percent(agreeing, total);
    println!("{:<12} {agreeing:>5}/{total:<5} {rate:6.2} %", "both");
    println!(
        "disagreements: {choices} by choice, {gaps} known gaps, {} unexplained",
        unexplained.len()
    );
    assert!(
        total > 1000,
        "only {total} checks were read from {}",
        corpus.display()
    );
    assert!(
        rate >= AGREEMENT_FLOOR,
        "agreement fell to {rate:.2} % (floor {AGREEMENT_FLOOR} %); see the DIFFERS lines above"
    );
    assert!(
        unexplained.is_empty(),
        "{} disagreements are neither a choice nor a known gap (conformance/choices.rs):\n{}",
        unexplained.len(),
        unexplained
            .iter()
            .map(|check| format!("{}: {} ({})", check.case, check.what, check.detail))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

/// The corpus folder, or `None` (the test is skipped) when it is absent outside CI.
fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("FEEDHOOK_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    if dir.join("gofeed").is_dir() && dir.join("feedparser").is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "the feed corpus is missing at {} (set FEEDHOOK_CORPUS to its folder)",
        dir.display()
    );
    println!(
        "note: skipping the conformance test, no corpus at {} (set FEEDHOOK_CORPUS)",
        dir.display()
    );
    None
}

/// Every file under `dir`, in a stable order.
#[must_use]
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}
