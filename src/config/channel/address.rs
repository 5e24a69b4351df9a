//! How a channel reaches a platform that one webhook URL does not address: a Matrix room on a
//! homeserver (`homeserver`, `room`), a Telegram chat through a bot (`chat_id`,
//! `message_thread_id`, `api_url`), each with an access token (`token` or `token_file`), and an
//! ntfy topic (its `url`, with an optional `token` or `username` and `password_file`, in
//! [`ntfy`]). Tokens and passwords are secrets from the moment they are read: no message here
//! repeats one. The forms of the values are checked in [`forms`].

mod forms;
mod ntfy;

use std::ops::Range;

use toml::Spanned;
use url::Url;

use super::kind::ChannelKind::{self, Matrix, Ntfy, Telegram};
use super::options::listed;
use crate::config::Credentials;
use crate::config::context::Context;
use crate::config::raw::ChannelRaw;
use crate::config::report::{Report, key_path};
use crate::config::secret::{Secret, SecretUrl, read_secret};
use forms::{chat_id, matrix_token, message_thread_id, room, server_url, telegram_token};

/// The Bot API server a Telegram channel uses unless `api_url` names a self-hosted one.
pub const TELEGRAM_API: &str = "https://api.telegram.org";

/// Where a channel's posts go besides its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// The channel's `url` is the whole address (webhooks), or it has none (the console).
    Webhook,
    /// A Matrix room; the channel's URL is the homeserver.
    Matrix(MatrixRoom),
    /// A Telegram chat; the channel's URL is the Bot API server.
    Telegram(TelegramChat),
    /// An ntfy topic; the channel's URL is the topic's.
    Ntfy(NtfyTopic),
    /// An email channel's relay, login, sender and recipients; the channel's URL is the relay.
    Email(super::email::EmailSettings),
    /// A Teams workflow restricted to the tenant: the channel's URL is the webhook, and each post
    /// carries a token of this Entra ID app.
    Workflow(super::entra::EntraApp),
}

/// An ntfy topic and how to log in to its server, if it needs that.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NtfyTopic {
    /// The topic, the last segment of its URL; messages are published to the server's root.
    pub topic: String,
    pub auth: Option<Credentials>,
}

/// A Matrix room and the access token that posts to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixRoom {
    /// A room id (`!abc:example.org`) or an alias (`#ops:example.org`), resolved once.
    pub room: String,
    pub token: Secret,
}

impl MatrixRoom {
    /// Whether `room` is an alias, which the homeserver turns into a room id.
    #[must_use]
    pub fn is_alias(&self) -> bool {
        self.room.starts_with('#')
    }
}

/// A Telegram chat, optionally one topic of a forum supergroup, and the bot that posts to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelegramChat {
    /// A numeric chat id (`-1001234567890`) or a public channel's `@username`.
    pub chat_id: String,
    pub message_thread_id: Option<i64>,
    pub token: Secret,
}

/// A key, where it is written if it is, and the kinds that take it.
type KeyUse = (&'static str, Option<Range<usize>>, &'static [ChannelKind]);

/// The keys that address a platform, each with the kinds that take it.
fn address_keys(raw: &ChannelRaw) -> [KeyUse; 8] {
    let span = |value: Option<&Spanned<String>>| value.map(Spanned::span);
    [
        ("homeserver", span(raw.homeserver.as_ref()), &[Matrix]),
        ("room", span(raw.room.as_ref()), &[Matrix]),
        ("token", span(raw.token.as_ref()), &[Matrix, Telegram, Ntfy]),
        (
            "token_file",
            span(raw.token_file.as_ref()),
            &[Matrix, Telegram, Ntfy],
        ),
        (
            "password_file",
            span(raw.password_file.as_ref()),
            &[Ntfy, ChannelKind::Email],
        ),
        (
            "chat_id",
            raw.chat_id.as_ref().map(Spanned::span),
            &[Telegram],
        ),
        (
            "message_thread_id",
            raw.message_thread_id.as_ref().map(Spanned::span),
            &[Telegram],
        ),
        ("api_url", span(raw.api_url.as_ref()), &[Telegram]),
    ]
}

/// Whether channels of `kind` are addressed by these keys rather than by a webhook URL.
#[must_use]
pub(super) fn is_addressed(kind: ChannelKind) -> bool {
    matches!(kind, Matrix | Telegram | Ntfy)
}

/// Reports each addressing key set on a kind that does not take it (`kind` unknown: none).
pub(super) fn refuse_foreign_keys(
    raw: &ChannelRaw,
    kind: Option<ChannelKind>,
    path: &str,
    report: &mut Report,
) {
    let Some(kind) = kind else { return };
    for (key, span, kinds) in address_keys(raw) {
        if let Some(span) = span.filter(|_| !kinds.contains(&kind)) {
            let message = format!(
                "{key} is not supported by {kind} channels; only {} channels take it",
                listed(kinds)
            );
            report.error(span, &key_path(path, key), message);
        }
    }
}

/// The URL and address of a channel of an addressed `kind` ([`is_addressed`]); `None` when a key
/// is missing or wrong (reported).
pub(super) fn address(
    raw: &ChannelRaw,
    kind: ChannelKind,
    path: &str,
    at: &Range<usize>,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Option<(SecretUrl, Address)> {
    if kind != Ntfy {
        refuse_url(raw, kind, path, report);
    }
    let mut table = Table {
        raw,
        path,
        at,
        ctx,
        report,
    };
    match kind {
        Matrix => table.matrix(),
        Ntfy => table.ntfy(),
        _ => table.telegram(),
    }
}

fn refuse_url(raw: &ChannelRaw, kind: ChannelKind, path: &str, report: &mut Report) {
    let instead = match kind {
        Matrix => "homeserver, room and token",
        _ => "token and chat_id (and api_url for a self-hosted Bot API server)",
    };
    for (key, value) in [("url", &raw.url), ("url_file", &raw.url_file)] {
        if let Some(value) = value {
            let message = format!("a {kind} channel takes no {key}; it is addressed by {instead}");
            report.error(value.span(), &key_path(path, key), message);
        }
    }
}

/// A problem found and already in the report.
struct Reported;

struct Table<'a, 'c> {
    raw: &'a ChannelRaw,
    path: &'a str,
    at: &'a Range<usize>,
    ctx: &'a Context<'c>,
    report: &'a mut Report,
}

impl Table<'_, '_> {
    fn matrix(&mut self) -> Option<(SecretUrl, Address)> {
        let homeserver = self.required(
            "homeserver",
            self.raw.homeserver.as_ref(),
            "the homeserver's https:// URL",
            |text| server_url(text, "homeserver"),
        );
        let room = self.required(
            "room",
            self.raw.room.as_ref(),
            "a room id such as \"!abcdef:example.org\" or an alias such as \"#ops:example.org\"",
            room,
        );
        let token = self.token(matrix_token);
        let address = Address::Matrix(MatrixRoom {
            room: room?,
            token: token?,
        });
        Some((SecretUrl::new(homeserver?), address))
    }

    fn telegram(&mut self) -> Option<(SecretUrl, Address)> {
        let api = match &self.raw.api_url {
            Some(url) => self.parsed("api_url", url.span(), url.get_ref(), |text| {
                server_url(text, "api_url")
            }),
            None => Url::parse(TELEGRAM_API).ok(),
        };
        let chat_id = match &self.raw.chat_id {
            Some(id) => self.parsed("chat_id", id.span(), id.get_ref().0.as_str(), chat_id),
            None => self.missing(
                "chat_id",
                "the chat's numeric id such as \"-1001234567890\", or a public channel's \"@name\"",
            ),
        };
        let thread = self.raw.message_thread_id.as_ref().map(|id| {
            self.parsed("message_thread_id", id.span(), id.get_ref(), |id| {
                message_thread_id(*id)
            })
        });
        let token = self.token(telegram_token);
        let address = Address::Telegram(TelegramChat {
            chat_id: chat_id?,
            message_thread_id: thread.map_or(Some(None), |thread| thread.map(Some))?,
            token: token?,
        });
        Some((SecretUrl::new(api?), address))
    }

    /// The access token from `token` (with `${VAR}`) or `token_file`, checked by `check`.
    fn token(&mut self, check: fn(&str) -> Result<(), String>) -> Option<Secret> {
        match self.optional_token(check) {
            Ok(Some(token)) => Some(token),
            Ok(None) => self.missing(
                "token",
                "the access token; or token_file, a file holding it",
            ),
            Err(Reported) => None,
        }
    }

    /// Like [`Self::token`], for a platform where a token is optional: `Ok(None)` when none is
    /// set.
    fn optional_token(
        &mut self,
        check: fn(&str) -> Result<(), String>,
    ) -> Result<Option<Secret>, Reported> {
        let (key, span, text) = match (&self.raw.token, &self.raw.token_file) {
            (Some(token), None) => ("token", token.span(), self.ctx.expand(token.get_ref())),
            (None, Some(file)) => (
                "token_file",
                file.span(),
                self.ctx
                    .path(file.get_ref())
                    .and_then(|path| read_secret(&path, "access token", str::trim)),
            ),
            (Some(_), Some(file)) => {
                let message = "set either token or token_file, not both";
                self.report
                    .error(file.span(), &key_path(self.path, "token_file"), message);
                return Err(Reported);
            }
            (None, None) => return Ok(None),
        };
        match text.and_then(|token| check(&token).map(|()| token)) {
            Ok(token) => Ok(Some(Secret::new(token))),
            Err(message) => {
                self.report.error(span, &key_path(self.path, key), message);
                Err(Reported)
            }
        }
    }

    fn required<T>(
        &mut self,
        key: &str,
        value: Option<&Spanned<String>>,
        what: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        match value {
            Some(value) => self.parsed(key, value.span(), value.get_ref().as_str(), parse),
            None => self.missing(key, what),
        }
    }

    fn parsed<V: ?Sized, T>(
        &mut self,
        key: &str,
        span: Range<usize>,
        value: &V,
        parse: impl FnOnce(&V) -> Result<T, String>,
    ) -> Option<T> {
        parse(value)
            .map_err(|message| self.report.error(span, &key_path(self.path, key), message))
            .ok()
    }

    fn missing<T>(&mut self, key: &str, what: &str) -> Option<T> {
        let message = format!("missing key {key} ({what})");
        self.report
            .error(self.at.clone(), &key_path(self.path, key), message);
        None
    }
}
