//! The rendered payloads checked by the validator built on `@discordjs/builders`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use super::render;
use super::tests::{crowded, render_default};
use crate::config::ChannelOptions;
use crate::render::fixtures::Sample;

/// Rendered payloads checked by the validator built on `@discordjs/builders` (embed setters,
/// `embedLength`) and the message rules. Runs when `FEEDHOOK_VALIDATORS` names an installed copy
/// of the validators folder (`npm install` done).
#[test]
fn rendered_payloads_pass_the_discord_validator() {
    let Some(validators) = std::env::var_os("FEEDHOOK_VALIDATORS").map(PathBuf::from) else {
        eprintln!("FEEDHOOK_VALIDATORS is not set: Discord validator not run");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let files = write_payloads(dir.path());
    let output = Command::new("node")
        .arg(validators.join("discord/validate-discord.js"))
        .args(&files)
        .current_dir(&validators)
        .output()
        .expect("node runs");
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
        assert_eq!(verdict["warnings"], json!([]), "{verdict}");
    }
}

/// Writes every sample's payload to `dir`; `FEEDHOOK_DISCORD_OUT=dir cargo test … -- --ignored`
/// keeps them for running the validator by hand.
#[test]
#[ignore = "writes files for a manual validator run"]
fn write_payloads_for_manual_validation() {
    let dir = std::env::var_os("FEEDHOOK_DISCORD_OUT")
        .map(PathBuf::from)
        .expect("FEEDHOOK_DISCORD_OUT is set");
    std::fs::create_dir_all(&dir).expect("output dir");
    write_payloads(&dir);
}

/// Every sample's payload, the crowded one at the total limit, and one with username and avatar,
/// written as JSON files.
fn write_payloads(dir: &Path) -> Vec<PathBuf> {
    let mut payloads: Vec<(String, Value)> = Sample::all()
        .into_iter()
        .map(|(name, sample)| (name.to_owned(), render_default(&sample)))
        .collect();
    payloads.push(("at_total_limit".to_owned(), render_default(&crowded())));
    let options = ChannelOptions {
        username: Some("Feeds".into()),
        icon_url: Some("https://cdn.example/bot.png".into()),
        ..ChannelOptions::default()
    };
    payloads.push((
        "with_options".to_owned(),
        render(&Sample::full().card(), &options),
    ));
    payloads
        .into_iter()
        .map(|(name, payload)| {
            let path = dir.join(format!("discord-{name}.json"));
            std::fs::write(&path, payload.to_string()).expect("payload written");
            path
        })
        .collect()
}
