//! How one feed is fetched besides its URL — `headers`, `user_agent`, the credentials (see
//! [`super::credentials`]) and the transport (`proxy`, `tls_insecure`, `ca_file`, see
//! [`super::transport`]) — laid over `[defaults]` like the polling keys: a feed's key replaces the
//! default one (`headers` name by name), and a wrong value is reported where it is written and
//! replaced by the one below it.
//!
//! Header values, passwords, tokens and proxy URLs may all be credentials, so no `Debug` here shows
//! one: a feed can be logged whole without leaking them.

use std::sync::Arc;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};

use super::credentials::{self, Credentials};
use super::transport::{self, Transport};
use crate::config::context::Context;
use crate::config::headers::{Reserved, headers_except};
use crate::config::raw::FeedRaw;
use crate::config::report::{Report, check, key_path};

/// Headers the fetcher writes itself, each with the way to get what the operator wants.
const FETCH_RESERVED: &[Reserved] = &[
    ("user-agent", "use the user_agent key"),
    (
        "accept-encoding",
        "feedhook negotiates compression itself and could not decode another",
    ),
    (
        "if-none-match",
        "feedhook sends the validators of the last poll itself",
    ),
    (
        "if-modified-since",
        "feedhook sends the validators of the last poll itself",
    ),
];

/// The per-feed fetch options; the default is a plain GET through the shared client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchOptions {
    /// Extra request headers (`headers`; `[defaults]` first, the feed's own replacing a default of
    /// the same name), values marked sensitive. Sent only to the feed's own scheme, host and port.
    pub headers: HeaderMap,
    /// Replaces feedhook's `User-Agent` (`user_agent`).
    pub user_agent: Option<HeaderValue>,
    /// Sent only to the feed's own scheme, host and port (`basic_auth`, `bearer_token`,
    /// `bearer_token_file`).
    pub credentials: Option<Credentials>,
    /// What needs a client of its own: proxy and TLS settings. Feeds with equal settings share
    /// one value.
    pub transport: Arc<Transport>,
}

/// `base` with the fetch keys of `raw` (the table at `path`) laid over it.
pub(super) fn overlay(
    base: &FetchOptions,
    raw: &FeedRaw,
    path: &str,
    ctx: &Context<'_>,
    report: &mut Report,
) -> FetchOptions {
    let mut options = base.clone();
    if let Some(table) = &raw.headers {
        let key = key_path(path, "headers");
        let own = headers_except(table, &key, ctx.env, FETCH_RESERVED, report);
        // A feed's header replaces the default of the same name; the others add up.
        options.headers.extend(own);
    }
    if let Some(agent) = &raw.user_agent {
        let key = key_path(path, "user_agent");
        if let Some(agent) = check(agent, &key, report, |text| user_agent(text)) {
            options.user_agent = Some(agent);
        }
    }
    if let Some(found) = credentials::credentials(raw, path, ctx, report) {
        options.credentials = Some(found);
    }
    refuse_two_authorizations(&options, raw, path, report);
    options.transport = transport::overlay(&base.transport, raw, path, ctx, report);
    options
}

/// An `Authorization` header and credentials would each claim the one header; which one the server
/// saw would depend on the client, so the table that brings the second is refused.
fn refuse_two_authorizations(
    options: &FetchOptions,
    raw: &FeedRaw,
    path: &str,
    report: &mut Report,
) {
    if !options.headers.contains_key(AUTHORIZATION) || options.credentials.is_none() {
        return;
    }
    let message = "set either an Authorization header or basic_auth/bearer_token, not both";
    // Only the table that brought one of the two is at fault; a feed inheriting both from
    // `[defaults]` is not reported again.
    let own_header = raw.headers.as_ref().is_some_and(|table| {
        let mut names = table.get_ref().keys();
        names.any(|name| name.get_ref().eq_ignore_ascii_case("authorization"))
    });
    let own_credentials = credentials::keys_set(raw).into_iter().next();
    let at = match (own_credentials, &raw.headers) {
        (Some(at), _) => at,
        (None, Some(table)) if own_header => ("headers", table.span()),
        _ => return,
    };
    report.error(at.1, &key_path(path, at.0), message);
}

fn user_agent(text: &str) -> Result<HeaderValue, String> {
    let agent = text.trim();
    if agent.is_empty() {
        return Err("the user_agent is empty; remove the key to send feedhook's own".to_owned());
    }
    HeaderValue::from_str(agent).map_err(|_| {
        "the user_agent is not a valid HTTP header value (visible ASCII characters and spaces only)"
            .to_owned()
    })
}

#[cfg(test)]
mod tests;
