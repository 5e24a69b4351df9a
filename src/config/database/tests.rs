use std::path::Path;
use std::time::Duration;

use super::{DEFAULT_LEASE, DEFAULT_POOL, DatabaseUrl, TlsMode};
use crate::config::{Config, ConfigError, Problem};

const PASSWORD: &str = "s3cr3t-pa55word";

fn env(name: &str) -> Option<String> {
    (name == "FEEDHOOK_DB_URL").then(|| format!("postgres://feedhook:{PASSWORD}@db.internal/fh"))
}

fn load(store: &str) -> Result<Config, ConfigError> {
    let text = format!("[store]\n{store}\n[channels.terminal]\nkind = \"console\"\n");
    Config::from_toml_str(&text, Path::new("/etc/feedhook/feedhook.toml"), &env)
}

fn problems(store: &str) -> Vec<Problem> {
    match load(store) {
        Err(ConfigError::Invalid(problems)) => problems,
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn a_url_with_every_default() {
    let config = load("url = \"${FEEDHOOK_DB_URL}\"").expect("valid");
    let database = config.store.database.expect("a database");
    assert_eq!(database.pool, DEFAULT_POOL);
    assert_eq!(database.lease, DEFAULT_LEASE);
    assert_eq!(database.url.tls(), TlsMode::Prefer);
    assert_eq!(database.url.password(), Some(PASSWORD));
}

#[test]
fn pool_lease_and_sslmode_are_read() {
    let config = load("url = \"postgres://db/fh?sslmode=verify-full\"\npool = 3\nlease = \"5s\"")
        .expect("valid");
    let database = config.store.database.expect("a database");
    assert_eq!(database.pool, 3);
    assert_eq!(database.lease, Duration::from_secs(5));
    assert_eq!(database.url.tls(), TlsMode::VerifyFull);
    assert_eq!(database.url.expose(), "postgres://db/fh");
}

#[test]
fn path_and_url_together_are_refused_at_the_path_line() {
    let found = problems("path = \"state.db\"\nurl = \"postgres://db/fh\"");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].key.as_str(), found[0].line),
        ("store.path", Some(2))
    );
    assert!(found[0].message.contains("not both"), "{}", found[0]);
}

#[test]
fn database_keys_without_a_url_are_refused() {
    let found = problems("pool = 2\nlease = \"10s\"");
    let keys: Vec<_> = found.iter().map(|p| (p.key.as_str(), p.line)).collect();
    assert_eq!(keys, [("store.pool", Some(2)), ("store.lease", Some(3))]);
}

#[test]
fn a_lease_under_a_second_and_an_empty_pool_are_refused() {
    let found = problems("url = \"postgres://db/fh\"\npool = 0\nlease = \"500ms\"");
    let keys: Vec<_> = found.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["store.pool", "store.lease"]);
}

#[test]
fn a_wrong_url_is_refused_without_repeating_it() {
    for url in [
        format!("https://feedhook:{PASSWORD}@db/fh"),
        format!("postgres://feedhook:{PASSWORD}@db/fh?sslmode=verify-ca"),
        format!("postgres://feedhook:{PASSWORD}@db/fh?color=blue"),
    ] {
        let found = problems(&format!("url = \"{url}\""));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].key, "store.url");
        assert!(!found[0].to_string().contains(PASSWORD), "{}", found[0]);
    }
}

#[test]
fn a_missing_ca_file_is_refused() {
    let found = problems("url = \"postgres://db/fh\"\nca_file = \"/nonexistent/ca.pem\"");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].key.as_str(), found[0].line),
        ("store.ca_file", Some(3))
    );
}

#[test]
fn url_file_holds_the_url() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("db-url");
    std::fs::write(&file, format!("postgres://u:{PASSWORD}@db/fh\n")).expect("write");
    let config = load(&format!("url_file = \"{}\"", file.display())).expect("valid");
    let database = config.store.database.expect("a database");
    assert_eq!(database.url.password(), Some(PASSWORD));
}

#[test]
fn the_password_is_never_shown_and_is_redacted() {
    let config = load("url = \"${FEEDHOOK_DB_URL}\"").expect("valid");
    let url = &config.store.database.as_ref().expect("a database").url;
    for shown in [url.to_string(), format!("{url:?}"), format!("{config:?}")] {
        assert!(!shown.contains(PASSWORD), "{shown}");
    }
    assert_eq!(url.to_string(), "postgres://db.internal/fh");
    let line = format!("connect failed for password {PASSWORD}");
    assert!(!config.redactor.redact(&line).contains(PASSWORD));
}

#[test]
fn sslmode_names_the_tls_mode() {
    let mode = |query: &str| {
        DatabaseUrl::parse(&format!("postgresql://db/fh{query}"))
            .expect("valid")
            .tls()
    };
    assert_eq!(mode("?sslmode=disable"), TlsMode::Disable);
    assert_eq!(mode("?sslmode=require&connect_timeout=5"), TlsMode::Require);
    assert_eq!(mode(""), TlsMode::Prefer);
}
