//! `[[feeds]]` and `[defaults]`: identity, subscriptions, cadence and the inherited settings.

use std::time::Duration;

use super::{only_problem, problems, valid, with_console};
use crate::config::{Cadence, Feed};

/// A console channel, then `body` (from line 3).
fn feed(body: &str) -> String {
    with_console(body)
}

fn interval(feed: &Feed) -> Option<Duration> {
    match feed.cadence {
        Cadence::Every(every) => Some(every),
        Cadence::Cron(_) => None,
    }
}

const URL_AND_CHANNEL: &str = "url = \"https://a.example/\"\nchannels = [\"terminal\"]\n";

#[test]
fn defaults_are_inherited_and_overridden_per_feed() {
    let text = feed(&format!(
        "[defaults]\ninterval = \"30m\"\nbacklog = 2\ntimeout = \"10s\"\nmax_body = \"512KiB\"\n\
         [[feeds]]\n{URL_AND_CHANNEL}\
         [[feeds]]\nname = \"b\"\nurl = \"https://b.example/\"\nchannels = [\"terminal\"]\n\
         interval = \"1h\"\nbacklog = 0\ntimeout = \"1m\"\nmax_body = 2048\n"
    ));
    let config = valid(&text);
    let (a, b) = (&config.feeds[0], &config.feeds[1]);
    assert_eq!(interval(a), Some(Duration::from_secs(1800)));
    assert_eq!(
        (a.backlog, a.timeout, a.max_body),
        (2, Duration::from_secs(10), 512 * 1024)
    );
    assert_eq!(interval(b), Some(Duration::from_secs(3600)));
    assert_eq!(
        (b.backlog, b.timeout, b.max_body),
        (0, Duration::from_secs(60), 2048)
    );
}

#[test]
fn a_feed_interval_overrides_a_default_schedule_and_vice_versa() {
    let text = feed(&format!(
        "[defaults]\nschedule = \"0 0 * * * *\"\n\
         [[feeds]]\n{URL_AND_CHANNEL}\
         [[feeds]]\nname = \"b\"\nurl = \"https://b.example/\"\nchannels = [\"terminal\"]\ninterval = \"2h\"\n"
    ));
    let config = valid(&text);
    assert!(matches!(config.feeds[0].cadence, Cadence::Cron(_)));
    assert_eq!(interval(&config.feeds[1]), Some(Duration::from_secs(7200)));

    let text = feed(&format!(
        "[defaults]\ninterval = \"1h\"\n[[feeds]]\n{URL_AND_CHANNEL}schedule = \"0 8 * * 1-5\"\n"
    ));
    assert!(matches!(valid(&text).feeds[0].cadence, Cadence::Cron(_)));
}

#[test]
fn a_five_field_cron_schedule_is_accepted() {
    let config = valid(&feed(&format!(
        "[[feeds]]\n{URL_AND_CHANNEL}schedule = \"*/30 * * * *\"\n"
    )));
    let Cadence::Cron(schedule) = &config.feeds[0].cadence else {
        panic!("a cron cadence")
    };
    assert_eq!(schedule.expression().source(), "0 */30 * * * *");
    assert_eq!(schedule.timezone(), chrono_tz::UTC);
}

#[test]
fn a_cron_schedule_is_read_in_the_feed_or_default_timezone() {
    let text = feed(&format!(
        "[defaults]\nschedule = \"0 0 9 * * *\"\ntimezone = \"Europe/Paris\"\n\
         [[feeds]]\n{URL_AND_CHANNEL}\
         [[feeds]]\nname = \"b\"\nurl = \"https://b.example/\"\nchannels = [\"terminal\"]\n\
         timezone = \"America/New_York\"\n"
    ));
    let config = valid(&text);
    let zones: Vec<_> = config
        .feeds
        .iter()
        .map(|feed| match &feed.cadence {
            Cadence::Cron(schedule) => schedule.timezone(),
            Cadence::Every(_) => panic!("a cron cadence"),
        })
        .collect();
    assert_eq!(
        zones,
        [chrono_tz::Europe::Paris, chrono_tz::America::New_York]
    );
}

#[test]
fn an_unknown_timezone_is_reported_at_its_line() {
    let problem = only_problem(
        &feed(&format!(
            "[[feeds]]\n{URL_AND_CHANNEL}schedule = \"0 8 * * *\"\ntimezone = \"Paris\"\n"
        )),
        "feeds[0].timezone",
        7,
    );
    assert!(
        problem.message.contains("unknown time zone \"Paris\""),
        "{problem}"
    );
}

#[test]
fn a_bad_cron_schedule_is_reported() {
    let problem = only_problem(
        &feed(&format!(
            "[[feeds]]\n{URL_AND_CHANNEL}schedule = \"every monday\"\n"
        )),
        "feeds[0].schedule",
        6,
    );
    assert!(
        problem
            .message
            .starts_with("invalid cron schedule \"every monday\""),
        "{problem}"
    );
}

#[test]
fn interval_and_schedule_on_one_feed_are_an_error() {
    let problem = only_problem(
        &feed(&format!(
            "[[feeds]]\n{URL_AND_CHANNEL}interval = \"1h\"\nschedule = \"0 * * * *\"\n"
        )),
        "feeds[0].schedule",
        7,
    );
    assert!(
        problem.message.contains("either interval or schedule"),
        "{problem}"
    );
}

#[test]
fn with_both_interval_and_schedule_each_is_still_checked() {
    let text = feed(&format!(
        "[[feeds]]\n{URL_AND_CHANNEL}interval = \"1h\"\nschedule = \"* * *\"\n"
    ));
    let found = problems(&text);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found
            .iter()
            .all(|p| p.key == "feeds[0].schedule" && p.line == Some(7))
    );
    assert!(
        found.iter().any(|p| p.message.contains("it has 3 fields")),
        "{found:#?}"
    );
}

#[test]
fn a_bad_duration_names_the_key_and_the_line() {
    let problem = only_problem(
        &feed(&format!(
            "[[feeds]]\n{URL_AND_CHANNEL}interval = \"5 minits\"\n"
        )),
        "feeds[0].interval",
        6,
    );
    assert_eq!(
        problem.message,
        "invalid duration \"5 minits\": unknown time unit \"minits\"; use e.g. \"30s\", \"15m\", \"1h\""
    );
    only_problem("[defaults]\ntimeout = \"0.5s\"\n", "defaults.timeout", 2);
}

#[test]
fn a_bad_default_is_reported_once_not_per_feed() {
    let text = feed(&format!(
        "[defaults]\ninterval = \"often\"\n[[feeds]]\n{URL_AND_CHANNEL}[[feeds]]\nname = \"b\"\n{URL_AND_CHANNEL}"
    ));
    only_problem(&text, "defaults.interval", 4);
}

#[test]
fn an_interval_under_a_second_is_an_error() {
    let problem = only_problem(
        &feed(&format!(
            "[[feeds]]\n{URL_AND_CHANNEL}interval = \"500ms\"\n"
        )),
        "feeds[0].interval",
        6,
    );
    assert!(problem.message.contains("minimum is 1s"), "{problem}");
}

#[test]
fn polling_more_than_once_a_minute_warns_naming_the_feed() {
    let config = valid(&feed(&format!(
        "[[feeds]]\nname = \"busy\"\n{URL_AND_CHANNEL}interval = \"10s\"\n\
         [[feeds]]\nname = \"cron\"\n{URL_AND_CHANNEL}schedule = \"*/15 * * * * *\"\n"
    )));
    assert_eq!(config.warnings.len(), 2, "{:?}", config.warnings);
    assert!(
        config.warnings[0].contains(":7: feeds[0].interval: feed \"busy\" is polled every 10s")
    );
    assert!(config.warnings[0].contains("impolite to most hosts"));
    assert!(
        config.warnings[1].contains("feed \"cron\""),
        "{}",
        config.warnings[1]
    );
}

#[test]
fn a_missing_channel_is_reported_at_its_line() {
    let problem = only_problem(
        &feed("[[feeds]]\nurl = \"https://a.example/\"\nchannels = [\"terminal\",\n  \"ops\"]\n"),
        "feeds[0].channels",
        6,
    );
    assert_eq!(
        problem.message,
        "channel \"ops\" is not defined; defined channels: terminal"
    );
}

#[test]
fn a_channel_listed_twice_is_an_error() {
    only_problem(
        &feed("[[feeds]]\nurl = \"https://a.example/\"\nchannels = [\"terminal\", \"terminal\"]\n"),
        "feeds[0].channels",
        5,
    );
}

#[test]
fn a_feed_needs_a_url_and_channels() {
    let found = problems(&feed(
        "[[feeds]]\nname = \"x\"\n[[feeds]]\nurl = \"https://a.example/\"\nchannels = []\n",
    ));
    let keys: Vec<_> = found.iter().map(|p| (p.key.as_str(), p.line)).collect();
    assert_eq!(
        keys,
        [
            ("feeds[0].channels", Some(3)),
            ("feeds[0].url", Some(3)),
            ("feeds[1].channels", Some(7))
        ]
    );
}

#[test]
fn a_bad_feed_url_is_reported_with_the_reason_and_without_the_url() {
    let problem = only_problem(
        &feed(
            "[[feeds]]\nurl = \"feeds.example/rss?apikey=pa55word\"\nchannels = [\"terminal\"]\n",
        ),
        "feeds[0].url",
        4,
    );
    assert!(
        problem
            .message
            .starts_with("invalid feed URL: not a valid URL"),
        "{problem}"
    );
    assert!(!problem.message.contains("pa55word"), "{problem}");
}

#[test]
fn two_feeds_with_one_identity_are_an_error() {
    let text = feed(&format!(
        "[[feeds]]\nname = \"news\"\n{URL_AND_CHANNEL}[[feeds]]\nname = \"news\"\nurl = \"https://b.example/\"\nchannels = [\"terminal\"]\n"
    ));
    let problem = only_problem(&text, "feeds[1].name", 8);
    assert!(
        problem
            .message
            .contains("already defined by feeds[0] (line 4)"),
        "{problem}"
    );
    // Without names the normalised URL is the identity.
    let text = feed(&format!(
        "[[feeds]]\n{URL_AND_CHANNEL}[[feeds]]\nurl = \"HTTPS://A.example\"\nchannels = [\"terminal\"]\n"
    ));
    only_problem(&text, "feeds[1].url", 7);
}

#[test]
fn find_feed_matches_a_name_or_a_url() {
    let config = valid(&feed(&format!(
        "[[feeds]]\nname = \"news\"\n{URL_AND_CHANNEL}"
    )));
    assert!(config.find_feed("news").is_some());
    assert!(config.find_feed("https://a.example").is_some());
    assert!(config.find_feed("other").is_none());
}

#[test]
fn feeds_told_apart_only_by_their_query_values_get_a_warning() {
    let feed = |url: &str| format!("[[feeds]]\nurl = \"{url}\"\nchannels = [\"terminal\"]\n");
    let config = valid(&with_console(&format!(
        "{}{}{}",
        feed("https://a.example/feed?apikey=one1"),
        feed("https://a.example/feed?apikey=two2"),
        feed("https://a.example/feed?apikey=three3&lang=en"),
    )));
    assert_eq!(config.warnings.len(), 1, "{:?}", config.warnings);
    let warning = &config.warnings[0];
    assert!(
        warning.contains(":7: feeds[1].url: this feed is shown as"),
        "{warning}"
    );
    assert!(
        warning.contains("\"https://a.example/feed?apikey=…\" like feeds[0] (line 4)"),
        "{warning}"
    );
    assert!(
        !warning.contains("one1") && !warning.contains("two2"),
        "{warning}"
    );
}

#[test]
fn a_feed_debugs_without_its_login_or_query_values() {
    let config = valid(&with_console(
        "[[feeds]]\nurl = \"https://me:pa55@a.example/feed?apikey=t0ken\"\nchannels = [\"terminal\"]\n",
    ));
    let shown = format!("{config:?}");
    assert!(
        !shown.contains("pa55") && !shown.contains("t0ken"),
        "{shown}"
    );
    assert!(shown.contains("https://a.example/feed?apikey=…"), "{shown}");
    assert_eq!(
        config.feeds[0].name,
        "https://me:pa55@a.example/feed?apikey=t0ken"
    );
}
