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

#[test]
fn teams_takes_a_users_upn_or_entra_object_id() {
    for ok in [
        "alice@contoso.com",
        "first_last@contoso.onmicrosoft.com",
        "o'neil@sub.example.co.uk",
        "87d349ed-44d7-43e1-9a83-5f2406dee5bd",
        "87D349ED-44D7-43E1-9A83-5F2406DEE5BD",
    ] {
        assert_eq!(mention_for(Teams, ok), Ok(()), "{ok}");
    }
}

#[test]
fn teams_refuses_anything_but_a_user_with_both_forms_named() {
    let here = mention_for(Teams, "<!here>").expect_err("not a Teams user");
    assert!(
        here.contains(
            "is not a teams mention; write a user's UPN \"alice@contoso.com\" or Entra object id"
        ),
        "{here}"
    );
    for bad in [
        "alice",
        "alice@localhost",
        "@alice:example.org",
        "<at>alice@contoso.com</at>",
        "alice\"@contoso.com",
        "alice@contoso..com",
        "alice@-contoso.com",
        "87d349ed-44d7-43e1-9a83-5f2406dee5b",
        "87d349ed44d743e19a835f2406dee5bd",
        "87d349ed-44d7-43e1-9a83-5f2406dee5bg",
    ] {
        assert!(mention_for(Teams, bad).is_err(), "{bad}");
    }
}
