//! `digest` and `timezone` on a channel: read as a cron schedule in a zone or an interval, and
//! every wrong value refused at its line.

use std::time::Duration;

use super::{CONSOLE, only_problem, valid};
use crate::config::DigestSchedule;

const FEED: &str = "[[feeds]]\nurl = \"https://a.example/feed\"\nchannels = [\"terminal\"]\n";

#[test]
fn a_channel_without_digest_posts_each_entry() {
    let config = valid(&format!("{CONSOLE}{FEED}"));
    assert_eq!(config.channels["terminal"].digest, None);
}

#[test]
fn a_cron_digest_is_read_in_the_channels_timezone() {
    let config = valid(&format!(
        "{CONSOLE}digest = \"0 0 9 * * Mon-Fri\"\ntimezone = \"Europe/Paris\"\n{FEED}"
    ));
    let Some(DigestSchedule::Cron(schedule)) = &config.channels["terminal"].digest else {
        panic!("a cron digest")
    };
    assert_eq!(schedule.timezone(), chrono_tz::Europe::Paris);
    assert!(config.warnings.is_empty(), "{:?}", config.warnings);
}

#[test]
fn an_interval_digest_is_read_as_a_duration() {
    let config = valid(&format!("{CONSOLE}digest = \"1h\"\n{FEED}"));
    assert_eq!(
        config.channels["terminal"].digest,
        Some(DigestSchedule::Every(Duration::from_secs(3600)))
    );
}

#[test]
fn a_bad_cron_is_refused_at_its_line() {
    let problem = only_problem(
        &format!("{CONSOLE}digest = \"0 0 25 * * *\"\n{FEED}"),
        "channels.terminal.digest",
        3,
    );
    assert!(
        problem.message.contains("invalid cron schedule"),
        "{problem}"
    );
    assert!(
        problem
            .to_string()
            .starts_with("/etc/feedhook/feedhook.toml:3:"),
        "{problem}"
    );
}

#[test]
fn a_bad_interval_is_refused_at_its_line() {
    let short = only_problem(
        &format!("{CONSOLE}digest = \"5s\"\n{FEED}"),
        "channels.terminal.digest",
        3,
    );
    assert!(short.message.contains("use from 1m to 28days"), "{short}");
    let word = only_problem(
        &format!("{CONSOLE}digest = \"daily\"\n{FEED}"),
        "channels.terminal.digest",
        3,
    );
    assert!(word.message.contains("neither an interval"), "{word}");
}

#[test]
fn an_unknown_timezone_is_refused_at_its_line() {
    let problem = only_problem(
        &format!("{CONSOLE}digest = \"0 0 9 * * *\"\ntimezone = \"Europe/Pariss\"\n{FEED}"),
        "channels.terminal.timezone",
        4,
    );
    assert!(problem.message.contains("unknown time zone"), "{problem}");
}

#[test]
fn a_timezone_without_a_digest_is_refused() {
    let problem = only_problem(
        &format!("{CONSOLE}timezone = \"UTC\"\n{FEED}"),
        "channels.terminal.timezone",
        3,
    );
    assert!(problem.message.contains("has no digest"), "{problem}");
}

#[test]
fn a_timezone_with_an_interval_digest_is_a_warning() {
    let config = valid(&format!(
        "{CONSOLE}digest = \"2h\"\ntimezone = \"Europe/Paris\"\n{FEED}"
    ));
    assert_eq!(config.warnings.len(), 1, "{:?}", config.warnings);
    assert!(
        config.warnings[0].contains("channels.terminal.timezone"),
        "{:?}",
        config.warnings
    );
}

#[test]
fn a_template_and_a_digest_are_refused_together() {
    let text = "[channels.hook]\nkind = \"generic\"\nurl = \"https://hooks.example/x\"\n\
                template = \"{{ entry.title }}\"\ndigest = \"1h\"\n\
                [[feeds]]\nurl = \"https://a.example/feed\"\nchannels = [\"hook\"]\n";
    let problem = only_problem(text, "channels.hook.digest", 5);
    assert!(problem.message.contains("template"), "{problem}");
}
