//! The optional channel keys (`username`, `icon_url`, `channel`, `template`, `headers`, `rate`), the
//! kinds that take them, and the warnings about retired Teams connectors.

use std::path::Path;
use std::time::Duration;

use super::{SOURCE, only_problem, problems, test_env, valid};
use crate::config::{Config, ConfigError, Template};

const FEED_TO_OPS: &str = "\n[[feeds]]\nurl = \"https://a.example/\"\nchannels = [\"ops\"]\n";

/// `[channels.ops]` on line 1, then `body` from line 2, then a feed using it.
fn channel(body: &str) -> String {
    format!("[channels.ops]\n{body}{FEED_TO_OPS}")
}

fn webhook(kind: &str, keys: &str) -> String {
    channel(&format!(
        "kind = \"{kind}\"\nurl = \"https://hooks.example/x\"\n{keys}"
    ))
}

#[test]
fn a_slack_channel_takes_a_username_an_icon_a_channel_and_a_rate() {
    let config = valid(&webhook(
        "slack",
        "username = \"Release bot\"\nicon_url = \"https://example.com/bot.png\"\n\
         channel = \"#alerts\"\nrate = \"1/s\"\n",
    ));
    let ops = &config.channels["ops"];
    assert_eq!(ops.options.username.as_deref(), Some("Release bot"));
    assert_eq!(
        ops.options.icon_url.as_deref(),
        Some("https://example.com/bot.png")
    );
    assert_eq!(ops.options.channel.as_deref(), Some("#alerts"));
    assert_eq!(ops.spacing, Some(Duration::from_secs(1)));
}

#[test]
fn discord_and_mattermost_take_their_own_options() {
    let discord = valid(&webhook(
        "discord",
        "username = \"News\"\nrate = \"30/m\"\n",
    ));
    let ops = &discord.channels["ops"];
    assert_eq!(ops.options.username.as_deref(), Some("News"));
    assert_eq!(ops.spacing, Some(Duration::from_secs(2)));
    let mattermost = valid(&webhook("mattermost", "channel = \"town-square\"\n"));
    let ops = &mattermost.channels["ops"];
    assert_eq!(ops.options.channel.as_deref(), Some("town-square"));
}

#[test]
fn an_option_on_a_kind_that_cannot_use_it_is_an_error() {
    let problem = only_problem(
        &webhook("teams", "username = \"bot\"\n"),
        "channels.ops.username",
        4,
    );
    assert_eq!(
        problem.message,
        "username is not supported by teams channels; only slack, discord, mattermost and rocketchat channels take it"
    );
    let cases = [
        (
            "discord",
            "channel = \"x\"\n",
            "channels.ops.channel",
            "channel is not supported by discord channels; only slack, mattermost and rocketchat",
        ),
        (
            "google-chat",
            "icon_url = \"https://e.com/i.png\"\n",
            "channels.ops.icon_url",
            "icon_url is not supported by google-chat channels",
        ),
        (
            "slack",
            "template = \"{}\"\n",
            "channels.ops.template",
            "template is not supported by slack channels; only generic channels take it",
        ),
        (
            "teams",
            "headers = { X-A = \"1\" }\n",
            "channels.ops.headers",
            "headers is not supported by teams channels; only generic",
        ),
    ];
    for (kind, keys, key, message) in cases {
        let problem = only_problem(&webhook(kind, keys), key, 4);
        assert!(problem.message.starts_with(message), "{problem}");
    }
    let problem = only_problem(
        &channel("kind = \"console\"\nusername = \"bot\"\n"),
        "channels.ops.username",
        3,
    );
    assert!(problem.message.contains("by console channels"), "{problem}");
}

#[test]
fn options_of_a_channel_with_an_unknown_kind_are_still_checked() {
    let found = problems(&channel(
        "kind = \"pager\"\nrate = \"fast\"\nusername = \"\"\n",
    ));
    let keys: Vec<_> = found.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "channels.ops.kind",
            "channels.ops.rate",
            "channels.ops.username"
        ]
    );
}

#[test]
fn a_bad_rate_is_explained_at_its_line() {
    let problem = only_problem(
        &webhook("slack", "rate = \"0/s\"\n"),
        "channels.ops.rate",
        4,
    );
    assert!(problem.message.contains("0 posts per period"), "{problem}");
    let console = valid(&channel("kind = \"console\"\nrate = \"5/2s\"\n"));
    assert_eq!(
        console.channels["ops"].spacing,
        Some(Duration::from_millis(400))
    );
}

#[test]
fn a_generic_channel_takes_a_template_and_headers_in_file_order() {
    let env = |name: &str| (name == "ARCHIVE_TOKEN").then(|| "tok-123".to_owned());
    let text = webhook(
        "generic",
        "template = '''\n{\"title\": {{ entry.title | tojson }}}\n'''\n\
         [channels.ops.headers]\nX-Source = \"feedhook\"\nAuthorization = \"Bearer ${ARCHIVE_TOKEN}\"\n",
    );
    let config = Config::from_toml_str(&text, Path::new(SOURCE), &env).expect("valid");
    let ops = &config.channels["ops"];
    assert_eq!(
        ops.options.template.as_ref().map(Template::source),
        Some("{\"title\": {{ entry.title | tojson }}}\n")
    );
    let headers: Vec<_> = ops
        .headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str(),
                v.to_str().expect("visible ASCII"),
                v.is_sensitive(),
            )
        })
        .collect();
    assert_eq!(
        headers,
        [
            ("x-source", "feedhook", true),
            ("authorization", "Bearer tok-123", true)
        ]
    );
    assert!(!format!("{ops:?}").contains("tok-123"), "{ops:?}");
}

#[test]
fn a_template_syntax_error_names_the_key_and_the_template_line() {
    let problem = only_problem(
        &webhook(
            "generic",
            "template = '''\n{\n  \"title\": {{ entry.title }\n}'''\n",
        ),
        "channels.ops.template",
        4,
    );
    assert!(
        problem
            .message
            .starts_with("the template does not compile: syntax error at line 2 of the template: "),
        "{problem}"
    );
}

#[test]
fn a_header_problem_names_the_header_and_its_line() {
    let text = webhook(
        "generic",
        "[channels.ops.headers]\nX-Ok = \"1\"\nHost = \"evil.example\"\nX-Token = \"${ARCHIVE_TOKEN}\"\n",
    );
    let found: Vec<_> = problems(&text)
        .into_iter()
        .map(|p| (p.key, p.line, p.message))
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1),
        ("channels.ops.headers.Host", Some(6))
    );
    assert_eq!(
        (found[1].0.as_str(), found[1].1, found[1].2.as_str()),
        (
            "channels.ops.headers.X-Token",
            Some(7),
            "environment variable ARCHIVE_TOKEN is not set"
        )
    );
}

#[test]
fn headers_must_be_a_table_of_strings() {
    let problem = only_problem(
        &webhook("generic", "headers = \"X-A: 1\"\n"),
        "channels.ops.headers",
        4,
    );
    assert!(problem.message.contains("expected a table"), "{problem}");
    only_problem(
        &webhook("generic", "headers = { X-Count = 3 }\n"),
        "channels.ops.headers",
        4,
    );
}

#[test]
fn a_messagecard_channel_warns_that_connectors_are_retired() {
    let config = valid(&webhook("teams-messagecard", ""));
    assert_eq!(
        config.warnings,
        [format!(
            "{SOURCE}:2: channels.ops.kind: Microsoft retired Office 365 connectors; \
             move to a Teams Workflows webhook (kind = \"teams\")"
        )]
    );
}

#[test]
fn a_teams_channel_on_a_connector_url_warns_without_showing_it() {
    let config = valid(&channel("kind = \"teams\"\nurl = \"${OPS_HOOK}\"\n"));
    assert_eq!(config.warnings.len(), 1, "{:?}", config.warnings);
    let warning = &config.warnings[0];
    assert!(
        warning.starts_with(&format!(
            "{SOURCE}:3: channels.ops.url: this is a legacy connector URL; "
        )),
        "{warning}"
    );
    assert!(warning.contains("powerplatform.com"), "{warning}");
    assert!(
        !warning.contains("secret-token") && !warning.contains("example.webhook"),
        "{warning}"
    );
    let old = valid(&channel(
        "kind = \"teams\"\nurl = \"https://outlook.office.com/webhook/abc\"\n",
    ));
    assert_eq!(old.warnings.len(), 1, "{:?}", old.warnings);
}

#[test]
fn a_teams_channel_on_a_first_shape_workflows_url_warns_with_the_line() {
    let url = "https://prod-01.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=secret-sig";
    let config = valid(&webhook("teams", "").replace("https://hooks.example/x", url));
    assert_eq!(config.warnings.len(), 1, "{:?}", config.warnings);
    let warning = &config.warnings[0];
    assert!(
        warning.starts_with(&format!(
            "{SOURCE}:3: channels.ops.url: Power Automate stopped serving Workflows URLs on \
             logic.azure.com on 30 November 2025: copy the new URL from the flow's trigger"
        )),
        "{warning}"
    );
    assert!(!warning.contains("secret-sig"), "{warning}");
}

#[test]
fn a_generic_channel_on_a_logic_apps_url_has_no_warning() {
    // Azure Logic Apps still serve this shape; only Power Automate's Teams flows moved.
    let url = "https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=x";
    let config = valid(&webhook("generic", "").replace("https://hooks.example/x", url));
    assert!(config.warnings.is_empty(), "{:?}", config.warnings);
}

#[test]
fn a_teams_channel_on_a_current_workflows_url_has_no_warning() {
    for url in [
        "https://default1234.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke?sig=x",
        "https://example.com/webhook.office.com",
    ] {
        let config = valid(&webhook("teams", "").replace("https://hooks.example/x", url));
        assert!(config.warnings.is_empty(), "{url}: {:?}", config.warnings);
    }
}

#[test]
fn header_values_and_urls_never_appear_in_errors_or_warnings() {
    let env = |name: &str| match name {
        "BAD_TOKEN" => Some("secret-value\r\nX-Injected: 1".to_owned()),
        "GOOD_TOKEN" => Some("secret-good".to_owned()),
        other => test_env(other),
    };
    let text = "[channels.archive]\nkind = \"generic\"\nurl = \"https://hooks.example/secret-path\"\n\
                [channels.archive.headers]\nAuthorization = \"${BAD_TOKEN}\"\nX-Key = \"secret-literal\\u007f\"\n\
                X-Good = \"${GOOD_TOKEN}\"\nX-Gone = \"secret-${MISSING}\"\n\
                [channels.ops]\nkind = \"teams\"\nurl = \"${OPS_HOOK}\"\n\
                [channels.old]\nkind = \"teams-messagecard\"\nurl = \"https://x.webhook.office.com/secret-mc\"\n";
    let error = Config::from_toml_str(text, Path::new(SOURCE), &env).expect_err("bad headers");
    let ConfigError::Invalid(found) = &error else {
        panic!("{error}")
    };
    assert_eq!(found.len(), 3, "{error}");
    assert!(!error.to_string().contains("secret"), "{error}");
    let valid_text = text
        .replace("${BAD_TOKEN}", "${GOOD_TOKEN}")
        .replace("secret-literal\\u007f", "${GOOD_TOKEN}")
        .replace("secret-${MISSING}", "${GOOD_TOKEN}");
    let config = Config::from_toml_str(&valid_text, Path::new(SOURCE), &env).expect("valid");
    let shown = config.warnings.join("\n");
    assert!(shown.contains("legacy connector URL"), "{shown}");
    assert!(shown.contains("retired Office 365 connectors"), "{shown}");
    assert!(!shown.contains("secret"), "{shown}");
}
