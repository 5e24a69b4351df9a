use std::path::Path;
use std::time::Duration;

use crate::config::{Config, ConfigError, DEFAULT_PUSH_INTERVAL};

const CHANNEL: &str = "[channels.c]\nkind = \"console\"\n";
const PUBLIC: &str =
    "[http]\nlisten = \"127.0.0.1:9480\"\npublic_url = \"https://feedhook.example.com\"\n";

fn load(text: &str) -> Result<Config, ConfigError> {
    let text = format!("{text}{CHANNEL}");
    Config::from_toml_str(&text, Path::new("/etc/feedhook.toml"), &|_| None)
}

fn feed(keys: &str) -> String {
    format!("[[feeds]]\nurl = \"https://example.com/feed\"\nchannels = [\"c\"]\n{keys}")
}

#[test]
fn push_is_on_by_default_once_public_url_is_set() {
    let config = load(&format!("{PUBLIC}{}", feed(""))).expect("valid");
    assert!(config.feeds[0].push);
    assert_eq!(config.feeds[0].push_interval, DEFAULT_PUSH_INTERVAL);
    let config = load(&feed("")).expect("valid");
    assert!(!config.feeds[0].push, "no public_url, no push");
}

#[test]
fn a_feed_may_opt_out_and_set_its_own_push_interval() {
    let text = format!(
        "{PUBLIC}[defaults]\npush_interval = \"2h\"\n{}{}",
        feed("push = false\n"),
        feed("name = \"b\"\n")
    );
    let config = load(&text).expect("valid");
    assert!(!config.feeds[0].push);
    assert!(config.feeds[1].push);
    assert_eq!(config.feeds[1].push_interval, Duration::from_secs(7200));
}

#[test]
fn push_without_public_url_is_an_error_at_its_line() {
    let Err(ConfigError::Invalid(problems)) = load(&feed("push = true\n")) else {
        panic!("push without public_url must be refused");
    };
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].key, "feeds[0].push");
    assert_eq!(problems[0].line, Some(4));
    assert!(
        problems[0].message.contains("public_url"),
        "{}",
        problems[0]
    );
}

#[test]
fn a_bad_push_interval_names_its_key() {
    let Err(ConfigError::Invalid(problems)) =
        load(&format!("[defaults]\npush_interval = \"0s\"\n{}", feed("")))
    else {
        panic!("a zero push_interval must be refused");
    };
    assert_eq!(problems[0].key, "defaults.push_interval");
    assert_eq!(problems[0].line, Some(2));
}
