//! A feed's `mention = { CHANNEL = […] }`: checked against the channels it names, with the
//! problem's key and line, and handed to those channels for the feed's posts.

use super::{only_problem, valid};

const CHANNELS: &str = "\
[channels.ops]
kind = \"slack\"
url = \"https://hooks.slack.com/services/T000/B000/XXXX\"
mention = [\"<!channel>\"]

[channels.old]
kind = \"teams-messagecard\"
url = \"https://example.webhook.office.com/webhookb2/secret-token\"

[channels.team]
kind = \"teams\"
url = \"https://default1234.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke?sig=x\"
";

/// [`CHANNELS`] (12 lines), then a feed posting to ops and team with `mention` on line 18.
fn feed_mentioning(mention: &str) -> String {
    format!(
        "{CHANNELS}\n[[feeds]]\nname = \"releases\"\nurl = \"https://a.example/\"\nchannels = [\"ops\", \"team\"]\nmention = {mention}\n\n[[feeds]]\nname = \"blog\"\nurl = \"https://b.example/\"\nchannels = [\"ops\", \"old\"]\n"
    )
}

#[test]
fn a_feed_overrides_its_channels_mentions_by_channel_name() {
    let config = valid(&feed_mentioning(
        "{ ops = [\"<!here>\"], team = [\"alice@contoso.com\"] }",
    ));
    let releases = &config.feeds[0];
    assert_eq!(releases.mention["ops"], ["<!here>"]);
    let ops = &config.channels["ops"].options;
    assert_eq!(ops.mention, ["<!channel>"], "the channel's own list stays");
    assert_eq!(ops.feed_mention["releases"], ["<!here>"]);
    assert_eq!(ops.for_feeds(["releases"]).mention, ["<!here>"]);
    assert_eq!(ops.for_feeds(["blog"]).mention, ["<!channel>"]);
    assert_eq!(
        ops.for_feeds(["releases", "blog", "releases"]).mention,
        ["<!here>", "<!channel>"],
        "a digest of both feeds pings both, each once"
    );
    let team = &config.channels["team"].options;
    assert_eq!(team.for_feeds(["releases"]).mention, ["alice@contoso.com"]);
    assert!(team.for_feeds(["blog"]).mention.is_empty());
}

#[test]
fn an_empty_list_keeps_a_feed_quiet_on_a_channel_that_pings() {
    let config = valid(&feed_mentioning("{ ops = [] }"));
    let ops = &config.channels["ops"].options;
    assert!(ops.for_feeds(["releases"]).mention.is_empty());
    assert_eq!(ops.for_feeds(["blog"]).mention, ["<!channel>"]);
}

#[test]
fn a_mention_in_the_wrong_form_for_its_channel_is_refused_at_its_line() {
    let problem = only_problem(
        &feed_mentioning("{ team = [\"<!here>\"] }"),
        "feeds[0].mention.team",
        18,
    );
    assert!(
        problem.message.contains("is not a teams mention"),
        "{problem}"
    );
}

#[test]
fn a_channel_that_is_unknown_not_posted_to_or_cannot_mention_is_refused() {
    let unknown = only_problem(
        &feed_mentioning("{ nope = [\"<!here>\"] }"),
        "feeds[0].mention.nope",
        18,
    );
    assert!(
        unknown.message.contains("\"nope\" is not defined"),
        "{unknown}"
    );
    let elsewhere = only_problem(
        &feed_mentioning("{ old = [\"alice@contoso.com\"] }"),
        "feeds[0].mention.old",
        18,
    );
    assert!(
        elsewhere
            .message
            .contains("this feed does not post to channel \"old\""),
        "{elsewhere}"
    );
    let text = feed_mentioning("{}").replace(
        "channels = [\"ops\", \"old\"]\n",
        "channels = [\"ops\", \"old\"]\nmention = { old = [\"alice@contoso.com\"] }\n",
    );
    let connector = only_problem(&text, "feeds[1].mention.old", 24);
    assert!(
        connector
            .message
            .contains("\"old\" is a teams-messagecard channel, which cannot mention anyone"),
        "{connector}"
    );
}

#[test]
fn defaults_take_no_mention() {
    let text = format!(
        "[defaults]\nmention = {{ ops = [] }}\n{}",
        feed_mentioning("{}")
    );
    let problem = only_problem(&text, "defaults.mention", 2);
    assert!(problem.message.contains("mention"), "{problem}");
}

#[test]
fn a_digest_channel_pings_at_most_the_limit_across_its_feeds() {
    let users = |from: usize| {
        let list: Vec<String> = (from..from + 6)
            .map(|n| format!("\"user{n}@contoso.com\""))
            .collect();
        format!("[{}]", list.join(", "))
    };
    let text = format!(
        "{}\n[[feeds]]\nname = \"third\"\nurl = \"https://c.example/\"\nchannels = [\"team\"]\nmention = {{ team = {} }}\n",
        feed_mentioning(&format!("{{ team = {} }}", users(0))),
        users(6)
    )
    .replace("kind = \"teams\"\n", "kind = \"teams\"\ndigest = \"1h\"\n");
    let problem = only_problem(&text, "feeds[2].mention", 30);
    assert!(
        problem
            .message
            .contains("they come to 12 different mentions; the most is 10"),
        "{problem}"
    );
    let fits = text.replace(&users(6), &users(2));
    valid(&fits);
}
