//! Running the platforms' own payload validators (`../shared/validators`, installed by `.ci/run`)
//! over rendered payloads: the pieces every platform's validator test shares.
//!
//! On a developer's machine a validator that is not installed is skipped with a note, so that
//! `cargo test` passes without Node or Python. Under CI (`CI=true`), where `.ci/run` installs
//! them, a validator that cannot run fails its test: a check that quietly did not run would let a
//! broken card through.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// How to install the validators, said by every check that cannot run.
pub const HOW_TO_INSTALL: &str = "copy ../shared/validators to a writable folder, run \
    `npm install --no-audit --no-fund` and `python3 -m venv .venv && .venv/bin/pip install -r \
    requirements.txt` there, and set FEEDHOOK_VALIDATORS to that folder (its README.md says more)";

/// Whether the tests run under CI, where every validator must run.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| {
        let value = value.trim();
        value.eq_ignore_ascii_case("true") || value == "1"
    })
}

/// The installed validators folder named by `FEEDHOOK_VALIDATORS`, if `program` runs there (a
/// path inside the folder such as `.venv/bin/python`, or a command on `PATH` such as `node`) and
/// every path of `needs` is in it. Otherwise the `platform` check cannot run ([`cannot_run`]).
pub fn installed(platform: &str, program: &str, needs: &[&str]) -> Option<PathBuf> {
    let Some(dir) = std::env::var_os("FEEDHOOK_VALIDATORS").map(PathBuf::from) else {
        cannot_run(platform, "FEEDHOOK_VALIDATORS is not set");
        return None;
    };
    if let Some(missing) = needs
        .iter()
        .map(|need| dir.join(need))
        .find(|p| !p.exists())
    {
        cannot_run(platform, &format!("{} is missing", missing.display()));
        return None;
    }
    let program = if program.contains('/') {
        dir.join(program)
    } else {
        PathBuf::from(program)
    };
    let runs = Command::new(&program)
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if !runs {
        cannot_run(platform, &format!("`{}` does not run", program.display()));
        return None;
    }
    Some(dir)
}

/// Says why the `platform` validator, or a layer of it, cannot run: a note on a developer's
/// machine, a failure under CI.
pub fn cannot_run(platform: &str, why: &str) {
    assert!(
        !under_ci(),
        "{why}: the {platform} validator cannot run, and under CI (CI=true) every validator \
         must. To install them, {HOW_TO_INSTALL}."
    );
    eprintln!("note: {why}: {platform} validator not run. To run it, {HOW_TO_INSTALL}.");
}

/// `PATH` with the validators' Python venv first, where the Teams schema layer finds its schemas.
pub fn path_with_venv(validators: &Path) -> std::ffi::OsString {
    let venv = validators.join(".venv/bin");
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(venv).chain(std::env::split_paths(&path)))
        .expect("PATH entries without separators")
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
    let output = command.args(files).output().unwrap_or_else(|error| {
        panic!("the validator could not be started ({error}). To install it, {HOW_TO_INSTALL}.")
    });
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
