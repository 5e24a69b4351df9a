//! Running the platforms' own payload validators (`../shared/validators`, installed by `.ci/run`)
//! over rendered payloads: the pieces every platform's validator test shares.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The installed validators folder named by `FEEDHOOK_VALIDATORS`, or `None` (with a note) when the
/// variable is unset and the check cannot run.
pub fn validators_dir(platform: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("FEEDHOOK_VALIDATORS").map(PathBuf::from);
    if dir.is_none() {
        eprintln!("FEEDHOOK_VALIDATORS is not set: {platform} validator not run");
    }
    dir
}

/// Writes each `(name, payload)` to `dir/<prefix>-<name>.json`; returns the paths.
pub fn write_json_files(dir: &Path, prefix: &str, payloads: Vec<(String, Value)>) -> Vec<PathBuf> {
    payloads
        .into_iter()
        .map(|(name, payload)| {
            let path = dir.join(format!("{prefix}-{name}.json"));
            std::fs::write(&path, payload.to_string()).expect("payload written");
            path
        })
        .collect()
}

/// The folder named by `variable`, created, for writing payloads to validate by hand.
pub fn manual_output_dir(variable: &str) -> PathBuf {
    let dir = std::env::var_os(variable).map_or_else(|| panic!("{variable} is set"), PathBuf::from);
    std::fs::create_dir_all(&dir).expect("output dir");
    dir
}

/// Runs a validator `command` over `files` and returns its verdicts (one JSON line per file),
/// asserting that it succeeded and that every file was judged `ok`. Warnings are the caller's.
pub fn run(mut command: Command, files: &[PathBuf]) -> Vec<Value> {
    let output = command.args(files).output().expect("the validator runs");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "validator rejected payloads:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let verdicts: Vec<Value> = report
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON verdict per line"))
        .collect();
    assert_eq!(
        verdicts.len(),
        files.len(),
        "one verdict per payload:\n{report}"
    );
    for verdict in &verdicts {
        assert_eq!(verdict["ok"], true, "{verdict}");
    }
    verdicts
}
