//! Discord's threads (`forum`, `thread_name`, `thread_id`): accepted on Discord channels only, one
//! way at a time; and `mention`, checked in each platform's own form.

use super::{only_problem, problems, valid};

const FEED_TO_OPS: &str = "\n[[feeds]]\nurl = \"https://a.example/\"\nchannels = [\"ops\"]\n";
const DISCORD_HOOK: &str = "https://discord.com/api/webhooks/123/token-abc";
const TEAMS_HOOK: &str = "https://default1234.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke?sig=x";

/// `[channels.ops]` of `kind` on line 1, its URL on line 3, then `keys` from line 4.
fn channel(kind: &str, keys: &str) -> String {
    format!("[channels.ops]\nkind = \"{kind}\"\nurl = \"{DISCORD_HOOK}\"\n{keys}{FEED_TO_OPS}")
}

/// Like [`channel`], a Teams Workflows channel.
fn teams_channel(keys: &str) -> String {
    channel("discord", keys)
        .replace(DISCORD_HOOK, TEAMS_HOOK)
        .replace("\"discord\"", "\"teams\"")
}

#[test]
fn a_forum_channel_names_each_post_after_the_entry_by_default() {
    let config = valid(&channel("discord", "forum = true\n"));
    let ops = &config.channels["ops"];
    let name = ops.options.thread_name.as_ref().expect("a thread name");
    assert_eq!(name.source(), "{{ entry.title }}");
    let url = ops.url.as_ref().expect("url").expose();
    assert_eq!(
        url.as_str(),
        DISCORD_HOOK,
        "a forum post needs no thread_id"
    );
}

#[test]
fn thread_name_is_a_template_and_implies_a_forum() {
    let config = valid(&channel(
        "discord",
        "thread_name = \"{{ feed.name }}: {{ entry.title }}\"\n",
    ));
    let name = config.channels["ops"].options.thread_name.clone();
    let name = name.expect("a thread name");
    assert_eq!(name.source(), "{{ feed.name }}: {{ entry.title }}");
    assert_eq!(name.line(), Some(4));
}

#[test]
fn thread_id_goes_into_the_webhook_query_as_a_number_or_a_string() {
    for written in [
        "thread_id = 1234567890123456789",
        "thread_id = \"1234567890123456789\"",
    ] {
        let config = valid(&channel("discord", &format!("{written}\n")));
        let ops = &config.channels["ops"];
        let url = ops.url.as_ref().expect("url").expose();
        assert_eq!(
            url.as_str(),
            format!("{DISCORD_HOOK}?thread_id=1234567890123456789"),
            "{written}"
        );
        assert_eq!(ops.options.thread_name, None);
    }
}

#[test]
fn thread_keys_on_other_kinds_are_errors_that_say_what_works_there() {
    let slack = only_problem(
        &channel("slack", "thread_name = \"x\"\n"),
        "channels.ops.thread_name",
        4,
    );
    assert!(
        slack.message.contains("only discord channels take it")
            && slack
                .message
                .contains("Slack's incoming webhooks cannot post into a thread"),
        "{slack}"
    );
    let teams = only_problem(&channel("teams", "forum = true\n"), "channels.ops.forum", 4);
    assert!(
        teams.message.contains("not supported by teams channels"),
        "{teams}"
    );
    let telegram = problems(&format!(
        "[channels.ops]\nkind = \"telegram\"\ntoken = \"123456:abcdefghijklmnopqrstuvwxyz\"\n\
         chat_id = -100123\nthread_id = 42\n{FEED_TO_OPS}"
    ));
    assert_eq!(telegram.len(), 1, "{telegram:#?}");
    assert_eq!(
        (telegram[0].key.as_str(), telegram[0].line),
        ("channels.ops.thread_id", Some(5))
    );
    assert!(
        telegram[0].message.contains("message_thread_id"),
        "{}",
        telegram[0]
    );
}

#[test]
fn a_forum_post_and_an_existing_thread_cannot_both_be_set() {
    let both = only_problem(
        &channel("discord", "forum = true\nthread_id = 42\n"),
        "channels.ops.thread_id",
        5,
    );
    assert!(both.message.contains("set one of them"), "{both}");
}

#[test]
fn thread_name_with_forum_off_is_an_error() {
    let off = only_problem(
        &channel("discord", "forum = false\nthread_name = \"x\"\n"),
        "channels.ops.forum",
        4,
    );
    assert!(
        off.message
            .contains("set forum = true, or remove thread_name"),
        "{off}"
    );
    let config = valid(&channel("discord", "forum = false\n"));
    assert_eq!(config.channels["ops"].options.thread_name, None);
}

#[test]
fn a_bad_thread_id_or_thread_name_is_explained_at_its_line() {
    let id = only_problem(
        &channel("discord", "thread_id = \"general\"\n"),
        "channels.ops.thread_id",
        4,
    );
    assert!(id.message.contains("is not a Discord thread id"), "{id}");
    let empty = only_problem(
        &channel("discord", "thread_name = \" \"\n"),
        "channels.ops.thread_name",
        4,
    );
    assert!(empty.message.contains("thread_name is empty"), "{empty}");
    let broken = only_problem(
        &channel("discord", "thread_name = \"{{ entry.title \"\n"),
        "channels.ops.thread_name",
        4,
    );
    assert!(broken.message.contains("does not compile"), "{broken}");
}

#[test]
fn mentions_are_checked_in_their_platforms_form_at_their_line() {
    let config = valid(&channel(
        "discord",
        "mention = [\"<@&123456789012345678>\"]\n",
    ));
    assert_eq!(
        config.channels["ops"].options.mention,
        ["<@&123456789012345678>"]
    );
    let wrong = only_problem(
        &channel("slack", "mention = [\"@here\"]\n"),
        "channels.ops.mention",
        4,
    );
    assert!(wrong.message.contains("is not a slack mention"), "{wrong}");
    let connector = only_problem(
        &channel("teams-messagecard", "mention = [\"alice@contoso.com\"]\n"),
        "channels.ops.mention",
        4,
    );
    assert!(
        connector
            .message
            .contains("only teams, slack, discord and matrix"),
        "{connector}"
    );
}

#[test]
fn teams_mentions_take_upns_and_object_ids_and_refuse_other_forms_at_their_line() {
    let users = "mention = [\"alice@contoso.com\", \"87d349ed-44d7-43e1-9a83-5f2406dee5bd\"]\n";
    let config = valid(&teams_channel(users));
    assert_eq!(
        config.channels["ops"].options.mention,
        ["alice@contoso.com", "87d349ed-44d7-43e1-9a83-5f2406dee5bd"]
    );
    let wrong = only_problem(
        &teams_channel("mention = [\"<!here>\"]\n"),
        "channels.ops.mention",
        4,
    );
    assert!(wrong.message.contains("is not a teams mention"), "{wrong}");
}
