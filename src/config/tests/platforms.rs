//! The channels addressed by more than a URL: Matrix rooms and Telegram chats, with their tokens.

use super::{only_problem, problems, valid};
use crate::config::{Address, ChannelKind, Credentials, TELEGRAM_API};

const FEED_TO_OPS: &str = "\n[[feeds]]\nurl = \"https://a.example/\"\nchannels = [\"ops\"]\n";

fn channel(body: &str) -> String {
    format!("[channels.ops]\n{body}{FEED_TO_OPS}")
}

#[test]
fn a_matrix_channel_names_its_homeserver_room_and_token() {
    let config = valid(&channel(
        "kind = \"matrix\"\nhomeserver = \"https://matrix.example.org\"\nroom = \"#ops:example.org\"\ntoken = \"syt_abc\"\n",
    ));
    let ops = &config.channels["ops"];
    assert_eq!(ops.kind, ChannelKind::Matrix);
    assert_eq!(
        ops.url.as_ref().map(|url| url.expose().as_str()),
        Some("https://matrix.example.org/")
    );
    let Address::Matrix(room) = &ops.address else {
        panic!("{:?}", ops.address);
    };
    assert_eq!(
        (room.room.as_str(), room.is_alias()),
        ("#ops:example.org", true)
    );
    assert_eq!(room.token.expose(), "syt_abc");
    assert!(!format!("{ops:?}").contains("syt_abc"));
}

#[test]
fn a_token_file_is_read_trimmed() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("token");
    std::fs::write(&file, "123456:ABC-def\n").expect("written");
    let config = valid(&channel(&format!(
        "kind = \"telegram\"\ntoken_file = \"{}\"\nchat_id = -1001234567890\n",
        file.display()
    )));
    let Address::Telegram(chat) = &config.channels["ops"].address else {
        panic!("a Telegram chat");
    };
    assert_eq!(chat.token.expose(), "123456:ABC-def");
    assert_eq!(chat.chat_id, "-1001234567890");
    assert_eq!(chat.message_thread_id, None);
    assert_eq!(
        config.channels["ops"]
            .url
            .as_ref()
            .map(|url| url.expose().as_str()),
        Some(format!("{TELEGRAM_API}/").as_str())
    );
}

#[test]
fn a_telegram_forum_topic_and_a_self_hosted_api_are_taken() {
    let config = valid(&channel(
        "kind = \"telegram\"\ntoken = \"1:a\"\nchat_id = \"@release_news\"\nmessage_thread_id = 42\napi_url = \"http://127.0.0.1:8081\"\n",
    ));
    let ops = &config.channels["ops"];
    let Address::Telegram(chat) = &ops.address else {
        panic!("a Telegram chat");
    };
    assert_eq!(
        (chat.chat_id.as_str(), chat.message_thread_id),
        ("@release_news", Some(42))
    );
    assert_eq!(
        ops.url.as_ref().map(|url| url.expose().as_str()),
        Some("http://127.0.0.1:8081/")
    );
}

#[test]
fn a_missing_room_or_chat_id_is_named_at_the_channel() {
    let problem = only_problem(
        &channel("kind = \"matrix\"\nhomeserver = \"https://m.example\"\ntoken = \"t\"\n"),
        "channels.ops.room",
        1,
    );
    assert!(problem.message.contains("missing key room"), "{problem}");
    let problem = only_problem(
        &channel("kind = \"telegram\"\ntoken = \"1:a\"\n"),
        "channels.ops.chat_id",
        1,
    );
    assert!(problem.message.contains("missing key chat_id"), "{problem}");
}

#[test]
fn a_room_or_chat_in_the_wrong_form_is_named_at_its_line() {
    let problem = only_problem(
        &channel(
            "kind = \"matrix\"\nhomeserver = \"https://m.example\"\nroom = \"ops\"\ntoken = \"t\"\n",
        ),
        "channels.ops.room",
        4,
    );
    assert!(problem.message.contains("neither a room id"), "{problem}");
    let problem = only_problem(
        &channel("kind = \"telegram\"\ntoken = \"1:a\"\nchat_id = \"my group\"\n"),
        "channels.ops.chat_id",
        4,
    );
    assert!(problem.message.contains("numeric chat id"), "{problem}");
    let problem = only_problem(
        &channel("kind = \"telegram\"\ntoken = \"1:a\"\nchat_id = 5\nmessage_thread_id = 0\n"),
        "channels.ops.message_thread_id",
        5,
    );
    assert!(problem.message.contains("forum topic"), "{problem}");
}

#[test]
fn a_key_of_another_platform_is_refused_where_it_is_written() {
    let problem = only_problem(
        &channel("kind = \"slack\"\nurl = \"https://hooks.example/x\"\nchat_id = 5\n"),
        "channels.ops.chat_id",
        4,
    );
    assert_eq!(
        problem.message,
        "chat_id is not supported by slack channels; only telegram channels take it"
    );
    let problem = only_problem(
        &channel(
            "kind = \"telegram\"\ntoken = \"1:a\"\nchat_id = 5\nurl = \"https://x.example/\"\n",
        ),
        "channels.ops.url",
        5,
    );
    assert!(problem.message.contains("takes no url"), "{problem}");
}

#[test]
fn a_bad_token_is_refused_without_being_repeated() {
    let found = problems(&channel(
        "kind = \"telegram\"\ntoken = \"not a bot token\"\nchat_id = 5\n",
    ));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (found[0].key.as_str(), found[0].line),
        ("channels.ops.token", Some(3))
    );
    assert!(
        !found[0].message.contains("not a bot token"),
        "{}",
        found[0]
    );
    let found = problems(&channel(
        "kind = \"matrix\"\nhomeserver = \"https://m.example\"\nroom = \"!r:m.example\"\ntoken = \"a\"\ntoken_file = \"/x\"\n",
    ));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].message.contains("either token or token_file"),
        "{}",
        found[0]
    );
}

#[test]
fn an_ntfy_channel_publishes_to_its_topic_with_a_token_tags_and_priority() {
    let config = valid(&channel(
        "kind = \"ntfy\"\nurl = \"https://ntfy.example.org/releases\"\ntoken = \"tk_secret\"\npriority = 4\ntags = [\"rss\", \"tada\"]\n",
    ));
    let ops = &config.channels["ops"];
    let Address::Ntfy(topic) = &ops.address else {
        panic!("{:?}", ops.address);
    };
    assert_eq!(topic.topic, "releases");
    assert!(
        matches!(&topic.auth, Some(Credentials::Bearer(token)) if token.expose() == "tk_secret")
    );
    assert_eq!(ops.options.priority, Some(4));
    assert_eq!(ops.options.tags, ["rss", "tada"]);
    assert!(!format!("{ops:?}").contains("tk_secret"));
}

#[test]
fn an_ntfy_login_is_a_username_and_a_password_file() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("password");
    std::fs::write(&file, "pa ss\n").expect("written");
    let config = valid(&channel(&format!(
        "kind = \"ntfy\"\nurl = \"https://ntfy.example.org/releases\"\nusername = \"phil\"\npassword_file = \"{}\"\n",
        file.display()
    )));
    let Address::Ntfy(topic) = &config.channels["ops"].address else {
        panic!("an ntfy topic");
    };
    let Some(Credentials::Basic { username, password }) = &topic.auth else {
        panic!("a basic login");
    };
    assert_eq!((username.as_str(), password.expose()), ("phil", "pa ss"));
    assert_eq!(config.channels["ops"].options.username, None);
    let problem = only_problem(
        &channel(
            "kind = \"ntfy\"\nurl = \"https://ntfy.example.org/releases\"\nusername = \"phil\"\n",
        ),
        "channels.ops.username",
        4,
    );
    assert!(problem.message.contains("needs password_file"), "{problem}");
}

#[test]
fn an_ntfy_url_must_name_a_topic_and_its_options_suit_no_other_kind() {
    let problem = only_problem(
        &channel("kind = \"ntfy\"\nurl = \"https://ntfy.example.org/\"\n"),
        "channels.ops.url",
        3,
    );
    assert!(problem.message.contains("topic's URL"), "{problem}");
    let problem = only_problem(
        &channel("kind = \"ntfy\"\nurl = \"https://ntfy.sh/a\"\npriority = 7\n"),
        "channels.ops.priority",
        4,
    );
    assert!(problem.message.contains("1 (min)"), "{problem}");
    let problem = only_problem(
        &channel("kind = \"slack\"\nurl = \"https://hooks.example/x\"\ntags = [\"rss\"]\n"),
        "channels.ops.tags",
        4,
    );
    assert_eq!(
        problem.message,
        "tags is not supported by slack channels; only ntfy channels take it"
    );
}

#[test]
fn rocket_chat_takes_a_webhook_and_the_poster_options() {
    let config = valid(&channel(
        "kind = \"rocketchat\"\nurl = \"https://chat.example.org/hooks/abc/def\"\nusername = \"News\"\nchannel = \"#releases\"\n",
    ));
    let ops = &config.channels["ops"];
    assert_eq!(ops.kind, ChannelKind::Rocketchat);
    assert_eq!(ops.address, Address::Webhook);
    assert_eq!(ops.options.username.as_deref(), Some("News"));
    assert_eq!(ops.options.channel.as_deref(), Some("#releases"));
}
