//! A channel's webhook URL, from `url` (with `${VAR}` expansion) or from the file `url_file` names;
//! for an email channel, its SMTP relay (read by [`super::email::relay_url`]). The URL is a secret
//! from the moment it is known: no message here repeats it.

use std::ops::Range;
use std::path::Path;

use toml::Spanned;
use url::Url;

use super::email::relay_url;
use super::kind::ChannelKind;
use super::teams_url::TeamsUrl;
use crate::config::context::Context;
use crate::config::raw::ChannelRaw;
use crate::config::report::{Report, key_path};
use crate::config::secret::{SecretUrl, read_secret};
use crate::config::values::http_url;

const RETIRED_CONNECTORS: &str = "Microsoft retired Office 365 connectors; \
                                  move to a Teams Workflows webhook (kind = \"teams\")";

/// How the URL of a channel of one kind is read.
#[derive(Clone, Copy)]
struct UrlKind {
    /// What the URL is, in messages.
    what: &'static str,
    /// The URL checked, or why it is not one.
    parse: fn(&str) -> Result<Url, String>,
}

impl UrlKind {
    fn of(kind: Option<ChannelKind>) -> Self {
        match kind {
            Some(ChannelKind::Email) => Self {
                what: "relay URL",
                parse: relay_url,
            },
            _ => Self {
                what: "webhook URL",
                parse: http_url,
            },
        }
    }
}

/// The webhook (or relay) of the channel of `kind` at `path` (whose table starts at `at`); `None`
/// when it is missing or wrong (reported).
pub(super) fn webhook(
    raw: &ChannelRaw,
    kind: Option<ChannelKind>,
    path: &str,
    at: &Range<usize>,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Option<SecretUrl> {
    let url_kind = UrlKind::of(kind);
    match (&raw.url, &raw.url_file) {
        (Some(url), None) => from_text(url, url_kind, &key_path(path, "url"), ctx, report),
        (None, Some(file)) => from_file(file, url_kind, &key_path(path, "url_file"), ctx, report),
        (Some(_), Some(file)) => {
            let message = "set either url or url_file, not both";
            report.error(file.span(), &key_path(path, "url_file"), message);
            None
        }
        (None, None) => {
            let message = match kind {
                Some(ChannelKind::Email) => {
                    "missing key url (the SMTP relay, smtp://USER@HOST:587 or smtps://HOST; \
                     or url_file, a file holding it)"
                }
                _ => "missing key url (the incoming webhook URL; or url_file, a file holding it)",
            };
            report.error(at.clone(), &key_path(path, "url"), message);
            None
        }
    }
}

/// A console prints to standard output: a URL there is a mistake.
pub(super) fn refuse_url(raw: &ChannelRaw, path: &str, report: &mut Report) {
    for (key, value) in [("url", &raw.url), ("url_file", &raw.url_file)] {
        if let Some(value) = value {
            let message = format!("a console channel prints to standard output and takes no {key}");
            report.error(value.span(), &key_path(path, key), message);
        }
    }
}

/// Office 365 connectors, and with them `MessageCard` webhooks, are switched off by Microsoft, and so
/// are the first Workflows URLs: a channel still using one goes quiet, so `check` says so.
pub(super) fn warn_if_retired(
    raw: &ChannelRaw,
    kind: Option<ChannelKind>,
    url: Option<&SecretUrl>,
    path: &str,
    report: &mut Report,
) {
    match kind {
        Some(ChannelKind::TeamsMessageCard) => {
            let span = raw.kind.as_ref().map(Spanned::span);
            report.warn(span, &key_path(path, "kind"), RETIRED_CONNECTORS);
        }
        Some(ChannelKind::Teams) => {
            let Some(hint) = url.and_then(|url| TeamsUrl::of(url).hint()) else {
                return;
            };
            let (key, value) = match (&raw.url, &raw.url_file) {
                (Some(url), _) => ("url", url),
                (None, Some(file)) => ("url_file", file),
                (None, None) => return,
            };
            report.warn(Some(value.span()), &key_path(path, key), hint);
        }
        _ => {}
    }
}

fn from_text(
    url: &Spanned<String>,
    url_kind: UrlKind,
    key: &str,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Option<SecretUrl> {
    let checked = ctx.expand(url.get_ref()).and_then(|text| {
        (url_kind.parse)(&text).map_err(|reason| format!("invalid {}: {reason}", url_kind.what))
    });
    match checked {
        Ok(url) => Some(SecretUrl::new(url)),
        Err(message) => {
            report.error(url.span(), key, message);
            None
        }
    }
}

fn from_file(
    file: &Spanned<String>,
    url_kind: UrlKind,
    key: &str,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Option<SecretUrl> {
    let checked = ctx
        .path(file.get_ref())
        .and_then(|path| read_url_file(&path, url_kind));
    match checked {
        Ok(url) => Some(url),
        Err(message) => {
            report.error(file.span(), key, message);
            None
        }
    }
}

fn read_url_file(path: &Path, url_kind: UrlKind) -> Result<SecretUrl, String> {
    let what = url_kind.what;
    let text = read_secret(path, what, str::trim)?;
    let shown = path.display();
    if text.contains(char::is_whitespace) {
        return Err(format!("{shown} should hold only the {what}, on one line"));
    }
    (url_kind.parse)(&text)
        .map(SecretUrl::new)
        .map_err(|reason| format!("{shown} does not hold a valid {what}: {reason}"))
}
