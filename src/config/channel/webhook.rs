//! A channel's webhook URL, from `url` (with `${VAR}` expansion) or from the file `url_file` names.
//! The URL is a secret from the moment it is known: no message here repeats it.

use std::ops::Range;
use std::path::Path;

use toml::Spanned;

use super::kind::ChannelKind;
use super::teams_url::TeamsUrl;
use crate::config::context::Context;
use crate::config::raw::ChannelRaw;
use crate::config::report::{Report, key_path};
use crate::config::secret::{SecretUrl, read_secret};
use crate::config::values::http_url;

const RETIRED_CONNECTORS: &str = "Microsoft retired Office 365 connectors; \
                                  move to a Teams Workflows webhook (kind = \"teams\")";

/// The webhook of the channel at `path` (whose table starts at `at`); `None` when it is missing or
/// wrong (reported).
pub(super) fn webhook(
    raw: &ChannelRaw,
    path: &str,
    at: &Range<usize>,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Option<SecretUrl> {
    match (&raw.url, &raw.url_file) {
        (Some(url), None) => from_text(url, &key_path(path, "url"), ctx, report),
        (None, Some(file)) => from_file(file, &key_path(path, "url_file"), ctx, report),
        (Some(_), Some(file)) => {
            let message = "set either url or url_file, not both";
            report.error(file.span(), &key_path(path, "url_file"), message);
            None
        }
        (None, None) => {
            let message =
                "missing key url (the incoming webhook URL; or url_file, a file holding it)";
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
    key: &str,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Option<SecretUrl> {
    let checked = ctx.expand(url.get_ref()).and_then(|text| {
        http_url(&text).map_err(|reason| format!("invalid webhook URL: {reason}"))
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
    key: &str,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Option<SecretUrl> {
    let checked = ctx
        .path(file.get_ref())
        .and_then(|path| read_url_file(&path));
    match checked {
        Ok(url) => Some(url),
        Err(message) => {
            report.error(file.span(), key, message);
            None
        }
    }
}

fn read_url_file(path: &Path) -> Result<SecretUrl, String> {
    let text = read_secret(path, "webhook URL", str::trim)?;
    let shown = path.display();
    if text.contains(char::is_whitespace) {
        return Err(format!(
            "{shown} should hold only the webhook URL, on one line"
        ));
    }
    http_url(&text)
        .map(SecretUrl::new)
        .map_err(|reason| format!("{shown} does not hold a valid webhook URL: {reason}"))
}
