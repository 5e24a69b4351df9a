//! The rendered payloads checked by Slack's own SDK models.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;
use crate::render::testing::validators;

/// Rendered payloads checked by Slack's own SDK models (`slack_sdk`) and the validators' message
/// checks. Runs when `FEEDHOOK_VALIDATORS` names an installed copy of the validators folder (its
/// `.venv` made with `pip install -r requirements.txt`); skipped with a note otherwise, except
/// under CI.
#[test]
fn rendered_payloads_pass_the_slack_validator() {
    let python = ".venv/bin/python";
    let Some(validators) = validators::installed("Slack", python, &[]) else {
        return;
    };
    let python = validators.join(python);
    let dir = tempfile::tempdir().expect("temp dir");
    let files = write_payloads(dir.path());
    let mut command = Command::new(&python);
    command.arg(validators.join("slack/validate-slack.py"));
    for verdict in validators::run(command, &files) {
        assert_eq!(verdict["warnings"], json!([]), "{verdict}");
    }
}

/// Writes every sample's payload to `dir`; `FEEDHOOK_SLACK_OUT=dir cargo test … -- --ignored`
/// keeps them for running the validator by hand.
#[test]
#[ignore = "writes files for a manual validator run"]
fn write_payloads_for_manual_validation() {
    write_payloads(&validators::manual_output_dir("FEEDHOOK_SLACK_OUT"));
}

/// Every sample's payload, plus the other shapes: a header title, an image block without a
/// summary, poster options, a link too long for a section.
fn write_payloads(dir: &Path) -> Vec<PathBuf> {
    let mut payloads: Vec<(String, Value)> = Sample::all()
        .into_iter()
        .map(|(name, sample)| (name.to_owned(), slack(&sample)))
        .collect();
    let mut unlinked = Sample::mentions();
    unlinked.entry.link = None;
    unlinked.entry.image = Some("https://x.example/i.png".into());
    unlinked.entry.summary_html = None;
    payloads.push(("mentions_unlinked".into(), slack(&unlinked)));
    let options = ChannelOptions {
        username: Some("feeds".into()),
        icon_url: Some("https://x.example/i.png".into()),
        channel: Some("#news".into()),
        ..ChannelOptions::default()
    };
    payloads.push(("options".into(), render(&Sample::full().card(), &options)));
    let mut long_link = Sample::rich_html();
    long_link.entry.link = Some(format!("https://x.example/{}", "a".repeat(5_000)));
    payloads.push(("long_link".into(), slack(&long_link)));
    validators::write_json_files(dir, "slack", payloads)
}
