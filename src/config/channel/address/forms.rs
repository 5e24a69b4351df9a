//! The forms of the values that address a platform: server URLs, Matrix room ids and aliases,
//! Telegram chat ids and topics, and the tokens of each, checked before anything is sent.

use url::Url;

use crate::config::values::http_url;

/// A server's base URL: http(s), no query, no login (the token is the credential).
pub(super) fn server_url(text: &str, key: &str) -> Result<Url, String> {
    let url = http_url(text).map_err(|reason| format!("invalid {key}: {reason}"))?;
    if url.query().is_some() || !url.username().is_empty() {
        return Err(format!(
            "{key} is the server's address only, without a login or a query"
        ));
    }
    Ok(url)
}

/// `!opaque:server` or `#alias:server` (the Matrix appendices, "Room IDs" and "Room aliases").
pub(super) fn room(text: &str) -> Result<String, String> {
    let text = text.trim();
    let well_formed = text.starts_with(['!', '#'])
        && text
            .split_once(':')
            .is_some_and(|(local, server)| local.len() > 1 && !server.is_empty())
        && !text.contains(char::is_whitespace);
    if !well_formed {
        return Err(format!(
            "room {text:?} is neither a room id (\"!abcdef:example.org\") nor an alias \
             (\"#ops:example.org\")"
        ));
    }
    Ok(text.to_owned())
}

/// A numeric id (a group's is negative) or a public channel's `@username`.
pub(super) fn chat_id(text: &str) -> Result<String, String> {
    let text = text.trim();
    let numeric = text
        .strip_prefix('-')
        .unwrap_or(text)
        .parse::<u64>()
        .is_ok_and(|id| id > 0);
    let username = text.strip_prefix('@').is_some_and(|name| {
        name.len() >= 4 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    });
    if !numeric && !username {
        return Err(format!(
            "chat_id {text:?} is neither a numeric chat id (\"-1001234567890\") nor a public \
             channel's \"@username\""
        ));
    }
    Ok(text.to_owned())
}

pub(super) fn message_thread_id(id: i64) -> Result<i64, String> {
    if id < 1 {
        return Err(format!(
            "message_thread_id {id} is not a forum topic's id (a positive number)"
        ));
    }
    Ok(id)
}

/// Sent as `Authorization: Bearer …`: visible ASCII without spaces.
pub(super) fn matrix_token(token: &str) -> Result<(), String> {
    if token.is_empty() || !token.chars().all(|c| c.is_ascii_graphic()) {
        return Err(
            "the access token is empty or not valid in an HTTP header (visible ASCII characters \
             without spaces only)"
                .to_owned(),
        );
    }
    Ok(())
}

/// `123456789:AA…` as @BotFather gives it; it is sent in the URL's path, so nothing there may
/// end or escape a path segment.
pub(super) fn telegram_token(token: &str) -> Result<(), String> {
    let well_formed = token.split_once(':').is_some_and(|(bot, secret)| {
        !bot.is_empty()
            && bot.chars().all(|c| c.is_ascii_digit())
            && !secret.is_empty()
            && secret
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    });
    if !well_formed {
        return Err(
            "the bot token does not look like one from @BotFather (digits, a colon, then letters, \
             digits, - and _)"
                .to_owned(),
        );
    }
    Ok(())
}
