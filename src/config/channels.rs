//! `[channels.NAME]`: the kind, and the webhook URL from `url` (with `${VAR}` expansion) or from the
//! file `url_file` names. The URL is a secret from the moment it is known: no message here repeats it.
//! The optional keys (`username`, `rate`, `headers`, …) are read in [`super::options`].

use std::ops::Range;
use std::path::Path;

use toml::Spanned;

use super::document::ChannelItem;
use super::env::expand;
use super::options::extras;
use super::raw::ChannelRaw;
use super::report::{Report, key_path};
use super::validate::Context;
use super::values::http_url;
use super::{Channel, ChannelKind, WebhookUrl};

const RETIRED_CONNECTORS: &str = "Microsoft retired Office 365 connectors; \
                                  move to a Teams Workflows webhook (kind = \"teams\")";
const CONNECTOR_URL: &str = "this is a legacy connector URL; Workflows URLs look like \
                             https://…logic.azure.com/… or …powerplatform.com/…";

pub(super) fn channel(
    item: &ChannelItem,
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
    let kind = kind(raw, &path, &item.span, report);
    let url = match kind {
        Some(ChannelKind::Console) => {
            refuse_url(raw, &path, report);
            None
        }
        Some(_) => webhook(raw, &path, &item.span, ctx, report),
        // The kind is already reported; a URL that is there is still worth checking.
        None if raw.url.is_some() || raw.url_file.is_some() => {
            webhook(raw, &path, &item.span, ctx, report)
        }
        None => None,
    };
    warn_if_retired(raw, kind, url.as_ref(), &path, report);
    let extras = extras(raw, kind, &path, ctx, report);
    Some(Channel {
        name: item.name.clone(),
        kind: kind?,
        url,
        options: extras.options,
        spacing: extras.spacing,
        headers: extras.headers,
    })
}

fn is_channel_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn supported_kinds() -> String {
    ChannelKind::ALL.map(ChannelKind::as_str).join(", ")
}

fn kind(
    raw: &ChannelRaw,
    path: &str,
    at: &Range<usize>,
    report: &mut Report,
) -> Option<ChannelKind> {
    let key = key_path(path, "kind");
    let Some(kind) = &raw.kind else {
        let message = format!("missing key kind (one of {})", supported_kinds());
        report.error(at.clone(), &key, message);
        return None;
    };
    let name = kind.get_ref().as_str();
    let found = ChannelKind::ALL.into_iter().find(|k| k.as_str() == name);
    if found.is_none() {
        let message = format!("unknown kind {name:?} (supported: {})", supported_kinds());
        report.error(kind.span(), &key, message);
    }
    found
}

/// Office 365 connectors, and with them `MessageCard` webhooks, are being switched off by Microsoft:
/// a channel still using one will go quiet one day, so `check` says so while there is time.
fn warn_if_retired(
    raw: &ChannelRaw,
    kind: Option<ChannelKind>,
    url: Option<&WebhookUrl>,
    path: &str,
    report: &mut Report,
) {
    match kind {
        Some(ChannelKind::TeamsMessageCard) => {
            let span = raw.kind.as_ref().map(Spanned::span);
            report.warn(span, &key_path(path, "kind"), RETIRED_CONNECTORS);
        }
        Some(ChannelKind::Teams) if url.is_some_and(is_connector_url) => {
            let (key, value) = match (&raw.url, &raw.url_file) {
                (Some(url), _) => ("url", url),
                (None, Some(file)) => ("url_file", file),
                (None, None) => return,
            };
            report.warn(Some(value.span()), &key_path(path, key), CONNECTOR_URL);
        }
        _ => {}
    }
}

/// `https://TENANT.webhook.office.com/webhookb2/…`, and the older `https://outlook.office.com/webhook/…`.
fn is_connector_url(url: &WebhookUrl) -> bool {
    let url = url.expose();
    let host = url.host_str().unwrap_or_default();
    host == "webhook.office.com"
        || host.ends_with(".webhook.office.com")
        || (matches!(host, "outlook.office.com" | "outlook.office365.com")
            && url.path().starts_with("/webhook"))
}

fn refuse_url(raw: &ChannelRaw, path: &str, report: &mut Report) {
    for (key, value) in [("url", &raw.url), ("url_file", &raw.url_file)] {
        if let Some(value) = value {
            let message = format!("a console channel prints to standard output and takes no {key}");
            report.error(value.span(), &key_path(path, key), message);
        }
    }
}

fn webhook(
    raw: &ChannelRaw,
    path: &str,
    at: &Range<usize>,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Option<WebhookUrl> {
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

fn from_text(
    url: &Spanned<String>,
    key: &str,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Option<WebhookUrl> {
    let checked = expand(url.get_ref(), ctx.env).and_then(|text| {
        http_url(&text).map_err(|reason| format!("invalid webhook URL: {reason}"))
    });
    match checked {
        Ok(url) => Some(WebhookUrl::new(url)),
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
) -> Option<WebhookUrl> {
    // Expansion lets `url_file = "${CREDENTIALS_DIRECTORY}/teams"` find systemd's credentials.
    let checked =
        expand(file.get_ref(), ctx.env).and_then(|name| read_url_file(&ctx.dir.join(name)));
    match checked {
        Ok(url) => Some(url),
        Err(message) => {
            report.error(file.span(), key, message);
            None
        }
    }
}

fn read_url_file(path: &Path) -> Result<WebhookUrl, String> {
    let shown = path.display();
    let text =
        std::fs::read_to_string(path).map_err(|error| format!("cannot read {shown}: {error}"))?;
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("{shown} is empty; it should hold the webhook URL"));
    }
    if text.contains(char::is_whitespace) {
        return Err(format!(
            "{shown} should hold only the webhook URL, on one line"
        ));
    }
    http_url(text)
        .map(WebhookUrl::new)
        .map_err(|reason| format!("{shown} does not hold a valid webhook URL: {reason}"))
}
