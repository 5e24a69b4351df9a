//! `[channels.NAME]`: where cards are posted.
//!
//! - `kind`: the chat platform (`kind = "…"`).
//! - `webhook`: the URL, from `url` or `url_file`, a secret from the moment it is read, with
//!   `teams_url` telling the retired Teams URL shapes from the current one.
//! - `address`: what the platforms that are not one webhook URL need instead (Matrix, Telegram),
//!   with their access tokens; `email` for an email channel's relay, login, sender and recipients.
//! - `mention`: who a channel's posts ping, in each platform's form.
//! - `digest`: when a digest channel posts its gathered entries (`digest`, `timezone`).
//! - `thread`: where in a Discord channel posts go (`forum`, `thread_name`, `thread_id`).
//! - `options`: the optional keys (`username`, `rate`, `headers`, …), each accepted only on the
//!   kinds that can use it, with `card` for the keys that change every card and `template` for
//!   a generic channel's template, compiled once here.

mod address;
mod card;
mod digest;
mod email;
mod entra;
mod kind;
mod mention;
mod options;
mod teams_url;
mod template;
mod thread;
mod webhook;

use std::time::Duration;

use reqwest::header::HeaderMap;

use crate::config::context::Context;
use crate::config::delivery::{self, DeliveryPolicy};
use crate::config::document::ChannelItem;
use crate::config::report::{Report, key_path};
use crate::config::secret::SecretUrl;

pub use address::{Address, MatrixRoom, NtfyTopic, TELEGRAM_API, TelegramChat};
pub use card::CardOverrides;
pub use digest::DigestSchedule;
pub use email::{
    EmailSettings, RelaySecurity, SUBMISSION_PORT, SUBMISSIONS_PORT, SmtpLogin, SmtpOauth,
};
pub use entra::{
    ClientCertificate, ClientCredential, ENTRA_AUTHORITY, EntraApp, FLOW_SCOPE, SMTP_SCOPE,
};
pub use kind::ChannelKind;
pub use mention::MAX_MENTIONS;
pub(in crate::config) use mention::{MENTION_KINDS, mentions};
pub use options::ChannelOptions;
pub(in crate::config) use options::listed as listed_kinds;
pub use teams_url::TeamsUrl;
pub use template::Template;

/// A chat channel: where cards are posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    pub name: String,
    pub kind: ChannelKind,
    /// The incoming webhook, or the server of an [`Address`]. `None` only for `console`.
    pub url: Option<SecretUrl>,
    /// What besides `url` says where posts go (a Matrix room, a Telegram chat, an email
    /// channel's relay and recipients).
    pub address: Address,
    /// How cards look in this channel.
    pub options: ChannelOptions,
    /// The least time between two posts (`rate = "1/s"`); `None` for the kind's default.
    pub spacing: Option<Duration>,
    /// Extra HTTP headers sent with every post (`headers`, generic channels; values may use
    /// `${VAR}`), values marked sensitive.
    pub headers: HeaderMap,
    /// How long one post may take and how long the webhook may pause the channel (`timeout`,
    /// `max_pause`).
    pub delivery: DeliveryPolicy,
    /// When the channel's entries go out together as one digest (`digest`, `timezone`); `None`:
    /// each entry is posted on its own as soon as it is queued.
    pub digest: Option<DigestSchedule>,
}

impl Channel {
    /// The zone a digest of this channel shows its times in: its schedule's (UTC for an
    /// interval, and for a channel without a digest).
    #[must_use]
    pub fn digest_zone(&self) -> chrono_tz::Tz {
        self.digest
            .as_ref()
            .map_or(chrono_tz::Tz::UTC, DigestSchedule::timezone)
    }

    /// An email channel's relay, login, sender and recipients; `None` for other kinds.
    #[must_use]
    pub fn email(&self) -> Option<&EmailSettings> {
        match &self.address {
            Address::Email(email) => Some(email),
            _ => None,
        }
    }
}

/// The channel `item`, its delivery bounds laid over `defaults` (`[delivery]`); `None` when its
/// table or its kind cannot be read (reported with every other problem it has).
pub(super) fn channel(
    item: &ChannelItem,
    defaults: &DeliveryPolicy,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Option<Channel> {
    let path = key_path("channels", &item.name);
    if !is_channel_name(&item.name) {
        let message = format!(
            "channel name {:?} may only contain letters, digits, - and _",
            item.name
        );
        report.error(item.span.clone(), &path, message);
    }
    let raw = item.raw.as_ref()?;
    let kind = kind::kind(raw, &path, &item.span, report);
    // Read for every kind, so that the keys are refused where they mean nothing.
    let app = entra::app(raw, kind, (&path, &item.span), ctx, report);
    let (url, address) = match kind {
        Some(ChannelKind::Console) => {
            webhook::refuse_url(raw, &path, report);
            (None, Some(Address::Webhook))
        }
        Some(ChannelKind::Email) => {
            let relay = webhook::webhook(raw, kind, &path, &item.span, ctx, report);
            let email = app.ok().and_then(|app| {
                let relay = (relay.as_ref(), app);
                email::settings(raw, relay, (&path, &item.span), ctx, report)
            });
            (relay, email.map(Address::Email))
        }
        Some(kind) if address::is_addressed(kind) => {
            match address::address(raw, kind, &path, &item.span, ctx, report) {
                Some((url, address)) => (Some(url), Some(address)),
                None => (None, None),
            }
        }
        Some(_) => {
            let url = webhook::webhook(raw, kind, &path, &item.span, ctx, report);
            match app {
                Ok(Some(app)) => (url, Some(Address::Workflow(app))),
                Ok(None) => (url, Some(Address::Webhook)),
                Err(()) => (url, None),
            }
        }
        // The kind is already reported; a URL that is there is still worth checking.
        None if raw.url.is_some() || raw.url_file.is_some() => {
            webhook::webhook(raw, kind, &path, &item.span, ctx, report);
            (None, None)
        }
        None => (None, None),
    };
    address::refuse_foreign_keys(raw, kind, &path, report);
    email::refuse_foreign_keys(raw, kind, &path, report);
    webhook::warn_if_retired(raw, kind, url.as_ref(), &path, report);
    let mut extras = options::extras(raw, kind, &path, ctx, report);
    let thread = thread::thread(raw, kind, &path, report);
    extras.options.thread_name = thread.name;
    let url = match (url, &thread.id) {
        (Some(url), Some(id)) => Some(thread::into_thread(&url, id)),
        (url, _) => url,
    };
    let delivery = delivery::for_channel(raw, defaults, &path, report);
    let digest = digest::digest(raw, &path, report);
    Some(Channel {
        name: item.name.clone(),
        kind: kind?,
        url,
        address: address?,
        options: extras.options,
        spacing: extras.spacing,
        headers: extras.headers,
        delivery,
        digest,
    })
}

fn is_channel_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}
