use super::*;

#[test]
fn kinds_are_listed_as_prose() {
    assert_eq!(
        listed(&[Slack, Discord, Mattermost]),
        "slack, discord and mattermost"
    );
    assert_eq!(listed(&[Slack, Mattermost]), "slack and mattermost");
    assert_eq!(listed(&[Generic]), "generic");
}

#[test]
fn usernames_are_trimmed_and_at_most_80_characters() {
    assert_eq!(
        username("  Feed bot ", Some(Slack)),
        Ok("Feed bot".to_owned())
    );
    assert_eq!(
        username(&"é".repeat(80), Some(Slack)).map(|n| n.len()),
        Ok(160)
    );
    let long = username(&"a".repeat(81), Some(Slack)).expect_err("too long");
    assert_eq!(long, "the username has 81 characters; the most is 80");
    assert!(
        username("  ", Some(Slack))
            .expect_err("empty")
            .contains("empty")
    );
}

#[test]
fn discord_refuses_its_own_names() {
    let refused = username("Discord News", Some(Discord)).expect_err("reserved");
    assert_eq!(
        refused,
        "Discord refuses webhook names containing \"discord\""
    );
    assert!(username("Clyde", Some(Discord)).is_err());
    assert!(username("Discord News", Some(Slack)).is_ok());
}

#[test]
fn icons_need_an_https_url() {
    assert_eq!(
        icon_url("https://example.com/bot.png").as_deref(),
        Ok("https://example.com/bot.png")
    );
    let plain = icon_url("http://example.com/bot.png").expect_err("http");
    assert!(plain.contains("must be an https:// URL"), "{plain}");
    let relative = icon_url("bot.png").expect_err("relative");
    assert!(
        relative.starts_with("invalid icon_url \"bot.png\": not a valid URL"),
        "{relative}"
    );
}

#[test]
fn channel_overrides_are_names_without_spaces() {
    assert_eq!(channel("town-square").as_deref(), Ok("town-square"));
    assert_eq!(channel(" #alerts ").as_deref(), Ok("#alerts"));
    assert!(channel("#").expect_err("empty").contains("empty"));
    assert!(
        channel("town square")
            .expect_err("space")
            .contains("contains a space")
    );
}
