//! `feedhook check` tells the operator exactly what is wrong, where, and exits 2; a good config
//! gets a one-line summary and exit 0.

// Fixtures are built with format!: clarity matters more than allocations here.
#![allow(clippy::format_collect, clippy::format_push_string)]

mod common;

use common::{Setup, stderr};

fn check(config: &str) -> (Option<i32>, String, String) {
    let setup = Setup::new(config);
    let output = setup.run(&["check"]);
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr(&output),
    )
}

const CHANNEL: &str = "[channels.ops]\nkind = \"console\"\n\n";

#[test]
fn a_valid_config_passes_with_a_summary() {
    let (code, out, err) = check(&format!(
        "{CHANNEL}[[feeds]]\nurl = \"https://example.com/feed.xml\"\nchannels = [\"ops\"]\n"
    ));
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("1 feed(s), 1 channel(s)"), "{out}");
}

#[test]
fn the_example_config_passes() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_feedhook"))
        .arg("--config")
        .arg(&example)
        .arg("check")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// Each case: a config body, and the words the error must contain.
fn assert_rejected(config: &str, expected: &[&str]) {
    let (code, _, err) = check(config);
    assert_eq!(code, Some(2), "accepted: {config}\n{err}");
    assert!(err.contains("feedhook.toml:"), "the file is named:\n{err}");
    for words in expected {
        assert!(err.contains(words), "{words:?} missing from:\n{err}");
    }
}

#[test]
fn a_feed_naming_a_missing_channel_is_rejected() {
    assert_rejected(
        &format!("{CHANNEL}[[feeds]]\nurl = \"https://example.com/f\"\nchannels = [\"nope\"]\n"),
        &["feeds[0].channels", "nope"],
    );
}

#[test]
fn a_bad_duration_is_rejected_with_its_line() {
    assert_rejected(
        &format!(
            "{CHANNEL}[[feeds]]\nurl = \"https://example.com/f\"\nchannels = [\"ops\"]\ninterval = \"5 minits\"\n"
        ),
        &["feeds[0].interval", "toml:10:"],
    );
}

#[test]
fn a_bad_url_is_rejected() {
    assert_rejected(
        &format!("{CHANNEL}[[feeds]]\nurl = \"not a url\"\nchannels = [\"ops\"]\n"),
        &["feeds[0].url"],
    );
}

#[test]
fn an_unknown_kind_is_rejected() {
    assert_rejected(
        "[channels.ops]\nkind = \"pager\"\nurl = \"https://example.com/hook\"\n",
        &["channels.ops.kind", "pager"],
    );
}

#[test]
fn an_unknown_key_is_rejected() {
    assert_rejected(
        &format!(
            "{CHANNEL}[[feeds]]\nurl = \"https://example.com/f\"\nchannels = [\"ops\"]\nintervall = \"5m\"\n"
        ),
        &["intervall"],
    );
}

#[test]
fn several_problems_are_reported_at_once() {
    let config = format!(
        "{CHANNEL}[[feeds]]\nurl = \"https://example.com/a\"\nchannels = [\"missing\"]\n\n[[feeds]]\nurl = \"https://example.com/b\"\nchannels = [\"ops\"]\ninterval = \"soon\"\n"
    );
    assert_rejected(&config, &["feeds[0].channels", "feeds[1].interval"]);
}

#[test]
fn an_unset_environment_variable_is_named_and_no_secret_is_shown() {
    let config = "[channels.ops]\nkind = \"teams\"\nurl = \"${FEEDHOOK_TEST_SURELY_UNSET}\"\n";
    assert_rejected(config, &["FEEDHOOK_TEST_SURELY_UNSET", "channels.ops.url"]);
}

#[test]
fn an_invalid_webhook_url_error_does_not_show_the_secret() {
    let config =
        "[channels.ops]\nkind = \"teams\"\nurl = \"ftp://hooks.example.com/very-secret-token\"\n";
    let (code, _, err) = check(config);
    assert_eq!(code, Some(2));
    assert!(!err.contains("very-secret-token"), "{err}");
}

#[test]
fn a_missing_config_file_is_named() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_feedhook"))
        .args(["--config", "/nonexistent/feedhook.toml", "check"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("/nonexistent/feedhook.toml"));
}

#[test]
fn a_ca_file_under_an_insecure_default_is_warned_about_at_its_line() {
    let setup = Setup::new(&format!(
        "[defaults]\ntls_insecure = true\n\n{CHANNEL}\
         [[feeds]]\nurl = \"https://example.com/f\"\nchannels = [\"ops\"]\nca_file = \"ca.pem\"\n"
    ));
    let ca = rcgen::generate_simple_self_signed(vec!["intranet.test".to_owned()]).expect("a CA");
    std::fs::write(setup.dir.path().join("ca.pem"), ca.cert.pem()).expect("write the CA");
    let output = setup.run(&["check"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "feedhook.toml:13: feeds[0].ca_file: ca_file has no effect while tls_insecure = true"
        ),
        "{err}"
    );
}

/// An email channel with `auth = "entra"` (lines 4 to 12 of the file, after what `Setup` writes),
/// then `more`.
fn exchange_channel(more: &str) -> String {
    format!(
        "[channels.mail]\nkind = \"email\"\nurl = \"smtp://smtp.office365.com:587\"\n\
         auth = \"entra\"\ntenant = \"contoso.onmicrosoft.com\"\n\
         client_id = \"11111111-2222-3333-4444-555555555555\"\nclient_secret = \"app-s3cret\"\n\
         from = \"feeds@contoso.com\"\nto = [\"team@contoso.com\"]\n{more}\n\
         [[feeds]]\nurl = \"https://example.com/f\"\nchannels = [\"mail\"]\n"
    )
}

#[test]
fn a_password_with_auth_and_a_secret_with_a_certificate_are_rejected_at_their_lines() {
    assert_rejected(
        &exchange_channel("password_file = \"/run/credentials/feedhook/smtp\"\n"),
        &["toml:13:", "channels.mail.password_file", "not both"],
    );
    let pem = format!(
        "{}/tests/fixtures/entra/app.pem",
        env!("CARGO_MANIFEST_DIR")
    );
    assert_rejected(
        &exchange_channel(&format!("client_certificate_file = \"{pem}\"\n")),
        &[
            "toml:10:",
            "channels.mail.client_secret",
            "client_certificate_file, not both",
        ],
    );
    let (code, _, err) = check(&exchange_channel(""));
    assert_eq!(code, Some(0), "{err}");
}
