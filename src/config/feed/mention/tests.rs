use super::*;

fn list(mentions: &[&str]) -> Vec<Spanned<String>> {
    mentions
        .iter()
        .map(|m| Spanned::new(0..0, (*m).to_owned()))
        .collect()
}

fn kinds() -> ChannelKinds<'static> {
    BTreeMap::from([
        ("ops", Some(ChannelKind::Slack)),
        ("team", Some(ChannelKind::Teams)),
        ("old", Some(ChannelKind::TeamsMessageCard)),
        ("broken", None),
    ])
}

fn subscribed() -> Vec<String> {
    ["ops", "team", "old", "broken"].map(str::to_owned).to_vec()
}

#[test]
fn an_override_is_checked_in_its_channels_form() {
    let found = override_for(
        "team",
        &list(&["alice@contoso.com"]),
        &subscribed(),
        &kinds(),
    );
    assert_eq!(found, Ok(vec!["alice@contoso.com".to_owned()]));
    assert_eq!(
        override_for("ops", &[], &subscribed(), &kinds()),
        Ok(Vec::new()),
        "an empty list silences the feed there"
    );
    let Err(Wrong::Mention(message)) = override_for(
        "ops",
        &list(&["alice@contoso.com"]),
        &subscribed(),
        &kinds(),
    ) else {
        panic!("Slack does not take a UPN");
    };
    assert!(message.contains("is not a slack mention"), "{message}");
}

#[test]
fn a_channel_of_unknown_kind_is_checked_for_spaces_only() {
    let found = override_for("broken", &list(&["anything"]), &subscribed(), &kinds());
    assert_eq!(found, Ok(vec!["anything".to_owned()]));
}

#[test]
fn the_channel_must_exist_be_subscribed_and_take_mentions() {
    let wrong = |name: &str, subscribed: &[String]| match override_for(
        name,
        &list(&["<!here>"]),
        subscribed,
        &kinds(),
    ) {
        Err(Wrong::Channel(message)) => message,
        other => panic!("{other:?}"),
    };
    assert!(wrong("nope", &subscribed()).contains("\"nope\" is not defined"));
    let not_posted = wrong("ops", &["team".to_owned()]);
    assert!(
        not_posted.contains("this feed does not post to channel \"ops\""),
        "{not_posted}"
    );
    let connector = wrong("old", &subscribed());
    assert!(
        connector.contains("is a teams-messagecard channel, which cannot mention anyone"),
        "{connector}"
    );
}
