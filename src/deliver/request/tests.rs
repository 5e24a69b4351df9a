use super::*;

fn channel_headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    pairs
        .iter()
        .map(|(name, value)| {
            let mut value = HeaderValue::from_static(value);
            value.set_sensitive(true);
            (HeaderName::from_static(name), value)
        })
        .collect()
}

#[test]
fn a_generic_post_carries_its_key_and_the_channels_own_headers() {
    let own = channel_headers(&[
        ("x-token", "abc"),
        ("content-type", "application/cloudevents+json"),
    ]);
    let headers = request_headers(ChannelKind::Generic, &own, "feedhook-ops-7");
    assert_eq!(headers["idempotency-key"], "feedhook-ops-7");
    assert_eq!(headers["x-token"], "abc");
    assert!(headers["x-token"].is_sensitive());
    assert_eq!(
        headers.get_all(CONTENT_TYPE).iter().collect::<Vec<_>>(),
        ["application/cloudevents+json"],
        "the channel's header replaces ours"
    );
}

#[test]
fn other_kinds_post_json_without_an_idempotency_key() {
    let headers = request_headers(ChannelKind::Slack, &HeaderMap::new(), "feedhook-ops-7");
    assert_eq!(headers[CONTENT_TYPE], "application/json");
    assert!(!headers.contains_key("idempotency-key"));
}

fn secret_url(text: &str) -> SecretUrl {
    SecretUrl::new(Url::parse(text).expect("a URL"))
}

fn payload() -> Payload {
    Payload::Json(json!({ "text": "<b>hi</b>", "parse_mode": "HTML" }))
}

fn matrix_room(room: &str) -> Address {
    Address::Matrix(MatrixRoom {
        room: room.into(),
        token: Secret::new("syt_secret".into()),
    })
}

#[test]
fn a_matrix_event_is_put_under_the_deliverys_transaction_id_with_a_bearer_token() {
    let homeserver = secret_url("https://matrix.example.org");
    let address = matrix_room("!abc:example.org");
    let request = post_request(
        ChannelKind::Matrix,
        (&homeserver, &address),
        "!abc:example.org",
        &HeaderMap::new(),
        "feedhook-ops-7",
        &payload(),
    );
    assert_eq!(request.method, Method::PUT);
    assert_eq!(
        request.url.as_str(),
        "https://matrix.example.org/_matrix/client/v3/rooms/!abc:example.org/send/m.room.message/feedhook-ops-7"
    );
    assert_eq!(request.headers[AUTHORIZATION], "Bearer syt_secret");
    assert!(request.headers[AUTHORIZATION].is_sensitive());
}

#[test]
fn an_alias_is_looked_up_in_the_room_directory_percent_encoded() {
    let MatrixRoom { room, token } = MatrixRoom {
        room: "#ops:example.org".into(),
        token: Secret::new("t".into()),
    };
    let request = matrix_alias_lookup(
        &Url::parse("https://m.example/base/").expect("a URL"),
        &MatrixRoom { room, token },
    );
    assert_eq!(request.method, Method::GET);
    assert_eq!(
        request.url.as_str(),
        "https://m.example/base/_matrix/client/v3/directory/room/%23ops:example.org"
    );
    assert_eq!(
        room_id_of(r#"{"room_id":"!xyz:example.org","servers":["example.org"]}"#),
        Some("!xyz:example.org".to_owned())
    );
    assert_eq!(room_id_of(r#"{"errcode":"M_NOT_FOUND"}"#), None);
}

#[test]
fn a_telegram_message_names_the_chat_and_topic_and_carries_the_token_in_the_path_only() {
    let api = secret_url("https://api.telegram.org");
    let address = Address::Telegram(TelegramChat {
        chat_id: "-1001234567890".into(),
        message_thread_id: Some(42),
        token: Secret::new("123456:ABC-def".into()),
    });
    let request = post_request(
        ChannelKind::Telegram,
        (&api, &address),
        "",
        &HeaderMap::new(),
        "feedhook-tg-1",
        &payload(),
    );
    assert_eq!(request.method, Method::POST);
    assert_eq!(
        request.url.as_str(),
        "https://api.telegram.org/bot123456:ABC-def/sendMessage"
    );
    let body: Value = serde_json::from_slice(&request.body).expect("JSON");
    assert_eq!(
        body,
        json!({
            "text": "<b>hi</b>", "parse_mode": "HTML",
            "chat_id": "-1001234567890", "message_thread_id": 42,
        })
    );
    assert!(!request.headers.contains_key(AUTHORIZATION));
}

#[test]
fn an_ntfy_message_is_published_at_the_servers_root_with_its_topic_and_login() {
    let topic_url = secret_url("https://push.example.org/ntfy/releases");
    let address = Address::Ntfy(NtfyTopic {
        topic: "releases".into(),
        auth: Some(Credentials::Basic {
            username: "phil".into(),
            password: Secret::new("pass".into()),
        }),
    });
    let request = post_request(
        ChannelKind::Ntfy,
        (&topic_url, &address),
        "",
        &HeaderMap::new(),
        "feedhook-phone-1",
        &Payload::Json(json!({ "title": "t", "message": "m" })),
    );
    assert_eq!(request.url.as_str(), "https://push.example.org/ntfy/");
    let body: Value = serde_json::from_slice(&request.body).expect("JSON");
    assert_eq!(
        body,
        json!({ "title": "t", "message": "m", "topic": "releases" })
    );
    assert_eq!(request.headers[AUTHORIZATION], "Basic cGhpbDpwYXNz");
    assert!(request.headers[AUTHORIZATION].is_sensitive());
}
