//! `[channels.NAME]`: kinds, webhook URLs from `url`, `${VAR}` and `url_file`, and keeping them secret.

use std::path::Path;

use super::{addressing, load, only_problem, problems, test_env, valid};
use crate::config::{ChannelKind, ChannelOptions, Config, ConfigError};

const FEED_TO_OPS: &str = "\n[[feeds]]\nurl = \"https://a.example/\"\nchannels = [\"ops\"]\n";

fn channel(body: &str) -> String {
    format!("[channels.ops]\n{body}{FEED_TO_OPS}")
}

#[test]
fn a_teams_url_is_expanded_from_the_environment() {
    let config = valid(&channel("kind = \"teams\"\nurl = \"${OPS_HOOK}\"\n"));
    let ops = &config.channels["ops"];
    assert_eq!(ops.kind, ChannelKind::Teams);
    let url = ops.url.as_ref().expect("a webhook");
    assert_eq!(
        url.expose().as_str(),
        "https://example.webhook.office.com/webhookb2/secret-token"
    );
}

#[test]
fn an_unset_variable_names_the_variable_and_the_key() {
    let problem = only_problem(
        &channel("kind = \"teams\"\nurl = \"${OPS_TEAMS_WEBHOOK}\"\n"),
        "channels.ops.url",
        3,
    );
    assert!(
        problem.message.contains("OPS_TEAMS_WEBHOOK is not set"),
        "{problem}"
    );
}

#[test]
fn every_kind_of_the_design_is_accepted() {
    for kind in ChannelKind::ALL {
        let body = format!("kind = \"{kind}\"\n{}", addressing(kind));
        let config = valid(&channel(&body));
        let ops = &config.channels["ops"];
        assert_eq!(ops.kind, kind);
        assert_eq!(ops.url.is_some(), kind != ChannelKind::Console, "{kind}");
        assert_eq!(ops.options, ChannelOptions::default(), "{kind}");
        assert_eq!((ops.spacing, ops.headers.len()), (None, 0), "{kind}");
    }
}

#[test]
fn an_unknown_kind_lists_the_supported_ones() {
    let problem = only_problem(&channel("kind = \"pager\"\n"), "channels.ops.kind", 2);
    assert_eq!(
        problem.message,
        "unknown kind \"pager\" (supported: teams, teams-messagecard, slack, discord, mattermost, \
         google-chat, matrix, telegram, email, ntfy, rocketchat, generic, console)"
    );
}

#[test]
fn a_missing_kind_is_reported_at_the_table() {
    only_problem(
        &channel("url = \"https://hooks.example/x\"\n"),
        "channels.ops.kind",
        1,
    );
}

#[test]
fn a_console_channel_refuses_a_url() {
    let problem = only_problem(
        &channel("kind = \"console\"\nurl = \"https://hooks.example/x\"\n"),
        "channels.ops.url",
        3,
    );
    assert!(problem.message.contains("takes no url"), "{problem}");
}

#[test]
fn a_webhook_channel_needs_exactly_one_of_url_and_url_file() {
    only_problem(&channel("kind = \"generic\"\n"), "channels.ops.url", 1);
    only_problem(
        &channel("kind = \"generic\"\nurl = \"https://h.example/x\"\nurl_file = \"hook\"\n"),
        "channels.ops.url_file",
        4,
    );
}

#[test]
fn a_bad_webhook_url_is_explained_without_repeating_it() {
    let problem = only_problem(
        &channel("kind = \"teams\"\nurl = \"ftp://hooks.example/secret-token\"\n"),
        "channels.ops.url",
        3,
    );
    assert!(problem.message.contains("http:// or https://"), "{problem}");
    let problem = only_problem(
        &channel("kind = \"teams\"\nurl = \"secret-token\"\n"),
        "channels.ops.url",
        3,
    );
    assert!(problem.message.contains("not a valid URL"), "{problem}");
}

#[test]
fn secrets_never_appear_in_error_text() {
    let env = |name: &str| match name {
        "BAD_HOOK" => Some("gopher://hooks.example/secret-token".to_owned()),
        other => test_env(other),
    };
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("hook.url"),
        "https://hooks.example/secret-token x\n",
    )
    .expect("write");
    let text = "[channels.literal]\nkind = \"teams\"\nurl = \"mailto:secret-token@example.com\"\n\
                [channels.env]\nkind = \"generic\"\nurl = \"${BAD_HOOK}\"\n\
                [channels.file]\nkind = \"generic\"\nurl_file = \"hook.url\"\n\
                [channels.good]\nkind = \"teams\"\nurl = \"${OPS_HOOK}\"\nextra = 1\n";
    let error = Config::from_toml_str(text, &dir.path().join("feedhook.toml"), &env)
        .expect_err("invalid channels");
    let ConfigError::Invalid(found) = &error else {
        panic!("{error}")
    };
    assert_eq!(found.len(), 4, "{error}");
    assert!(!error.to_string().contains("secret-token"), "{error}");
}

#[test]
fn url_file_is_read_trimmed_relative_to_the_config_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("hook.url"), "  https://hooks.example/abc\n").expect("write");
    let text = channel("kind = \"generic\"\nurl_file = \"hook.url\"\n");
    let config =
        Config::from_toml_str(&text, &dir.path().join("feedhook.toml"), &test_env).expect("valid");
    let url = config.channels["ops"].url.as_ref().expect("a webhook");
    assert_eq!(url.expose().as_str(), "https://hooks.example/abc");
}

#[test]
fn url_file_may_name_the_systemd_credentials_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("ops"), "https://hooks.example/abc").expect("write");
    let credentials = dir.path().to_string_lossy().into_owned();
    let env = move |name: &str| (name == "CREDENTIALS_DIRECTORY").then(|| credentials.clone());
    let text = channel("kind = \"generic\"\nurl_file = \"${CREDENTIALS_DIRECTORY}/ops\"\n");
    let config =
        Config::from_toml_str(&text, Path::new("/elsewhere/feedhook.toml"), &env).expect("valid");
    assert!(config.channels["ops"].url.is_some());
}

#[test]
fn a_missing_url_file_is_named() {
    let problem = only_problem(
        &channel("kind = \"generic\"\nurl_file = \"missing.url\"\n"),
        "channels.ops.url_file",
        3,
    );
    assert!(
        problem
            .message
            .contains("cannot read /etc/feedhook/missing.url"),
        "{problem}"
    );
}

#[test]
fn channel_names_are_letters_digits_dashes_and_underscores() {
    let found = problems("[channels.\"the ops\"]\nkind = \"console\"\n");
    assert_eq!(found[0].key, "channels.\"the ops\"");
    assert!(
        found[0].message.contains("letters, digits, - and _"),
        "{}",
        found[0]
    );
}

#[test]
fn a_channel_no_feed_uses_is_a_warning() {
    let config = valid("[channels.idle]\nkind = \"console\"\n");
    assert!(
        config
            .warnings
            .iter()
            .any(|w| w.contains("channel \"idle\" is not used")),
        "{:?}",
        config.warnings
    );
    assert!(load("[channels.idle]\nkind = \"console\"\n").is_ok());
}
