//! Entra ID (Azure AD) app credentials, `auth = "entra"`: for a Teams workflow whose trigger is
//! restricted to the tenant ("Who can trigger the flow: Any user in my tenant"), and for an email
//! channel sending through Exchange Online with SMTP XOAUTH2. The keys: `tenant`, `client_id`,
//! the app's credential — a client secret (`client_secret`, usually `${VAR}`, or
//! `client_secret_file`) or a certificate (`client_certificate_file`, see [`certificate`]) — and
//! for sovereign clouds `authority` and `scope`. Each post or message then carries a
//! client-credentials token (see `deliver::entra`). A secret or key is a secret from the moment
//! it is read: no message here repeats it.

mod certificate;

use std::ops::Range;

use toml::Spanned;
use url::Url;

use super::kind::ChannelKind;
use crate::config::context::Context;
use crate::config::raw::ChannelRaw;
use crate::config::report::{Report, check, key_path};
use crate::config::secret::{Secret, read_secret, without_final_line_break};

pub use certificate::ClientCertificate;

/// Microsoft's public cloud; national clouds have their own hosts.
pub const ENTRA_AUTHORITY: &str = "https://login.microsoftonline.com";
/// The scope of a token a Power Automate trigger accepts (audience
/// `https://service.flow.microsoft.com/`, public cloud).
pub const FLOW_SCOPE: &str = "https://service.flow.microsoft.com//.default";
/// The scope of a token Exchange Online's SMTP AUTH XOAUTH2 accepts (public cloud).
pub const SMTP_SCOPE: &str = "https://outlook.office365.com/.default";

/// The keys that only make sense with `auth = "entra"`.
const APP_KEYS: [&str; 7] = [
    "tenant",
    "client_id",
    "client_secret",
    "client_secret_file",
    "client_certificate_file",
    "authority",
    "scope",
];

/// The channel kinds that take `auth = "entra"`.
const AUTH_KINDS: [ChannelKind; 2] = [ChannelKind::Teams, ChannelKind::Email];

/// An app registration that gets tokens for itself (OAuth 2.0 client credentials).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntraApp {
    /// `{authority}/{tenant}/oauth2/v2.0/token`.
    pub token_url: Url,
    pub client_id: String,
    /// How the app proves itself to the token endpoint.
    pub credential: ClientCredential,
    /// What the token is for: [`FLOW_SCOPE`] for a Teams workflow, [`SMTP_SCOPE`] for email.
    pub scope: String,
}

/// What an app proves itself with: a client secret, or a certificate whose key signs an
/// assertion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientCredential {
    Secret(Secret),
    Certificate(ClientCertificate),
}

/// The Entra app of the channel at `path` (of `kind`, its table starting at `at`): `Ok(None)`
/// without `auth`, `Err(())` when something is wrong (reported).
pub(super) fn app(
    raw: &ChannelRaw,
    kind: Option<ChannelKind>,
    (path, at): (&str, &Range<usize>),
    ctx: &Context<'_>,
    report: &mut Report,
) -> Result<Option<EntraApp>, ()> {
    let key = |name: &str| key_path(path, name);
    let Some(auth) = &raw.auth else {
        for (name, span) in APP_KEYS.iter().zip(app_spans(raw)) {
            if let Some(span) = span {
                let message = format!("{name} is only read with auth = \"entra\"");
                report.error(span, &key(name), message);
            }
        }
        return Ok(None);
    };
    if kind.is_some_and(|kind| !AUTH_KINDS.contains(&kind)) {
        let kind = kind.map_or("", ChannelKind::as_str);
        let message = format!(
            "auth is not supported by {kind} channels; only teams and email channels take it"
        );
        report.error(auth.span(), &key("auth"), message);
        return Err(());
    }
    if auth.get_ref().trim() != "entra" {
        let message = format!(
            "unknown auth {:?}: the only one is \"entra\" (an Entra ID app's token)",
            auth.get_ref()
        );
        report.error(auth.span(), &key("auth"), message);
        return Err(());
    }
    let mut required = |name: &str,
                        value: Option<&Spanned<String>>,
                        parse: fn(&str) -> Result<String, String>| {
        let Some(value) = value else {
            let message = format!(
                "missing key {name}: auth = \"entra\" needs tenant, client_id and client_secret \
                 (or client_secret_file, or client_certificate_file)"
            );
            report.error(at.clone(), &key(name), message);
            return None;
        };
        check(value, &key(name), report, |text: &String| {
            parse(text.trim())
        })
    };
    let tenant = required("tenant", raw.tenant.as_ref(), tenant);
    let client_id = required("client_id", raw.client_id.as_ref(), client_id);
    let authority = match &raw.authority {
        Some(value) => check(value, &key("authority"), report, |text| authority(text)),
        None => Url::parse(ENTRA_AUTHORITY).ok(),
    };
    let scope = match &raw.scope {
        Some(value) => check(value, &key("scope"), report, |text| scope(text)),
        None if kind == Some(ChannelKind::Email) => Some(SMTP_SCOPE.to_owned()),
        None => Some(FLOW_SCOPE.to_owned()),
    };
    let credential = credential(raw, (path, at), ctx, report);
    let (Some(tenant), Some(client_id), Some(authority), Some(scope), Some(credential)) =
        (tenant, client_id, authority, scope, credential)
    else {
        return Err(());
    };
    Ok(Some(EntraApp {
        token_url: token_url(&authority, &tenant),
        client_id,
        credential,
        scope,
    }))
}

fn app_spans(raw: &ChannelRaw) -> [Option<Range<usize>>; 7] {
    let span = |value: Option<&Spanned<String>>| value.map(Spanned::span);
    [
        span(raw.tenant.as_ref()),
        span(raw.client_id.as_ref()),
        span(raw.client_secret.as_ref()),
        span(raw.client_secret_file.as_ref()),
        span(raw.client_certificate_file.as_ref()),
        span(raw.authority.as_ref()),
        span(raw.scope.as_ref()),
    ]
}

/// The token endpoint of `tenant` at `authority` (Microsoft identity platform v2.0).
fn token_url(authority: &Url, tenant: &str) -> Url {
    let mut url = authority.clone();
    if let Ok(mut segments) = url.path_segments_mut() {
        segments
            .pop_if_empty()
            .extend([tenant, "oauth2", "v2.0", "token"]);
    }
    url
}

/// The app's secret or certificate: exactly one of `client_secret`, `client_secret_file` and
/// `client_certificate_file`.
fn credential(
    raw: &ChannelRaw,
    (path, at): (&str, &Range<usize>),
    ctx: &Context<'_>,
    report: &mut Report,
) -> Option<ClientCredential> {
    let Some(file) = &raw.client_certificate_file else {
        return client_secret(raw, (path, at), ctx, report).map(ClientCredential::Secret);
    };
    let key = key_path(path, "client_certificate_file");
    if let Some(secret) = raw
        .client_secret
        .as_ref()
        .or(raw.client_secret_file.as_ref())
    {
        let name = if raw.client_secret.is_some() {
            "client_secret"
        } else {
            "client_secret_file"
        };
        let message = format!(
            "set either {name} or client_certificate_file, not both: the app proves itself with \
             one of them"
        );
        report.error(secret.span(), &key_path(path, name), message);
        return None;
    }
    check(file, &key, report, |name| {
        certificate::read(&ctx.path(name)?).map(ClientCredential::Certificate)
    })
}

fn client_secret(
    raw: &ChannelRaw,
    (path, at): (&str, &Range<usize>),
    ctx: &Context<'_>,
    report: &mut Report,
) -> Option<Secret> {
    let (key, span, text) = match (&raw.client_secret, &raw.client_secret_file) {
        (Some(secret), None) => ("client_secret", secret.span(), ctx.expand(secret.get_ref())),
        (None, Some(file)) => (
            "client_secret_file",
            file.span(),
            ctx.path(file.get_ref()).and_then(|file| {
                read_secret(&file, "app's client secret", without_final_line_break)
            }),
        ),
        (Some(_), Some(file)) => {
            let message = "set either client_secret or client_secret_file, not both";
            report.error(file.span(), &key_path(path, "client_secret_file"), message);
            return None;
        }
        (None, None) => {
            let message = "missing key client_secret: auth = \"entra\" needs the app's client \
                           secret, as client_secret = \"${VAR}\" or client_secret_file, or its \
                           certificate, as client_certificate_file";
            report.error(at.clone(), &key_path(path, "client_secret"), message);
            return None;
        }
    };
    match text {
        Ok(secret) if !secret.trim().is_empty() => Some(Secret::new(secret)),
        Ok(_) => {
            report.error(span, &key_path(path, key), "the client secret is empty");
            None
        }
        Err(message) => {
            report.error(span, &key_path(path, key), message);
            None
        }
    }
}

/// A tenant id (a GUID) or one of the tenant's domain names. The shared authorities (`common`,
/// `organizations`, `consumers`) cannot issue an app's own token.
pub(super) fn tenant(text: &str) -> Result<String, String> {
    let lower = text.to_ascii_lowercase();
    if matches!(lower.as_str(), "common" | "organizations" | "consumers") {
        return Err(format!(
            "tenant {text:?} is a shared sign-in authority; an app's own token needs its tenant: \
             the tenant id (a GUID) or a domain name such as contoso.onmicrosoft.com"
        ));
    }
    let is_domain = lower.contains('.')
        && lower.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if is_guid(&lower) || is_domain {
        Ok(lower)
    } else {
        Err(format!(
            "tenant {text:?} is neither a tenant id (a GUID such as \
             72f988bf-86f1-41af-91ab-2d7cd011db47) nor a domain name (contoso.onmicrosoft.com)"
        ))
    }
}

/// An app's client id: a GUID (the app registration's "Application (client) ID").
pub(super) fn client_id(text: &str) -> Result<String, String> {
    if is_guid(&text.to_ascii_lowercase()) {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(format!(
            "client_id {text:?} is not a GUID: copy the app registration's \"Application (client) \
             ID\""
        ))
    }
}

fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|group| group.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|group| group.chars().all(|c| c.is_ascii_hexdigit()))
}

/// An https:// authority without query; plain http only to this machine (a local test authority).
pub(super) fn authority(text: &str) -> Result<Url, String> {
    let url = Url::parse(text.trim()).map_err(|error| format!("not a valid URL: {error}"))?;
    let loopback = matches!(
        url.host(),
        Some(url::Host::Ipv4(ip)) if ip.is_loopback()
    ) || matches!(url.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback())
        || url.host_str() == Some("localhost");
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        scheme => {
            return Err(format!(
                "the authority must be an https:// URL (such as {ENTRA_AUTHORITY}), not {scheme}:"
            ));
        }
    }
    if url.query().is_some() || url.fragment().is_some() || url.host_str().is_none() {
        return Err(format!(
            "write the authority as its base URL, such as {ENTRA_AUTHORITY}"
        ));
    }
    Ok(url)
}

/// A scope ending in `/.default`, as the client-credentials grant requires.
fn scope(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.ends_with("/.default") && !text.contains(char::is_whitespace) {
        Ok(text.to_owned())
    } else {
        Err(format!(
            "scope {text:?} must be a resource's \"/.default\" scope, such as {FLOW_SCOPE}"
        ))
    }
}

#[cfg(test)]
mod tests;
