//! `[delivery]` and the same keys per channel: defaults, overrides and bounds, each problem at its
//! key and line.

use std::time::Duration;

use super::{CONSOLE, only_problem, valid};
use crate::config::DeliveryPolicy;

const FEED: &str = "[[feeds]]\nurl = \"https://a.example/feed\"\nchannels = [\"terminal\"]\n";

#[test]
fn a_channel_without_delivery_keys_gets_the_defaults() {
    let config = valid(&format!("{CONSOLE}{FEED}"));
    let policy = config.channels["terminal"].delivery;
    assert_eq!(policy, DeliveryPolicy::default());
    assert_eq!(
        (policy.timeout, policy.max_pause, policy.suspend_after),
        (
            Duration::from_secs(30),
            Duration::from_secs(3600),
            Duration::from_secs(3600)
        )
    );
}

#[test]
fn a_channel_key_overrides_the_delivery_table() {
    let config = valid(&format!(
        "[delivery]\ntimeout = \"10s\"\nmax_pause = \"5m\"\n\
         {CONSOLE}max_pause = \"2m\"\n{FEED}"
    ));
    let policy = config.channels["terminal"].delivery;
    assert_eq!(policy.timeout, Duration::from_secs(10), "from [delivery]");
    assert_eq!(
        policy.max_pause,
        Duration::from_secs(120),
        "the channel's own"
    );
}

#[test]
fn suspend_after_is_read_from_either_table_within_its_bounds() {
    let config = valid(&format!(
        "[delivery]\nsuspend_after = \"3h\"\n{CONSOLE}{FEED}"
    ));
    let policy = config.channels["terminal"].delivery;
    assert_eq!(policy.suspend_after, Duration::from_secs(3 * 3600));
    let problem = only_problem(
        &format!("{CONSOLE}suspend_after = \"10s\"\n{FEED}"),
        "channels.terminal.suspend_after",
        3,
    );
    assert!(problem.message.contains("use from 1m to 1day"), "{problem}");
}

#[test]
fn a_zero_timeout_is_refused_at_its_line() {
    let problem = only_problem(
        &format!("{CONSOLE}timeout = \"0s\"\n{FEED}"),
        "channels.terminal.timeout",
        3,
    );
    assert!(problem.message.contains("out of range"), "{problem}");
}

#[test]
fn an_absurd_max_pause_in_the_delivery_table_is_refused_at_its_line() {
    let problem = only_problem(
        &format!("[delivery]\nmax_pause = \"99999999999s\"\n{CONSOLE}{FEED}"),
        "delivery.max_pause",
        2,
    );
    assert!(problem.message.contains("from 1s to 1day"), "{problem}");
}

#[test]
fn an_unknown_delivery_key_is_refused() {
    let problem = only_problem(
        &format!("[delivery]\nretries = 3\n{CONSOLE}{FEED}"),
        "delivery.retries",
        2,
    );
    assert!(problem.message.contains("max_pause"), "{problem}");
}
