use std::path::Path;

use crate::config::{Config, ConfigError, Problem};

const CONSOLE: &str = "[channels.terminal]\nkind = \"console\"\n";

fn load(http: &str) -> Result<Config, ConfigError> {
    let text = format!("{http}{CONSOLE}");
    Config::from_toml_str(&text, Path::new("/etc/feedhook/feedhook.toml"), &|_| None)
}

fn only_problem(http: &str) -> Problem {
    match load(http) {
        Err(ConfigError::Invalid(problems)) if problems.len() == 1 => {
            problems.into_iter().next().expect("one problem")
        }
        other => panic!("expected one problem, got {other:?}"),
    }
}

#[test]
fn without_http_nothing_listens() {
    let config = load("").expect("valid");
    assert_eq!(config.http, None);
}

#[test]
fn listen_takes_a_socket_address() {
    let config = load("[http]\nlisten = \"127.0.0.1:9184\"\n").expect("valid");
    let listen = config.http.expect("[http] is set").listen;
    assert_eq!(listen, "127.0.0.1:9184".parse().expect("address"));
    assert!(
        !config.warnings.iter().any(|w| w.contains("http.listen")),
        "{:?}",
        config.warnings
    );
    let config = load("[http]\nlisten = \"[::1]:9184\"\n").expect("valid");
    assert!(config.http.expect("[http] is set").listen.is_ipv6());
}

#[test]
fn a_host_name_or_a_missing_port_is_refused_at_its_line() {
    for bad in ["localhost:9184", "127.0.0.1", "9184", ""] {
        let problem = only_problem(&format!("[http]\nlisten = \"{bad}\"\n"));
        assert_eq!(
            (problem.key.as_str(), problem.line),
            ("http.listen", Some(2))
        );
        assert!(
            problem.message.contains("e.g. \"127.0.0.1:9184\""),
            "{problem}"
        );
    }
}

#[test]
fn an_http_table_without_listen_is_an_error() {
    let problem = only_problem("[http]\n\n");
    assert_eq!(
        (problem.key.as_str(), problem.line),
        ("http.listen", Some(1))
    );
    assert!(problem.message.contains("missing key listen"), "{problem}");
}

#[test]
fn unknown_keys_and_wrong_types_are_named() {
    let problem = only_problem("[http]\nlisten = \"127.0.0.1:9184\"\nport = 9184\n");
    assert_eq!((problem.key.as_str(), problem.line), ("http.port", Some(3)));
    let problem = only_problem("[http]\nlisten = 9184\n");
    assert_eq!(
        (problem.key.as_str(), problem.line),
        ("http.listen", Some(2))
    );
}

#[test]
fn listening_beyond_loopback_is_allowed_with_a_warning() {
    let config = load("[http]\nlisten = \"0.0.0.0:9184\"\n").expect("valid");
    assert!(config.http.is_some());
    assert!(
        config
            .warnings
            .iter()
            .any(|w| w.contains("http.listen") && w.contains("without authentication")),
        "{:?}",
        config.warnings
    );
}

#[test]
fn public_url_is_kept_with_a_trailing_slash() {
    let text =
        "[http]\nlisten = \"127.0.0.1:9480\"\npublic_url = \"https://example.com/feedhook\"\n";
    let http = load(text).expect("valid").http.expect("[http] is set");
    let url = http.public_url.expect("public_url is set");
    assert_eq!(url.as_str(), "https://example.com/feedhook/");
}

#[test]
fn public_url_must_be_http_without_a_query() {
    let problem = only_problem("[http]\nlisten = \"127.0.0.1:1\"\npublic_url = \"ftp://x\"\n");
    assert_eq!(problem.key, "http.public_url");
    assert_eq!(problem.line, Some(3));
    let problem =
        only_problem("[http]\nlisten = \"127.0.0.1:1\"\npublic_url = \"https://x/?a=b\"\n");
    assert!(problem.message.contains("no query"), "{problem}");
}
