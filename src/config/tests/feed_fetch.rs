//! The per-feed fetch keys and `[fetch]`'s address guard, as `feedhook check` sees them. Every
//! secret used here contains "s3cret", and no message may.

use std::path::Path;

use super::{CONSOLE, SOURCE, with_console};
use crate::config::{Config, ConfigError, Credentials, FetchOptions, Problem, ProxySetting};

pub(super) fn env(name: &str) -> Option<String> {
    match name {
        "TOKEN" => Some("s3cret-token".to_owned()),
        "PASSWORD" => Some("s3cret-password".to_owned()),
        "PROXY_PASSWORD" => Some("s3cret-proxy".to_owned()),
        "BROKEN" => Some("s3cret\nInjected: yes".to_owned()),
        "NO_PROXY_HERE" => Some("none".to_owned()),
        _ => None,
    }
}

pub(super) fn load(text: &str) -> Result<Config, ConfigError> {
    Config::from_toml_str(text, Path::new(SOURCE), &env)
}

/// The options of the one feed of `keys` (written from line 6 on, after `url` and `channels`).
pub(super) fn options(keys: &str) -> FetchOptions {
    let config =
        load(&feed(keys)).unwrap_or_else(|error| panic!("expected a valid config: {error}"));
    config.feeds[0].fetch.clone()
}

pub(super) fn feed(keys: &str) -> String {
    with_console(&format!(
        "[[feeds]]\nurl = \"https://a.example/\"\nchannels = [\"terminal\"]\n{keys}"
    ))
}

pub(super) fn problems(text: &str) -> Vec<Problem> {
    match load(text) {
        Err(ConfigError::Invalid(problems)) => {
            for problem in &problems {
                assert!(!problem.to_string().contains("s3cret"), "{problem}");
            }
            problems
        }
        other => panic!("expected problems, got {other:?}"),
    }
}

/// The one problem of `text`, at `key` and `line`.
pub(super) fn only_problem(text: &str, key: &str, line: usize) -> Problem {
    let found = problems(text);
    assert_eq!(found.len(), 1, "{found:#?}");
    let problem = found.into_iter().next().expect("one problem");
    assert_eq!(
        (problem.key.as_str(), problem.line),
        (key, Some(line)),
        "{problem}"
    );
    problem
}

/// The feed's headers as `(name, value)`; every value is checked to be marked sensitive.
pub(super) fn pairs(options: &FetchOptions) -> Vec<(&str, &str)> {
    options
        .headers
        .iter()
        .map(|(name, value)| {
            assert!(value.is_sensitive(), "{name}");
            (name.as_str(), value.to_str().expect("visible ASCII"))
        })
        .collect()
}

#[test]
fn without_keys_a_feed_is_fetched_plainly() {
    assert_eq!(options(""), FetchOptions::default());
}

#[test]
fn headers_add_to_the_defaults_and_replace_by_name() {
    let text = with_console(
        "[defaults]\nheaders = { X-Team = \"ops\", X-Key = \"${TOKEN}\" }\n\
         [[feeds]]\nurl = \"https://a.example/\"\nchannels = [\"terminal\"]\n\
         headers = { x-key = \"own\", Accept = \"application/atom+xml\" }\n\
         [[feeds]]\nurl = \"https://b.example/\"\nchannels = [\"terminal\"]\n",
    );
    let config = load(&text).expect("valid");
    assert_eq!(
        pairs(&config.feeds[0].fetch),
        [
            ("x-team", "ops"),
            ("x-key", "own"),
            ("accept", "application/atom+xml")
        ]
    );
    assert_eq!(
        pairs(&config.feeds[1].fetch),
        [("x-team", "ops"), ("x-key", "s3cret-token")]
    );
}

#[test]
fn headers_the_fetcher_writes_are_refused_with_the_way_to_do_it() {
    let problem = only_problem(
        &feed("headers = { User-Agent = \"x\" }\n"),
        "feeds[0].headers.User-Agent",
        6,
    );
    assert!(
        problem.message.ends_with("use the user_agent key"),
        "{problem}"
    );
    for name in [
        "If-None-Match",
        "If-Modified-Since",
        "Accept-Encoding",
        "Host",
    ] {
        let found = problems(&feed(&format!("headers = {{ {name} = \"x\" }}\n")));
        assert!(
            found[0]
                .message
                .starts_with(&format!("header {name} cannot be set")),
            "{}",
            found[0]
        );
    }
    let problem = only_problem(
        &feed("headers = { X-Key = \"${BROKEN}\" }\n"),
        "feeds[0].headers.X-Key",
        6,
    );
    assert!(
        problem.message.contains("not a valid HTTP header value"),
        "{problem}"
    );
}

#[test]
fn a_user_agent_replaces_feedhooks_own() {
    assert_eq!(
        options("user_agent = \"reader/2\"\n").user_agent,
        Some(reqwest::header::HeaderValue::from_static("reader/2"))
    );
    only_problem(&feed("user_agent = \"\"\n"), "feeds[0].user_agent", 6);
}

#[test]
fn basic_auth_takes_a_password_from_the_environment_or_a_file() {
    let found = options("basic_auth = { username = \"reader\", password = \"${PASSWORD}\" }\n");
    let Some(Credentials::Basic { username, password }) = found.credentials else {
        panic!("basic credentials")
    };
    assert_eq!(
        (username.as_str(), password.expose()),
        ("reader", "s3cret-password")
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("password");
    std::fs::write(&file, "s3cret-from-file\n").expect("write");
    let keys = format!(
        "basic_auth = {{ username = \"reader\", password_file = \"{}\" }}\n",
        file.display()
    );
    let Some(Credentials::Basic { password, .. }) = options(&keys).credentials else {
        panic!("basic credentials")
    };
    assert_eq!(password.expose(), "s3cret-from-file");
}

#[test]
fn basic_auth_mistakes_are_named_by_key() {
    let cases = [
        (
            "basic_auth = { password = \"${PASSWORD}\" }\n",
            "feeds[0].basic_auth.username",
            "missing key username",
        ),
        (
            "basic_auth = { username = \"a:b\", password = \"x\" }\n",
            "feeds[0].basic_auth.username",
            "\":\"",
        ),
        (
            "basic_auth = { username = \"a\" }\n",
            "feeds[0].basic_auth.password",
            "missing key password",
        ),
        (
            "basic_auth = { username = \"a\", password = \"x\", password_file = \"p\" }\n",
            "feeds[0].basic_auth.password_file",
            "not both",
        ),
        (
            "basic_auth = { username = \"a\", password = \"${UNSET}\" }\n",
            "feeds[0].basic_auth.password",
            "UNSET is not set",
        ),
        (
            "basic_auth = { username = \"a\", password_file = \"missing.password\" }\n",
            "feeds[0].basic_auth.password_file",
            "/etc/feedhook/missing.password",
        ),
        (
            "basic_auth = { user = \"a\", password = \"${PASSWORD}\" }\n",
            "feeds[0].basic_auth",
            "unknown field `user`",
        ),
    ];
    for (keys, key, says) in cases {
        let problem = only_problem(&feed(keys), key, 6);
        assert!(problem.message.contains(says), "{keys}: {problem}");
    }
}

#[test]
fn a_bearer_token_comes_from_the_environment_or_a_file() {
    let found = options("bearer_token = \"${TOKEN}\"\n");
    assert!(
        matches!(found.credentials, Some(Credentials::Bearer(t)) if t.expose() == "s3cret-token")
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("token");
    std::fs::write(&file, "  s3cret-file-token \n").expect("write");
    let found = options(&format!("bearer_token_file = \"{}\"\n", file.display()));
    assert!(
        matches!(found.credentials, Some(Credentials::Bearer(t)) if t.expose() == "s3cret-file-token")
    );

    std::fs::write(&file, "s3cret token with spaces\n").expect("write");
    let keys = format!("bearer_token_file = \"{}\"\n", file.display());
    let problem = only_problem(&feed(&keys), "feeds[0].bearer_token_file", 6);
    assert!(
        problem.message.contains("not valid in an HTTP header"),
        "{problem}"
    );
    only_problem(
        &feed("bearer_token = \"${BROKEN}\"\n"),
        "feeds[0].bearer_token",
        6,
    );
}

#[test]
fn only_one_kind_of_credential_and_no_authorization_header_beside_it() {
    let problem = only_problem(
        &feed(
            "bearer_token = \"${TOKEN}\"\nbasic_auth = { username = \"a\", password = \"${PASSWORD}\" }\n",
        ),
        "feeds[0].bearer_token",
        6,
    );
    assert!(problem.message.contains("only one of"), "{problem}");
    let problem = only_problem(
        &feed("headers = { Authorization = \"Basic ${TOKEN}\" }\nbearer_token = \"${TOKEN}\"\n"),
        "feeds[0].bearer_token",
        7,
    );
    assert!(problem.message.contains("not both"), "{problem}");
}

#[test]
fn a_feed_credential_replaces_the_default_one() {
    let text = with_console(
        "[defaults]\nbearer_token = \"${TOKEN}\"\n\
         [[feeds]]\nurl = \"https://a.example/\"\nchannels = [\"terminal\"]\n\
         basic_auth = { username = \"reader\", password = \"${PASSWORD}\" }\n\
         [[feeds]]\nurl = \"https://b.example/\"\nchannels = [\"terminal\"]\n",
    );
    let config = load(&text).expect("valid");
    assert!(matches!(
        config.feeds[0].fetch.credentials,
        Some(Credentials::Basic { .. })
    ));
    assert!(matches!(
        config.feeds[1].fetch.credentials,
        Some(Credentials::Bearer(_))
    ));
}

#[test]
fn every_fetch_key_may_be_a_default() {
    let text = format!(
        "[defaults]\nheaders = {{ X-A = \"1\" }}\nuser_agent = \"r/1\"\nbearer_token = \"${{TOKEN}}\"\n\
         proxy = \"socks5h://proxy.lan:1080\"\ntls_insecure = false\n{CONSOLE}\
         [[feeds]]\nurl = \"https://a.example/\"\nchannels = [\"terminal\"]\n"
    );
    let fetch = &load(&text).expect("valid").feeds[0].fetch;
    assert_eq!(pairs(fetch), [("x-a", "1")]);
    assert_eq!(
        fetch.user_agent,
        Some(reqwest::header::HeaderValue::from_static("r/1"))
    );
    assert!(matches!(fetch.credentials, Some(Credentials::Bearer(_))));
    assert!(matches!(fetch.transport.proxy, ProxySetting::Url(_)));
}

#[test]
fn a_bad_default_is_reported_once() {
    let text = format!(
        "[defaults]\nproxy = \"nonsense\"\n{CONSOLE}\
         [[feeds]]\nurl = \"https://a.example/\"\nchannels = [\"terminal\"]\n\
         [[feeds]]\nurl = \"https://b.example/\"\nchannels = [\"terminal\"]\n"
    );
    only_problem(&text, "defaults.proxy", 2);
}
