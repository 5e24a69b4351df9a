//! `[channels.NAME]` of kind `email`: the relay, its login and TLS, the sender and recipients, and
//! what `check` says when one is missing or unsafe.

use super::{load, only_problem, problems, valid};
use crate::config::{RelaySecurity, SUBMISSION_PORT, SUBMISSIONS_PORT};

const FEED_TO_MAIL: &str = "\n[[feeds]]\nurl = \"https://a.example/\"\nchannels = [\"mail\"]\n";
const ADDRESSES: &str = "from = \"Feeds <feeds@example.com>\"\nto = [\"team@example.com\"]\n";

/// An email channel `mail` with `body` (from line 2), used by one feed.
fn mail(body: &str) -> String {
    format!("[channels.mail]\nkind = \"email\"\n{body}{FEED_TO_MAIL}")
}

#[test]
fn smtp_needs_starttls_on_the_submission_port_by_default() {
    let config = valid(&mail(&format!(
        "url = \"smtp://relay.example\"\n{ADDRESSES}"
    )));
    let email = config.channels["mail"]
        .email()
        .cloned()
        .expect("email settings");
    assert_eq!(
        (email.host.as_str(), email.port, email.security),
        ("relay.example", SUBMISSION_PORT, RelaySecurity::StartTls)
    );
    assert!(email.login.is_none() && email.ca.is_none());
    assert_eq!(email.from.email.to_string(), "feeds@example.com");
    assert_eq!(email.to.len(), 1);
}

#[test]
fn smtps_is_tls_from_the_first_byte_on_port_465() {
    let config = valid(&mail(&format!(
        "url = \"smtps://relay.example\"\n{ADDRESSES}"
    )));
    let email = config.channels["mail"]
        .email()
        .cloned()
        .expect("email settings");
    assert_eq!(
        (email.port, email.security),
        (SUBMISSIONS_PORT, RelaySecurity::ImplicitTls)
    );
}

#[test]
fn the_password_comes_from_the_url_or_a_file_and_is_a_secret() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("smtp");
    std::fs::write(&file, "from-a-file-pass\n").expect("written");
    let body = format!(
        "url = \"smtp://bot%40example.com@relay.example:2525\"\npassword_file = \"{}\"\n{ADDRESSES}",
        file.display()
    );
    let config = valid(&mail(&body));
    let login = config.channels["mail"]
        .email()
        .cloned()
        .and_then(|e| e.login)
        .expect("a login");
    assert_eq!(login.username, "bot@example.com");
    assert_eq!(login.password.expose(), "from-a-file-pass");
    assert_eq!(
        config.redactor.redact("said from-a-file-pass"),
        "said [redacted]"
    );
    let config = valid(&mail(&format!(
        "url = \"smtp://bot:in-the-url-pass@relay.example\"\n{ADDRESSES}"
    )));
    assert_eq!(config.redactor.redact("in-the-url-pass"), "[redacted]");
}

#[test]
fn missing_from_and_to_are_errors_at_the_channel() {
    let found = problems(&mail("url = \"smtps://relay.example\"\n"));
    let keys: Vec<(&str, Option<usize>)> = found.iter().map(|p| (p.key.as_str(), p.line)).collect();
    assert_eq!(
        keys,
        [
            ("channels.mail.from", Some(1)),
            ("channels.mail.to", Some(1))
        ],
        "{found:#?}"
    );
}

#[test]
fn an_empty_or_wrong_recipient_is_named_with_its_line() {
    only_problem(
        &mail("url = \"smtps://relay.example\"\nfrom = \"a@example.com\"\nto = []\n"),
        "channels.mail.to",
        5,
    );
    let problem = only_problem(
        &mail(
            "url = \"smtps://relay.example\"\nfrom = \"a@example.com\"\nto = [\"ok@example.com\", \"not an address\"]\n",
        ),
        "channels.mail.to[1]",
        5,
    );
    assert!(
        problem.message.contains("not an email address"),
        "{problem}"
    );
}

#[test]
fn credentials_in_clear_are_a_warning() {
    let config = valid(&mail(&format!(
        "url = \"smtp://bot:pass-word-1@relay.example:25\"\ntls = \"none\"\n{ADDRESSES}"
    )));
    assert_eq!(config.warnings.len(), 1, "{:?}", config.warnings);
    let warning = &config.warnings[0];
    assert!(warning.contains(":4: channels.mail.tls:"), "{warning}");
    assert!(warning.contains("clear text"), "{warning}");
    assert!(!warning.contains("pass-word-1"), "{warning}");
}

#[test]
fn a_web_url_or_a_path_is_not_a_relay() {
    let problem = only_problem(
        &mail(&format!("url = \"https://relay.example/\"\n{ADDRESSES}")),
        "channels.mail.url",
        3,
    );
    assert!(problem.message.contains("smtp://"), "{problem}");
    only_problem(
        &mail(&format!(
            "url = \"smtp://relay.example/inbox\"\n{ADDRESSES}"
        )),
        "channels.mail.url",
        3,
    );
}

#[test]
fn a_password_twice_or_without_a_user_is_an_error() {
    let twice = only_problem(
        &mail(&format!(
            "url = \"smtp://u:p@relay.example\"\npassword_file = \"/nonexistent\"\n{ADDRESSES}"
        )),
        "channels.mail.password_file",
        4,
    );
    assert!(twice.message.contains("already"), "{twice}");
    only_problem(
        &mail(&format!(
            "url = \"smtp://relay.example\"\npassword_file = \"/nonexistent\"\n{ADDRESSES}"
        )),
        "channels.mail.password_file",
        4,
    );
    only_problem(
        &mail(&format!("url = \"smtp://user@relay.example\"\n{ADDRESSES}")),
        "channels.mail.url",
        3,
    );
}

#[test]
fn tls_takes_starttls_or_none_and_not_with_smtps() {
    only_problem(
        &mail(&format!(
            "url = \"smtps://relay.example\"\ntls = \"none\"\n{ADDRESSES}"
        )),
        "channels.mail.tls",
        4,
    );
    only_problem(
        &mail(&format!(
            "url = \"smtp://relay.example\"\ntls = \"maybe\"\n{ADDRESSES}"
        )),
        "channels.mail.tls",
        4,
    );
}

#[test]
fn other_kinds_refuse_the_email_keys() {
    let text = "[channels.mail]\nkind = \"slack\"\nurl = \"https://hooks.example/x\"\n\
                to = [\"a@example.com\"]\n"
        .to_owned()
        + FEED_TO_MAIL;
    let problem = only_problem(&text, "channels.mail.to", 4);
    assert!(problem.message.contains("only email channels"), "{problem}");
    assert!(load(&text).is_err());
}

/// An Exchange Online channel logging in with an Entra ID app (lines 3 to 7), then `more`.
fn exchange(url: &str, more: &str) -> String {
    mail(&format!(
        "url = \"{url}\"\nauth = \"entra\"\ntenant = \"contoso.onmicrosoft.com\"\n\
         client_id = \"11111111-2222-3333-4444-555555555555\"\nclient_secret = \"app-s3cret\"\n\
         {more}{ADDRESSES}"
    ))
}

#[test]
fn an_entra_app_logs_in_to_exchange_as_the_from_mailbox_with_the_smtp_scope() {
    let config = valid(&exchange("smtp://smtp.office365.com", ""));
    let email = config.channels["mail"].email().cloned().expect("email");
    let oauth = email.oauth.expect("an app login");
    assert!(email.login.is_none());
    assert_eq!(oauth.user, "feeds@example.com");
    assert_eq!(oauth.app.scope, crate::config::SMTP_SCOPE);
    assert_eq!(config.redactor.redact("app-s3cret"), "[redacted]");
    let config = valid(&exchange(
        "smtp://alerts%40example.com@smtp.office365.com",
        "",
    ));
    let email = config.channels["mail"].email().cloned().expect("email");
    assert_eq!(
        email.oauth.expect("an app login").user,
        "alerts@example.com"
    );
}

#[test]
fn a_password_and_auth_together_are_an_error_at_the_password() {
    let more = "password_file = \"/run/credentials/feedhook/smtp\"\n";
    let problem = only_problem(
        &exchange("smtp://bot@smtp.office365.com", more),
        "channels.mail.password_file",
        8,
    );
    assert!(problem.message.contains("not both"), "{problem}");
    let problem = only_problem(
        &exchange("smtp://bot:pass@smtp.office365.com", ""),
        "channels.mail.url",
        3,
    );
    assert!(problem.message.contains("auth = \"entra\""), "{problem}");
    assert!(!problem.message.contains("pass@"), "{problem}");
}
