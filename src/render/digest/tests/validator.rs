//! Digests checked by the platforms' own validators (`../shared/validators`): the Adaptive Cards
//! renderer and schema for Teams, Slack's SDK models, `@discordjs/builders` for Discord. Like the single cards' validator tests, they
//! run when `FEEDHOOK_VALIDATORS` names an installed copy, and are skipped with a note otherwise,
//! except under CI.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;
use crate::render::testing::validators;

/// The digests of the mixed sample and of a digest large enough to be split (for Teams, also with
/// the most mentions a channel takes), as JSON files.
fn write_digests(dir: &Path, kind: ChannelKind) -> Vec<PathBuf> {
    let mut payloads: Vec<(String, Value)> = Vec::new();
    for (name, samples) in [("mixed", mixed()), ("split", many(150))] {
        for (index, part) in json_parts(kind, &samples).into_iter().enumerate() {
            payloads.push((format!("{name}-{index}"), part));
        }
    }
    if kind == ChannelKind::Teams {
        let options = ChannelOptions {
            mention: teams_users(),
            ..ChannelOptions::default()
        };
        let samples = many(150);
        let cards: Vec<Card<'_>> = samples.iter().map(Sample::source).collect();
        for (index, part) in render_digest(kind, &options, &cards, Tz::UTC)
            .into_iter()
            .enumerate()
        {
            if let Payload::Json(part) = part.output {
                payloads.push((format!("split-pinging-{index}"), part));
            }
        }
    }
    let prefix = format!("digest-{}", kind.as_str());
    validators::write_json_files(dir, &prefix, payloads)
}

#[test]
fn teams_digests_pass_the_teams_validator() {
    let Some(validators) = validators::installed("Teams", "node", &["node_modules"]) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let files = write_digests(dir.path(), ChannelKind::Teams);
    let mut command = Command::new("node");
    command
        .arg(validators.join("teams/validate-teams.js"))
        .args([
            "--max-version",
            "1.4",
            "--max-bytes",
            &crate::render::teams::MAX_PAYLOAD_BYTES.to_string(),
        ])
        .env("PATH", validators::path_with_venv(&validators))
        .current_dir(&validators);
    for verdict in validators::run(command, &files) {
        for warning in verdict["warnings"].as_array().expect("warnings list") {
            let warning = warning.as_str().unwrap_or_default();
            assert!(warning.contains("schema layer skipped"), "{warning}");
            validators::cannot_run("Teams schema", warning);
        }
    }
}

#[test]
fn slack_digests_pass_the_slack_validator() {
    let python = ".venv/bin/python";
    let Some(validators) = validators::installed("Slack", python, &[]) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let files = write_digests(dir.path(), ChannelKind::Slack);
    let mut command = Command::new(validators.join(python));
    command.arg(validators.join("slack/validate-slack.py"));
    for verdict in validators::run(command, &files) {
        assert_eq!(verdict["warnings"], serde_json::json!([]), "{verdict}");
    }
}

#[test]
fn discord_digests_pass_the_discord_validator() {
    let Some(validators) = validators::installed("Discord", "node", &["node_modules"]) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let files = write_digests(dir.path(), ChannelKind::Discord);
    let mut command = Command::new("node");
    command
        .arg(validators.join("discord/validate-discord.js"))
        .current_dir(&validators);
    for verdict in validators::run(command, &files) {
        assert_eq!(verdict["warnings"], serde_json::json!([]), "{verdict}");
    }
}
