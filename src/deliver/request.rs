//! The HTTP request of one post, as each platform's API wants it: a webhook takes the payload
//! as it is; a Matrix room an event `PUT` under a transaction id with the access token as a
//! bearer token; a Telegram chat a `sendMessage` call, the bot token in the URL's path, the chat
//! in the body; an ntfy topic a JSON publish to its server's root, the topic in the body, with a
//! bearer token or basic login if set. Only [`super::post::Poster`] sends these, and nothing prints them: their URLs and
//! headers hold the channel's secrets.

use reqwest::Method;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde_json::{Value, json};
use url::Url;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::config::{
    Address, ChannelKind, Credentials, MatrixRoom, NtfyTopic, Secret, SecretUrl, TelegramChat,
};
use crate::render::Payload;

/// One request, ready to send.
pub struct Request {
    pub method: Method,
    pub url: Url,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// The request that posts `payload` to a channel of `kind` at `url` and `address`. `room_id` is
/// the Matrix room's id (its alias resolved); `delivery_key` names the delivery across retries.
#[must_use]
pub fn post_request(
    kind: ChannelKind,
    (url, address): (&SecretUrl, &Address),
    room_id: &str,
    extra: &HeaderMap,
    delivery_key: &str,
    payload: &Payload,
) -> Request {
    match address {
        Address::Matrix(room) => matrix_send(url.expose(), room, room_id, delivery_key, payload),
        Address::Telegram(chat) => telegram_send(url.expose(), chat, payload),
        Address::Ntfy(topic) => ntfy_publish(url.expose(), topic, payload),
        // An email channel has a target of its own and never comes here.
        Address::Webhook | Address::Workflow(_) | Address::Email(_) => Request {
            method: Method::POST,
            url: url.expose().clone(),
            headers: request_headers(kind, extra, delivery_key),
            body: payload.to_bytes(),
        },
    }
}

/// JSON content type, the channel's own headers (parsed and marked sensitive by the config; they
/// replace ours of the same name), and for generic webhooks an `Idempotency-Key` that stays the
/// same across retries of one delivery, so a receiver can drop the repeat after a crash.
#[must_use]
pub fn request_headers(kind: ChannelKind, extra: &HeaderMap, delivery_key: &str) -> HeaderMap {
    let mut headers = json_headers();
    if kind == ChannelKind::Generic
        && let Ok(value) = HeaderValue::from_str(delivery_key)
    {
        headers.insert(HeaderName::from_static("idempotency-key"), value);
    }
    headers.extend(extra.clone());
    headers
}

/// `PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}`. The transaction id is the
/// delivery's key, the same on every retry of one entry to one channel: a homeserver that already
/// took it answers with the first event's id instead of posting again.
/// <https://spec.matrix.org/v1.11/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid>
fn matrix_send(
    homeserver: &Url,
    room: &MatrixRoom,
    room_id: &str,
    delivery_key: &str,
    payload: &Payload,
) -> Request {
    let path = [
        "_matrix",
        "client",
        "v3",
        "rooms",
        room_id,
        "send",
        "m.room.message",
        delivery_key,
    ];
    Request {
        method: Method::PUT,
        url: under(homeserver, &path),
        headers: bearer_json_headers(&room.token),
        body: payload.to_bytes(),
    }
}

/// `GET /_matrix/client/v3/directory/room/{roomAlias}`: the room id an alias points to.
/// <https://spec.matrix.org/v1.11/client-server-api/#get_matrixclientv3directoryroomroomalias>
#[must_use]
pub fn matrix_alias_lookup(homeserver: &Url, room: &MatrixRoom) -> Request {
    let path = ["_matrix", "client", "v3", "directory", "room", &room.room];
    Request {
        method: Method::GET,
        url: under(homeserver, &path),
        headers: bearer_json_headers(&room.token),
        body: Vec::new(),
    }
}

/// The `room_id` of a directory answer's body.
#[must_use]
pub fn room_id_of(body: &str) -> Option<String> {
    let value: Value = serde_json::from_str(body).ok()?;
    let id = value.get("room_id")?.as_str()?;
    id.starts_with('!').then(|| id.to_owned())
}

/// `POST {api}/bot{token}/sendMessage` with the rendered message, its `chat_id` and topic added.
/// <https://core.telegram.org/bots/api#making-requests>
fn telegram_send(api: &Url, chat: &TelegramChat, payload: &Payload) -> Request {
    let method = format!("bot{}", chat.token.expose());
    let mut body = json_body(payload);
    body["chat_id"] = json!(chat.chat_id);
    if let Some(thread) = chat.message_thread_id {
        body["message_thread_id"] = json!(thread);
    }
    Request {
        method: Method::POST,
        url: under(api, &[&method, "sendMessage"]),
        headers: json_headers(),
        body: body.to_string().into_bytes(),
    }
}

/// `POST` to the server's root with the topic in the JSON body: ntfy's JSON publishing, which
/// takes every field (title, click, tags, priority) without header encoding.
/// <https://docs.ntfy.sh/publish/#publish-as-json>
fn ntfy_publish(topic_url: &Url, topic: &NtfyTopic, payload: &Payload) -> Request {
    let mut root = topic_url.clone();
    if let Ok(mut path) = root.path_segments_mut() {
        path.pop().push("");
    }
    let mut body = json_body(payload);
    body["topic"] = json!(topic.topic);
    let mut headers = json_headers();
    let login = match &topic.auth {
        Some(Credentials::Bearer(token)) => Some(format!("Bearer {}", token.expose())),
        Some(Credentials::Basic { username, password }) => {
            let pair = format!("{username}:{}", password.expose());
            Some(format!("Basic {}", STANDARD.encode(pair)))
        }
        None => None,
    };
    if let Some(Ok(mut value)) = login.map(|login| HeaderValue::from_str(&login)) {
        value.set_sensitive(true);
        headers.insert(AUTHORIZATION, value);
    }
    Request {
        method: Method::POST,
        url: root,
        headers,
        body: body.to_string().into_bytes(),
    }
}

/// A JSON payload to add fields to; text becomes a JSON object's `text`.
fn json_body(payload: &Payload) -> Value {
    match payload {
        Payload::Json(value) => value.clone(),
        Payload::Text(text) | Payload::Body(text) => json!({ "text": text }),
        Payload::Email(parts) => json!({ "text": parts.text }),
    }
}

/// `base` with `segments` appended to its path, each percent-encoded as one segment.
fn under(base: &Url, segments: &[&str]) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}

fn json_headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers
}

fn bearer_json_headers(token: &Secret) -> HeaderMap {
    let mut headers = json_headers();
    // The config accepts only tokens that make a valid header value.
    if let Ok(mut value) = HeaderValue::from_str(&format!("Bearer {}", token.expose())) {
        value.set_sensitive(true);
        headers.insert(AUTHORIZATION, value);
    }
    headers
}

#[cfg(test)]
mod tests;
