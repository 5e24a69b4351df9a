//! The keys of an email channel (`kind = "email"`): the SMTP relay in `url`
//! (`smtp://USER@HOST:587`, STARTTLS required unless `tls = "none"`; `smtps://HOST`, TLS from the
//! first byte), its password (in the URL, from `${VAR}`, or in `password_file`) or, for Exchange
//! Online, an Entra ID app's token (`auth = "entra"`, read in `super::entra`; the mailbox logged
//! in to is the URL's user, else the `from` address), `ca_file` for a relay whose certificate a
//! private CA signed, and the message's `from` and `to`. Other kinds refuse these keys.
//!
//! `From` is fixed here, never taken from a feed: a message claiming the feed author's domain
//! would fail that domain's DMARC policy and land in spam, or nowhere.

use std::ops::Range;

use lettre::message::Mailbox;
use toml::Spanned;
use url::Url;

use super::entra::EntraApp;
use super::kind::ChannelKind;
use crate::config::ca::{CaBundle, ca_bundle};
use crate::config::context::Context;
use crate::config::raw::ChannelRaw;
use crate::config::report::{Report, check, key_path};
use crate::config::secret::{Secret, SecretUrl, read_secret, without_final_line_break};

/// The submission port, where relays take mail from clients with STARTTLS.
pub const SUBMISSION_PORT: u16 = 587;
/// The port of SMTP over TLS from the first byte (RFC 8314).
pub const SUBMISSIONS_PORT: u16 = 465;

// `password_file` is shared with ntfy channels: `address` refuses it on the other kinds.
const KEYS: [&str; 4] = ["from", "to", "tls", "ca_file"];

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RelaySecurity {
    /// `smtp://`: plain connection upgraded with STARTTLS, which the relay must offer.
    StartTls,
    /// `smtps://`: TLS from the first byte.
    ImplicitTls,
    /// `smtp://` with `tls = "none"`: a relay on this host, or a test.
    None,
}

/// The user and password the relay is logged in to with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpLogin {
    pub username: String,
    pub password: Secret,
}

/// The mailbox logged in to with an Entra ID app's token (SMTP AUTH XOAUTH2), and the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpOauth {
    /// The mailbox the app sends as: the URL's user, else the `from` address.
    pub user: String,
    pub app: EntraApp,
}

/// Where and how an email channel sends, and what its messages say of sender and recipients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailSettings {
    pub host: String,
    pub port: u16,
    pub security: RelaySecurity,
    pub login: Option<SmtpLogin>,
    /// The app whose token logs in instead of a password (`auth = "entra"`); boxed, as few
    /// channels have one.
    pub oauth: Option<Box<SmtpOauth>>,
    /// Roots trusted for the relay besides the system's (`ca_file`), for a private CA.
    pub ca: Option<CaBundle>,
    /// `From:`, as configured.
    pub from: Mailbox,
    /// `To:`, at least one.
    pub to: Vec<Mailbox>,
}

/// An `smtp://` or `smtps://` URL with a host, and nothing after it. The reason never repeats the
/// URL (its password is a secret).
pub(super) fn relay_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text.trim()).map_err(|error| format!("not a valid URL: {error}"))?;
    if !matches!(url.scheme(), "smtp" | "smtps") {
        return Err(format!(
            "an email channel's url must start with smtp:// (STARTTLS) or smtps:// (TLS), not {}:",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("the URL has no host".to_owned());
    }
    if !matches!(url.path(), "" | "/") || url.query().is_some() || url.fragment().is_some() {
        return Err("write the relay as smtp://USER@HOST:PORT, without a path or query".to_owned());
    }
    Ok(url)
}

/// The email keys of the email channel at `path` (whose table starts at `at`), with its relay
/// `url` and its Entra ID `app`; `None` when something is missing or wrong (reported).
pub(super) fn settings(
    raw: &ChannelRaw,
    (url, app): (Option<&SecretUrl>, Option<EntraApp>),
    (path, at): (&str, &Range<usize>),
    ctx: &Context<'_>,
    report: &mut Report,
) -> Option<EmailSettings> {
    email(raw, (url, app), &Table { path, at }, ctx, report)
}

/// Reports each email key set on a kind other than email (`kind` unknown: none).
pub(super) fn refuse_foreign_keys(
    raw: &ChannelRaw,
    kind: Option<ChannelKind>,
    path: &str,
    report: &mut Report,
) {
    if let Some(kind) = kind.filter(|kind| *kind != ChannelKind::Email) {
        refuse(raw, kind, path, report);
    }
}

fn refuse(raw: &ChannelRaw, kind: ChannelKind, path: &str, report: &mut Report) {
    let spans = [
        raw.from.as_ref().map(Spanned::span),
        raw.to.as_ref().map(Spanned::span),
        raw.tls.as_ref().map(Spanned::span),
        raw.ca_file.as_ref().map(Spanned::span),
    ];
    for (key, span) in KEYS.iter().zip(spans) {
        if let Some(span) = span {
            let message =
                format!("{key} is not supported by {kind} channels; only email channels take it");
            report.error(span, &key_path(path, key), message);
        }
    }
}

/// Where the channel's table is: its key path, and the span of its header.
struct Table<'a> {
    path: &'a str,
    at: &'a Range<usize>,
}

impl Table<'_> {
    fn key(&self, key: &str) -> String {
        key_path(self.path, key)
    }

    /// Reports that the channel lacks `key`, at its header.
    fn missing(&self, key: &str, report: &mut Report) {
        let message = format!(
            "missing key {key}: an email channel needs from (the sender, e.g. \
             \"Feeds <feeds@example.com>\") and to (a list of recipients)"
        );
        report.error(self.at.clone(), &self.key(key), message);
    }
}

fn email(
    raw: &ChannelRaw,
    (url, app): (Option<&SecretUrl>, Option<EntraApp>),
    table: &Table<'_>,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Option<EmailSettings> {
    let from = if let Some(from) = &raw.from {
        check(from, &table.key("from"), report, |text| mailbox(text))
    } else {
        table.missing("from", report);
        None
    };
    let to = recipients(raw, table, report);
    let ca = raw.ca_file.as_ref().and_then(|file| {
        check(file, &table.key("ca_file"), report, |name| {
            ca_bundle(name, ctx)
        })
    });
    let url = url?.expose();
    let security = security(raw, url, table.path, report)?;
    let (login, oauth) = match app {
        Some(app) => {
            let user = oauth_user(raw, url, from.as_ref(), table, report)?;
            (None, Some(Box::new(SmtpOauth { user, app })))
        }
        None => (login(raw, url, table, ctx, report).ok()?, None),
    };
    if security == RelaySecurity::None && (login.is_some() || oauth.is_some()) {
        let span = raw.tls.as_ref().map(Spanned::span);
        let message = "the relay's user and password (or token) travel in clear text with \
                       tls = \"none\"; use STARTTLS or smtps:// unless the relay is on this host";
        report.warn(span, &table.key("tls"), message);
    }
    let default_port = match security {
        RelaySecurity::ImplicitTls => SUBMISSIONS_PORT,
        RelaySecurity::StartTls | RelaySecurity::None => SUBMISSION_PORT,
    };
    Some(EmailSettings {
        host: url.host_str().unwrap_or_default().to_owned(),
        port: url.port().unwrap_or(default_port),
        security,
        login,
        oauth,
        ca,
        from: from?,
        to: to?,
    })
}

fn recipients(raw: &ChannelRaw, table: &Table<'_>, report: &mut Report) -> Option<Vec<Mailbox>> {
    let key = table.key("to");
    let Some(list) = &raw.to else {
        table.missing("to", report);
        return None;
    };
    if list.get_ref().is_empty() {
        report.error(
            list.span(),
            &key,
            "to is empty: name at least one recipient",
        );
        return None;
    }
    let mut found = Vec::new();
    for (index, address) in list.get_ref().iter().enumerate() {
        found.push(check(address, &format!("{key}[{index}]"), report, |text| {
            mailbox(text)
        }));
    }
    found.into_iter().collect()
}

fn mailbox(text: &str) -> Result<Mailbox, String> {
    text.trim().parse::<Mailbox>().map_err(|error| {
        format!("{text:?} is not an email address ({error}); write \"name@example.com\" or \"Name <name@example.com>\"")
    })
}

fn security(raw: &ChannelRaw, url: &Url, path: &str, report: &mut Report) -> Option<RelaySecurity> {
    let implicit = url.scheme() == "smtps";
    let Some(tls) = &raw.tls else {
        return Some(if implicit {
            RelaySecurity::ImplicitTls
        } else {
            RelaySecurity::StartTls
        });
    };
    let key = key_path(path, "tls");
    match (tls.get_ref().as_str(), implicit) {
        ("starttls", false) => Some(RelaySecurity::StartTls),
        ("none", false) => Some(RelaySecurity::None),
        (_, true) => {
            let message =
                "an smtps:// relay always uses TLS; remove tls, or use smtp:// for STARTTLS";
            report.error(tls.span(), &key, message);
            None
        }
        (other, false) => {
            let message = format!("unknown tls {other:?} (\"starttls\", the default, or \"none\")");
            report.error(tls.span(), &key, message);
            None
        }
    }
}

/// The mailbox an app's token logs in to: the URL's user, else the `from` address (`from`
/// `None`: already reported). A password as well is an error (reported).
fn oauth_user(
    raw: &ChannelRaw,
    url: &Url,
    from: Option<&Mailbox>,
    table: &Table<'_>,
    report: &mut Report,
) -> Option<String> {
    let both = "set either a password or auth = \"entra\", not both: with auth the relay is \
                logged in to with the app's token";
    if let Some(file) = &raw.password_file {
        report.error(file.span(), &table.key("password_file"), both);
        return None;
    }
    if url.password().is_some() {
        let span = raw
            .url
            .as_ref()
            .or(raw.url_file.as_ref())
            .map_or(table.at.clone(), Spanned::span);
        report.error(span, &table.key("url"), both);
        return None;
    }
    let user = percent_encoding::percent_decode_str(url.username()).decode_utf8_lossy();
    if user.is_empty() {
        Some(from?.email.to_string())
    } else {
        Some(user.into_owned())
    }
}

/// The login from the URL's user, with the password from the URL or `password_file`; `None`
/// without a user; `Err` when the password is missing or twice (reported).
fn login(
    raw: &ChannelRaw,
    url: &Url,
    table: &Table<'_>,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Result<Option<SmtpLogin>, ()> {
    let decode = |text| {
        percent_encoding::percent_decode_str(text)
            .decode_utf8_lossy()
            .into_owned()
    };
    let username = decode(url.username());
    let key = table.key("password_file");
    let password = match (&raw.password_file, url.password()) {
        (Some(file), Some(_)) => {
            report.error(
                file.span(),
                &key,
                "the url holds a password already; remove one of them",
            );
            return Err(());
        }
        (Some(file), None) if username.is_empty() => {
            let message = "a password needs a user: write it in the url, smtp://USER@HOST";
            report.error(file.span(), &key, message);
            return Err(());
        }
        (Some(file), None) => check(file, &key, report, |name| {
            let path = ctx.path(name)?;
            read_secret(&path, "relay's password", without_final_line_break)
        })
        .ok_or(())?,
        (None, Some(password)) => decode(password),
        (None, None) if username.is_empty() => return Ok(None),
        (None, None) => {
            let message = "the url names a user but no password: add password_file, or the \
                           password to the url (smtp://USER:${PASSWORD}@HOST)";
            let span = raw
                .url
                .as_ref()
                .or(raw.url_file.as_ref())
                .map_or(table.at.clone(), Spanned::span);
            report.error(span, &table.key("url"), message);
            return Err(());
        }
    };
    Ok(Some(SmtpLogin {
        username,
        password: Secret::new(password),
    }))
}

#[cfg(test)]
mod tests;
