//! The rendered payloads checked by the validator built on `@discordjs/builders`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use super::{crowded, forum, render_default};
use crate::config::ChannelOptions;
use crate::render::discord::{render, render_post};
use crate::render::testing::Sample;
use crate::render::testing::validators;

/// Rendered payloads checked by the validator built on `@discordjs/builders` (embed setters,
/// `embedLength`) and the message rules. Runs when `FEEDHOOK_VALIDATORS` names an installed copy
/// of the validators folder (`npm install` done); skipped with a note otherwise, except under CI.
#[test]
fn rendered_payloads_pass_the_discord_validator() {
    let Some(validators) = validators::installed("Discord", "node", &["node_modules"]) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let files = write_payloads(dir.path());
    let mut command = Command::new("node");
    command
        .arg(validators.join("discord/validate-discord.js"))
        .current_dir(&validators);
    for verdict in validators::run(command, &files) {
        assert_eq!(verdict["warnings"], json!([]), "{verdict}");
    }
}

/// Writes every sample's payload to `dir`; `FEEDHOOK_DISCORD_OUT=dir cargo test … -- --ignored`
/// keeps them for running the validator by hand.
#[test]
#[ignore = "writes files for a manual validator run"]
fn write_payloads_for_manual_validation() {
    write_payloads(&validators::manual_output_dir("FEEDHOOK_DISCORD_OUT"));
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
    let forum_post = render_post(&Sample::full().card(), &forum("{{ entry.title }}"));
    payloads.push(("forum_post".to_owned(), forum_post.expect("renders")));
    validators::write_json_files(dir, "discord", payloads)
}
