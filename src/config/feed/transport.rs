//! What changes how a feed's connections are made — `proxy`, `tls_insecure`, `ca_file` — and so
//! needs an HTTP client of its own. Laid over `[defaults]` like the other fetch keys (see
//! [`super::fetch`]). Feeds with equal settings share one value ([`SharedTransports`]), so that
//! the fetcher builds one client for each distinct value, at start.

use std::collections::HashSet;
use std::sync::Arc;

use crate::config::ca::{CaBundle, ca_bundle};
use crate::config::context::Context;
use crate::config::raw::FeedRaw;
use crate::config::report::{Report, check, key_path};
use crate::config::secret::SecretUrl;
use crate::config::values::{UrlProblem, url_of};

const INSECURE: &str = "TLS certificates are not verified here: anyone on the network path can \
                        pose as the server; prefer ca_file with the server's CA";
const CA_IGNORED: &str = "ca_file has no effect while tls_insecure = true accepts any certificate";

/// The settings that change how connections are made. Feeds with the default share one HTTP
/// client; each other distinct value gets a client of its own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Transport {
    pub proxy: ProxySetting,
    /// Accept any certificate (`tls_insecure = true`): expired, self-signed, for another host.
    pub tls_insecure: bool,
    /// Extra trusted roots (`ca_file`), besides the system's and the built-in ones.
    pub ca: Option<CaBundle>,
}

impl Transport {
    /// Whether connections are made as for any feed that sets none of the keys.
    #[must_use]
    pub fn is_default(&self) -> bool {
        self.proxy == ProxySetting::FromEnvironment && !self.tls_insecure && self.ca.is_none()
    }
}

/// Which proxy a feed's requests go through (`proxy`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum ProxySetting {
    /// `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` (or their lower-case forms) from
    /// the environment, when set; else a direct connection.
    #[default]
    FromEnvironment,
    /// `proxy = "none"`: always connect directly, whatever the environment says.
    Direct,
    /// An http, https, socks5 or socks5h proxy for every request of the feed; its URL may carry
    /// the user and password to log in with.
    Url(SecretUrl),
}

/// The transports of the feeds read so far, each distinct value once: a feed whose settings equal
/// an earlier feed's gets the same [`Arc`], which is how the fetcher tells clients apart without
/// comparing certificates on every fetch.
#[derive(Default)]
pub(in crate::config) struct SharedTransports(HashSet<Arc<Transport>>);

impl SharedTransports {
    /// The one shared copy of `transport`.
    pub fn share(&mut self, transport: &Arc<Transport>) -> Arc<Transport> {
        if let Some(known) = self.0.get(transport) {
            return Arc::clone(known);
        }
        self.0.insert(Arc::clone(transport));
        Arc::clone(transport)
    }
}

/// `base` with the transport keys of `raw` (the table at `path`) laid over it.
pub(super) fn overlay(
    base: &Arc<Transport>,
    raw: &FeedRaw,
    path: &str,
    ctx: &Context<'_>,
    report: &mut Report,
) -> Arc<Transport> {
    if raw.proxy.is_none() && raw.tls_insecure.is_none() && raw.ca_file.is_none() {
        return Arc::clone(base);
    }
    let mut transport = Transport::clone(base);
    if let Some(proxy) = &raw.proxy {
        let key = key_path(path, "proxy");
        if let Some(setting) = check(proxy, &key, report, |text| proxy_setting(text, ctx)) {
            transport.proxy = setting;
        }
    }
    tls(&mut transport, raw, path, ctx, report);
    Arc::new(transport)
}

fn tls(
    transport: &mut Transport,
    raw: &FeedRaw,
    path: &str,
    ctx: &Context<'_>,
    report: &mut Report,
) {
    if let Some(insecure) = &raw.tls_insecure {
        transport.tls_insecure = *insecure.get_ref();
        if transport.tls_insecure {
            let key = key_path(path, "tls_insecure");
            report.warn(Some(insecure.span()), &key, INSECURE);
        }
    }
    if let Some(file) = &raw.ca_file {
        let key = key_path(path, "ca_file");
        if let Some(bundle) = check(file, &key, report, |name| ca_bundle(name, ctx)) {
            transport.ca = Some(bundle);
        }
        // Whether this table or `[defaults]` turned the check off, no certificate is checked.
        if transport.tls_insecure {
            report.warn(Some(file.span()), &key, CA_IGNORED);
        }
    }
}

/// `"none"`, or an http, https, socks5 or socks5h URL. The URL may carry a password (from
/// `${VAR}`), so messages never repeat it.
fn proxy_setting(text: &str, ctx: &Context<'_>) -> Result<ProxySetting, String> {
    let text = ctx.expand(text)?;
    if text.trim().eq_ignore_ascii_case("none") {
        return Ok(ProxySetting::Direct);
    }
    if text.trim().is_empty() {
        return Err(
            "the proxy is empty; write \"none\" to ignore the environment's proxy, or \
                    remove the key to use it"
                .to_owned(),
        );
    }
    let url = url_of(&text, &["http", "https", "socks5", "socks5h"]).map_err(|problem| {
        match problem {
            UrlProblem::Invalid(error) => format!("the proxy is not a valid URL: {error}"),
            UrlProblem::Scheme(scheme) => format!(
                "unsupported proxy scheme {scheme}:, use http://, https://, socks5:// or socks5h://"
            ),
            UrlProblem::NoHost => "the proxy URL has no host".to_owned(),
        }
    })?;
    Ok(ProxySetting::Url(SecretUrl::new(url)))
}

#[cfg(test)]
mod tests;
