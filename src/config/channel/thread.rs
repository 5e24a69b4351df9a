//! Where in a Discord channel a post goes: `forum = true` starts a new post of a forum (or media)
//! channel for each entry, named by `thread_name` (a template, by default the entry's title), and
//! `thread_id` posts into one existing thread. Only Discord's webhooks take these; Telegram's
//! forum topics are `message_thread_id` (in [`super::address`]), and Slack's incoming webhooks
//! cannot post into a thread at all.

use std::ops::Range;

use toml::Spanned;
use url::Url;

use super::kind::ChannelKind::{self, Discord, Slack, Telegram};
use super::template::Template;
use crate::config::raw::ChannelRaw;
use crate::config::report::{Report, key_path};
use crate::config::secret::SecretUrl;

/// The name a forum post takes unless `thread_name` says otherwise.
pub const DEFAULT_THREAD_NAME: &str = "{{ entry.title }}";

/// Where a Discord channel's posts go besides its webhook's own channel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Thread {
    /// Each entry starts a forum post of this name (`forum`, `thread_name`).
    pub name: Option<Template>,
    /// Each entry goes into this existing thread (`thread_id`), a Discord snowflake.
    pub id: Option<String>,
}

/// Reads `forum`, `thread_name` and `thread_id`; each set on a kind other than Discord, or set
/// against another, is reported and left unset.
pub(super) fn thread(
    raw: &ChannelRaw,
    kind: Option<ChannelKind>,
    path: &str,
    report: &mut Report,
) -> Thread {
    let forum = raw.forum.as_ref();
    let name = raw.thread_name.as_ref();
    let id = raw.thread_id.as_ref();
    let mut keys = Keys { path, report };
    if let Some(kind) = kind.filter(|kind| *kind != Discord) {
        keys.refuse("forum", forum.map(Spanned::span), kind);
        keys.refuse("thread_name", name.map(Spanned::span), kind);
        keys.refuse("thread_id", id.map(Spanned::span), kind);
        return Thread::default();
    }
    let id = id.and_then(|id| {
        snowflake(&id.get_ref().0)
            .map_err(|message| keys.error("thread_id", id.span(), message))
            .ok()
    });
    let name = match (forum.map(|forum| (*forum.get_ref(), forum.span())), name) {
        (Some((false, span)), Some(_)) => {
            let message = "thread_name names the forum posts that forum = true starts; \
                           set forum = true, or remove thread_name";
            keys.error("forum", span, message.to_owned());
            None
        }
        (Some((false, _)) | None, None) => None,
        (_, Some(source)) => {
            let line = keys.report.line_of(source.span().start);
            thread_name(source.get_ref(), Some(line))
                .map_err(|message| keys.error("thread_name", source.span(), message))
                .ok()
        }
        (Some((true, _)), None) => Template::compile(DEFAULT_THREAD_NAME, None).ok(),
    };
    if let (Some(_), Some(id)) = (&name, raw.thread_id.as_ref()) {
        let message = "a post either starts a forum post (forum, thread_name) or goes into the \
                       existing thread thread_id; set one of them";
        keys.error("thread_id", id.span(), message.to_owned());
        return Thread::default();
    }
    Thread { name, id }
}

/// The webhook URL that posts into thread `id`: Discord reads the thread from the query.
/// <https://discord.com/developers/docs/resources/webhook#execute-webhook-query-string-params>
pub(super) fn into_thread(url: &SecretUrl, id: &str) -> SecretUrl {
    let mut url: Url = url.expose().clone();
    let others: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| key != "thread_id")
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    url.query_pairs_mut()
        .clear()
        .extend_pairs(others)
        .append_pair("thread_id", id);
    SecretUrl::new(url)
}

struct Keys<'a> {
    path: &'a str,
    report: &'a mut Report,
}

impl Keys<'_> {
    fn error(&mut self, key: &str, span: Range<usize>, message: String) {
        self.report.error(span, &key_path(self.path, key), message);
    }

    fn refuse(&mut self, key: &str, span: Option<Range<usize>>, kind: ChannelKind) {
        let Some(span) = span else { return };
        let instead = match kind {
            Telegram => "; a Telegram channel posts into a forum topic with message_thread_id",
            Slack => "; Slack's incoming webhooks cannot post into a thread",
            _ => "",
        };
        let message = format!(
            "{key} is not supported by {kind} channels; only discord channels take it{instead}"
        );
        self.error(key, span, message);
    }
}

/// A thread name template: not empty, and it compiles.
fn thread_name(source: &str, line: Option<usize>) -> Result<Template, String> {
    if source.trim().is_empty() {
        return Err(format!(
            "thread_name is empty; remove it to name each forum post {DEFAULT_THREAD_NAME}"
        ));
    }
    Template::compile(source, line)
}

/// Discord's ids are snowflakes: a number of up to 20 digits.
fn snowflake(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() || text.len() > 20 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "thread_id {text:?} is not a Discord thread id (a number such as \
             \"1234567890123456789\": in Discord, right-click the thread and Copy Thread ID)"
        ));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests;
