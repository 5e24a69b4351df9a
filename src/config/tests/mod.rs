//! Whole configurations through [`Config::from_toml_str`], as `feedhook check` would see them.

mod card;
mod channel_options;
mod channels;
mod delivery;
mod digest;
mod email;
mod entra;
mod example;
mod feed_fetch;
mod feed_transport;
mod feeds;
mod filters;
mod mentions;
mod platforms;
mod threads;

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{ChannelKind, Config, ConfigError, DEFAULT_RETENTION, Problem};

const SOURCE: &str = "/etc/feedhook/feedhook.toml";

/// The environment every test sees; tests never touch the process's own.
fn test_env(name: &str) -> Option<String> {
    match name {
        "OPS_HOOK" => Some("https://example.webhook.office.com/webhookb2/secret-token".to_owned()),
        _ => None,
    }
}

fn load(text: &str) -> Result<Config, ConfigError> {
    Config::from_toml_str(text, Path::new(SOURCE), &test_env)
}

fn valid(text: &str) -> Config {
    load(text).unwrap_or_else(|error| panic!("expected a valid config, got {error}"))
}

fn problems(text: &str) -> Vec<Problem> {
    match load(text) {
        Err(ConfigError::Invalid(problems)) => problems,
        Err(other) => panic!("expected problems, got {other}"),
        Ok(config) => panic!("expected problems, got a valid config: {config:?}"),
    }
}

/// The one problem `text` has, checked to name `key` at `line`.
fn only_problem(text: &str, key: &str, line: usize) -> Problem {
    let found = problems(text);
    assert_eq!(found.len(), 1, "expected one problem, got {found:#?}");
    let problem = found.into_iter().next().expect("one problem");
    assert_eq!(
        (problem.key.as_str(), problem.line),
        (key, Some(line)),
        "{problem}"
    );
    problem
}

/// The keys that say where a channel of `kind` posts, one per line: a webhook URL, nothing for
/// the console, a room or chat and a token for the platforms addressed otherwise.
fn addressing(kind: ChannelKind) -> &'static str {
    match kind {
        ChannelKind::Console => "",
        ChannelKind::Matrix => {
            "homeserver = \"https://matrix.example.org\"\nroom = \"!abc:example.org\"\ntoken = \"syt_token\"\n"
        }
        ChannelKind::Telegram => "token = \"123456:ABC-def\"\nchat_id = \"-1001234567890\"\n",
        ChannelKind::Email => {
            "url = \"smtps://relay.example\"\nfrom = \"a@example.com\"\nto = [\"b@example.com\"]\n"
        }
        ChannelKind::Ntfy => "url = \"https://ntfy.example.org/releases\"\n",
        _ => "url = \"https://hooks.example/x\"\n",
    }
}

const CONSOLE: &str = "[channels.terminal]\nkind = \"console\"\n";

/// A console channel and, after it, `feed` (lines 3 onward).
fn with_console(feed: &str) -> String {
    format!("{CONSOLE}{feed}")
}

#[test]
fn a_minimal_config_gets_every_default() {
    let config = valid(&with_console(
        "[[feeds]]\nurl = \"https://a.example/feed\"\nchannels = [\"terminal\"]\n",
    ));
    assert_eq!(config.store.path, PathBuf::from("./feedhook.db"));
    assert_eq!((config.fetch.concurrency, config.fetch.per_host), (32, 4));
    let feed = &config.feeds[0];
    assert_eq!(feed.name, "https://a.example/feed");
    assert!(matches!(feed.cadence, super::Cadence::Every(d) if d == Duration::from_secs(900)));
    assert_eq!((feed.backlog, feed.timeout), (0, Duration::from_secs(30)));
    assert_eq!(feed.max_body, 10 * 1024 * 1024);
    assert_eq!(feed.channels, ["terminal"]);
    assert_eq!(config.store.retention, DEFAULT_RETENTION);
    assert_eq!(DEFAULT_RETENTION, Duration::from_secs(90 * 24 * 3600));
    assert!(config.warnings.is_empty(), "{:?}", config.warnings);
}

#[test]
fn the_store_defaults_to_the_first_systemd_state_directory() {
    let env = |name: &str| {
        (name == "STATE_DIRECTORY").then(|| "/var/lib/feedhook:/var/lib/other".to_owned())
    };
    let config = Config::from_toml_str(CONSOLE, Path::new(SOURCE), &env).expect("valid");
    assert_eq!(
        config.store.path,
        PathBuf::from("/var/lib/feedhook/feedhook.db")
    );
}

#[test]
fn a_relative_store_path_resolves_against_the_config_folder() {
    let config = valid(&format!("[store]\npath = \"state/feedhook.db\"\n{CONSOLE}"));
    assert_eq!(
        config.store.path,
        PathBuf::from("/etc/feedhook/state/feedhook.db")
    );
    let config = valid(&format!("[store]\npath = \"/srv/feedhook.db\"\n{CONSOLE}"));
    assert_eq!(config.store.path, PathBuf::from("/srv/feedhook.db"));
}

#[test]
fn retention_is_a_duration_of_at_least_a_day() {
    let config = valid(&format!("[store]\nretention = \"30d\"\n{CONSOLE}"));
    assert_eq!(config.store.retention, Duration::from_secs(30 * 24 * 3600));
    let config = valid(&format!("[store]\nretention = \"1day\"\n{CONSOLE}"));
    assert_eq!(config.store.retention, Duration::from_secs(24 * 3600));
    let problem = only_problem("[store]\nretention = \"12h\"\n", "store.retention", 2);
    assert!(problem.message.contains("the minimum is 1d"), "{problem}");
    let problem = only_problem("[store]\nretention = \"forever\"\n", "store.retention", 2);
    assert!(
        problem.message.starts_with("invalid duration \"forever\""),
        "{problem}"
    );
}

#[test]
fn fetch_limits_must_be_at_least_one() {
    let problem = only_problem(
        "[fetch]\nconcurrency = 8\nper_host = 0\n",
        "fetch.per_host",
        3,
    );
    assert!(problem.message.contains("at least 1"), "{problem}");
}

#[test]
fn an_unknown_key_is_named_at_its_line() {
    let problem = only_problem("[store]\npath = \"x.db\"\nsize = 3\n", "store.size", 3);
    assert!(
        problem.message.contains("unknown key \"size\""),
        "{problem}"
    );
}

#[test]
fn a_syntax_error_is_located() {
    let problem = only_problem("[store]\npath = \"x.db\n", "TOML syntax", 2);
    assert!(
        problem
            .to_string()
            .starts_with("/etc/feedhook/feedhook.toml:2: "),
        "{problem}"
    );
}

#[test]
fn every_problem_is_reported_at_once_in_file_order() {
    let text = "[fetch]\nconcurrency = 0\n\n[defaults]\ntimeout = \"soon\"\n\n\
                [channels.ops]\nkind = \"pager\"\n\n\
                [[feeds]]\nurl = \"https://a.example/\"\nchannels = [\"nope\"]\ninterval = \"5 minits\"\ncolour = \"red\"\n";
    let found: Vec<_> = problems(text)
        .into_iter()
        .map(|p| (p.key, p.line.unwrap_or(0)))
        .collect();
    let expected = [
        ("fetch.concurrency", 2),
        ("defaults.timeout", 5),
        ("channels.ops.kind", 8),
        ("feeds[0].channels", 12),
        ("feeds[0].interval", 13),
        ("feeds[0].colour", 14),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(k, l)| ((*k).to_owned(), *l))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn an_empty_feed_list_is_valid_with_a_warning() {
    let config = valid(CONSOLE);
    assert!(config.feeds.is_empty());
    assert!(
        config.warnings.iter().any(|w| w.contains("no [[feeds]]")),
        "{:?}",
        config.warnings
    );
}

#[test]
fn load_reads_the_file_and_reports_a_missing_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("feedhook.toml");
    std::fs::write(&path, format!("[store]\npath = \"state.db\"\n{CONSOLE}"))
        .expect("write config");
    let config = Config::load(&path).expect("valid file");
    assert_eq!(config.store.path, dir.path().join("state.db"));
    assert_eq!(config.source, path);
    let missing = Config::load(&dir.path().join("absent.toml")).expect_err("no such file");
    assert!(matches!(missing, ConfigError::Read { .. }));
    assert!(missing.to_string().contains("absent.toml"), "{missing}");
}
