//! The parser against the shared third-party feed corpus (`../shared/corpus`, see its README).
//!
//! Every input listed in `MANIFEST.tsv` goes through `parse_feed`. No input may crash the parser,
//! the share of inputs read as feeds must stay above a floor, overall and for the real-world
//! captures, and the inputs holding entries the parser could not read stay few and listed. feed-rs alone reads 87.4 % overall and 91.0 % of the real-world group; with the
//! input preparation of `parse` it read 97.6 % and 93.5 % when this test was written.
//!
//! `FEEDHOOK_CORPUS` points at another corpus folder. `FEEDHOOK_CORPUS_FAILURES=1` lists every
//! rejected input with its error. Without the corpus the test is skipped, except under `CI`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use feedhook::parse::{ParseError, parse_feed};

const OVERALL_FLOOR: f64 = 94.0;
const REAL_WORLD_FLOOR: f64 = 93.0;
/// Inputs read as feeds that hold entries the parser could not read (`unread_entries`): an
/// RSS 1.0 item inside its channel, and RSS 2.0 under a prefixed UserLand namespace.
const UNREAD_CEILING: usize = 3;

#[derive(Default)]
struct Tally {
    total: usize,
    accepted: usize,
}

impl Tally {
    fn percent(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            100.0 * self.accepted as f64 / self.total as f64
        }
    }
}

#[test]
fn corpus_never_crashes_the_parser_and_stays_above_the_floor() {
    let Some(corpus) = corpus_dir() else { return };
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv"))
        .expect("the corpus has a MANIFEST.tsv");
    let show_failures = std::env::var_os("FEEDHOOK_CORPUS_FAILURES").is_some();

    let mut groups: BTreeMap<String, Tally> = BTreeMap::new();
    let (mut overall, mut real_world) = (Tally::default(), Tally::default());
    let mut panics = Vec::new();
    let mut unread = Vec::new();
    for line in manifest.lines().filter(|line| !line.trim().is_empty()) {
        let columns: Vec<&str> = line.split('\t').collect();
        let [group, expect, path, ..] = columns[..] else {
            panic!("malformed manifest line: {line}")
        };
        let body = std::fs::read(corpus.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        let charset = if group.starts_with("feedparser") {
            header_charset(&body)
        } else {
            None
        };
        let outcome = parse_feed(
            &body,
            charset.as_deref(),
            &format!("https://corpus.example/{path}"),
        );

        let accepted = outcome.is_ok();
        for tally in [groups.entry(group.to_owned()).or_default(), &mut overall] {
            tally.total += 1;
            tally.accepted += usize::from(accepted);
        }
        if expect == "real" {
            real_world.total += 1;
            real_world.accepted += usize::from(accepted);
        }
        match outcome {
            Ok(feed) if feed.unread_entries > 0 => {
                unread.push(format!("{path}: {} unread", feed.unread_entries));
            }
            Err(ParseError::ParserPanicked(message)) => panics.push(format!("{path}: {message}")),
            Err(error) if show_failures => println!("rejected {path}: {error}"),
            _ => {}
        }
    }

    for (group, tally) in &groups {
        println!(
            "{group:<40} {:>5}/{:<5} {:6.2} %",
            tally.accepted,
            tally.total,
            tally.percent()
        );
    }
    println!(
        "{:<40} {:>5}/{:<5} {:6.2} %",
        "real-world captures",
        real_world.accepted,
        real_world.total,
        real_world.percent()
    );
    println!(
        "{:<40} {:>5}/{:<5} {:6.2} %",
        "overall",
        overall.accepted,
        overall.total,
        overall.percent()
    );

    println!(
        "{} inputs hold entries that could not be read:\n{}",
        unread.len(),
        unread.join("\n")
    );
    assert!(
        panics.is_empty(),
        "feed-rs panicked on {} inputs:\n{}",
        panics.len(),
        panics.join("\n")
    );
    assert!(
        unread.len() <= UNREAD_CEILING,
        "{} inputs hold unread entries (at most {UNREAD_CEILING}): {unread:?}",
        unread.len()
    );
    assert!(
        overall.percent() >= OVERALL_FLOOR,
        "overall acceptance {:.2} % < {OVERALL_FLOOR} %",
        overall.percent()
    );
    assert!(
        real_world.percent() >= REAL_WORLD_FLOOR,
        "real-world acceptance {:.2} % < {REAL_WORLD_FLOOR} %",
        real_world.percent()
    );
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("FEEDHOOK_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
        PathBuf::from,
    );
    if dir.join("MANIFEST.tsv").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "the feed corpus is missing at {} (set FEEDHOOK_CORPUS to its folder)",
        dir.display()
    );
    println!(
        "note: skipping the corpus test, no corpus at {} (set FEEDHOOK_CORPUS)",
        dir.display()
    );
    None
}

/// The charset of a `Header: Content-Type: …; charset=X` line in a feedparser test's comment,
/// the header that test is meant to be served with.
fn header_charset(body: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&body[..body.len().min(4096)]);
    let content_type = head.lines().find_map(|line| {
        let header = line.trim().strip_prefix("Header:")?.trim();
        let (name, value) = header.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-type")
            .then_some(value)
    })?;
    content_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        (name.trim().eq_ignore_ascii_case("charset") && !value.is_empty()).then(|| value.to_owned())
    })
}
