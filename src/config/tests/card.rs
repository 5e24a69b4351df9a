//! The card keys of `[channels.NAME]`: `title_prefix`, `hide_summary`, `max_summary_chars`.

use super::{addressing, only_problem, valid};
use crate::config::{CardOverrides, ChannelKind};

const FEED_TO_OPS: &str = "\n[[feeds]]\nurl = \"https://a.example/\"\nchannels = [\"ops\"]\n";

/// `[channels.ops]` of `kind` (a webhook kind on lines 1–3), then `keys` (from line 4), then a
/// feed using it.
fn channel(kind: ChannelKind, keys: &str) -> String {
    let address = match addressing(kind) {
        "" => "\n",
        keys => keys,
    };
    format!("[channels.ops]\nkind = \"{kind}\"\n{address}{keys}{FEED_TO_OPS}")
}

#[test]
fn every_kind_takes_the_card_keys() {
    for kind in ChannelKind::ALL {
        let config = valid(&channel(
            kind,
            "title_prefix = \"[Security] \"\nmax_summary_chars = 280\n",
        ));
        let card = &config.channels["ops"].options.card;
        assert_eq!(card.title_prefix.as_deref(), Some("[Security] "), "{kind}");
        assert_eq!(card.max_summary_chars, Some(280), "{kind}");
        assert!(!card.hide_summary, "{kind}");
    }
}

#[test]
fn hide_summary_is_a_boolean() {
    let config = valid(&channel(ChannelKind::Slack, "hide_summary = true\n"));
    assert!(config.channels["ops"].options.card.hide_summary);
    let config = valid(&channel(ChannelKind::Slack, "hide_summary = false\n"));
    assert!(config.channels["ops"].options.card.is_none());
    let problem = only_problem(
        &channel(ChannelKind::Slack, "hide_summary = \"yes\"\n"),
        "channels.ops.hide_summary",
        4,
    );
    assert!(problem.message.contains("expected a boolean"), "{problem}");
}

#[test]
fn a_channel_without_card_keys_changes_nothing() {
    let config = valid(&channel(ChannelKind::Teams, ""));
    assert_eq!(
        config.channels["ops"].options.card,
        CardOverrides::default()
    );
}

#[test]
fn max_summary_chars_is_at_least_one() {
    for value in ["0", "-5"] {
        let problem = only_problem(
            &channel(
                ChannelKind::Teams,
                &format!("max_summary_chars = {value}\n"),
            ),
            "channels.ops.max_summary_chars",
            4,
        );
        assert!(
            problem
                .message
                .starts_with(&format!("must be at least 1, not {value}")),
            "{problem}"
        );
    }
    let problem = only_problem(
        &channel(ChannelKind::Teams, "max_summary_chars = \"280\"\n"),
        "channels.ops.max_summary_chars",
        4,
    );
    assert!(problem.message.contains("expected an integer"), "{problem}");
}

#[test]
fn max_summary_chars_with_hide_summary_is_an_error() {
    let problem = only_problem(
        &channel(
            ChannelKind::Discord,
            "hide_summary = true\nmax_summary_chars = 100\n",
        ),
        "channels.ops.max_summary_chars",
        5,
    );
    assert!(problem.message.contains("no effect"), "{problem}");
}

#[test]
fn a_bad_title_prefix_is_reported_at_its_line() {
    let problem = only_problem(
        &channel(ChannelKind::Generic, "title_prefix = \"\"\n"),
        "channels.ops.title_prefix",
        4,
    );
    assert!(problem.message.contains("empty"), "{problem}");
    only_problem(
        &channel(ChannelKind::Generic, "title_prefix = \"a\\nb\"\n"),
        "channels.ops.title_prefix",
        4,
    );
}
