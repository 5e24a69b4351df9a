use super::*;

#[test]
fn each_platform_takes_its_own_mention_forms() {
    for ok in [
        "<!here>",
        "<!channel>",
        "<@U024BE7LH>",
        "<@W12345>",
        "<!subteam^SAZ94GDB8>",
    ] {
        assert_eq!(mention_for(Slack, ok), Ok(()), "{ok}");
    }
    for ok in ["<@&123456789012345678>", "<@123456789012345678>"] {
        assert_eq!(mention_for(Discord, ok), Ok(()), "{ok}");
    }
    assert_eq!(mention_for(Matrix, "@alice:example.org"), Ok(()));
    assert_eq!(mention_for(Matrix, "@bob:matrix.example.org:8448"), Ok(()));
}

#[test]
fn a_mention_in_another_platforms_form_is_refused_with_the_right_forms() {
    let slack = mention_for(Slack, "@here").expect_err("not Slack's form");
    assert!(
        slack.contains("is not a slack mention; write \"<!here>\""),
        "{slack}"
    );
    for bad in [
        "<@123456789012345678>",
        "<!everyone>",
        "<@u123>",
        "<!subteam^>",
    ] {
        assert!(mention_for(Slack, bad).is_err(), "{bad}");
    }
    for bad in [
        "@everyone",
        "<@U024BE7LH>",
        "<@&12>",
        "<#123456789012345678>",
    ] {
        assert!(mention_for(Discord, bad).is_err(), "{bad}");
    }
    for bad in [
        "alice@example.org",
        "@alice",
        "@:example.org",
        "<@U024BE7LH>",
    ] {
        assert!(mention_for(Matrix, bad).is_err(), "{bad}");
    }
    assert!(mention_for(Matrix, "@alice :example.org").is_err());
}
