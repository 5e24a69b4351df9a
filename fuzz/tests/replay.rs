//! Runs the fuzz checks over stored inputs without libFuzzer, in an ordinary test build: the
//! seeds in `fuzz/corpus/<target>/` (see `seed.sh`), or the files under `FUZZ_REPLAY` (a folder or
//! one file, e.g. an artifact). Nothing to read is not a failure: the corpus is not committed.

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = std::env::var_os("FUZZ_REPLAY").map_or_else(
        || {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("corpus")
                .join(target)
        },
        PathBuf::from,
    );
    if root.is_file() {
        return vec![root];
    }
    let Ok(entries) = std::fs::read_dir(&root) else {
        println!("note: nothing to replay at {}", root.display());
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    paths
}

fn replay(target: &str, check: fn(&[u8])) {
    for path in inputs(target) {
        // A running fuzzer replaces corpus files as it shrinks them.
        let Ok(data) = std::fs::read(&path) else {
            continue;
        };
        println!("{}", path.display());
        check(&data);
    }
}

#[test]
fn feed_inputs_hold_every_invariant() {
    replay("feed", feedhook_fuzz::check_feed);
}

#[test]
fn html_inputs_hold_every_invariant() {
    replay("html", feedhook_fuzz::check_html);
}
