//! The HTTP clients: one shared by every feed with the default transport, and one more for each
//! distinct proxy/TLS setting some feed asks for. A reqwest client is one connection pool with its
//! TLS and proxy settings fixed, so feeds that differ there cannot share one; everything else
//! (headers, credentials, user agent) is set per request.
//!
//! Every client is built when the fetcher is (at start, and at each reload), so a proxy or CA that
//! cannot be used stops the start with the feeds that use it named, rather than failing their
//! polls. The config gives feeds with equal settings one shared `Arc<Transport>`, so a fetch finds
//! its client by that pointer, without comparing certificates.

use std::sync::Arc;
use std::time::Duration;

use reqwest::{Certificate, Client, ClientBuilder, Proxy};

use super::cause::root_message;
use super::guard::{AddressGuard, GuardedResolver};
use crate::config::{CaBundle, Feed, ProxySetting, SecretUrl, Transport};

/// The proxy variables reqwest reads when no proxy is configured (it also reads `NO_PROXY`).
const PROXY_VARIABLES: &[&str] = &[
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
];

pub(super) const USER_AGENT: &str = concat!("feedhook/", env!("CARGO_PKG_VERSION"));

/// Longest wait for a TCP + TLS connection; a shorter fetch deadline cuts it shorter still.
pub(super) const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Feeds named in a message about a client they share; the others are counted.
const FEEDS_NAMED: usize = 3;

pub(super) struct Clients {
    shared: Client,
    /// A client for each other transport, with the transport it was built for: as many as
    /// distinct settings in the config, so a few, and a scan finds one quickest.
    others: Vec<(Arc<Transport>, Client)>,
}

impl Clients {
    /// The shared client and one for each transport of `feeds` that is not the default. The error
    /// names the feeds whose client cannot be built, and why.
    pub(super) fn build(guard: Option<&Arc<AddressGuard>>, feeds: &[Feed]) -> Result<Self, String> {
        let shared = build(&Transport::default(), guard)
            .map_err(|reason| format!("cannot set up the HTTP client: {reason}"))?;
        let mut others: Vec<(Arc<Transport>, Client)> = Vec::new();
        for feed in feeds {
            let transport = &feed.fetch.transport;
            let built = |(known, _): &(Arc<Transport>, Client)| Arc::ptr_eq(known, transport);
            if transport.is_default() || others.iter().any(built) {
                continue;
            }
            let client = build(transport, guard)
                .map_err(|reason| format!("{}: {reason}", feeds_using(feeds, transport)))?;
            others.push((Arc::clone(transport), client));
        }
        Ok(Self { shared, others })
    }

    /// The client of feeds with the default transport, also used for WebSub hubs.
    pub(super) fn shared(&self) -> &Client {
        &self.shared
    }

    /// The client built for `transport`; `None` for a transport none of the feeds had.
    pub(super) fn get(&self, transport: &Arc<Transport>) -> Option<&Client> {
        if transport.is_default() {
            return Some(&self.shared);
        }
        self.others
            .iter()
            .find(|(known, _)| Arc::ptr_eq(known, transport))
            .map(|(_, client)| client)
    }

    #[cfg(test)]
    pub(super) fn built(&self) -> usize {
        self.others.len()
    }
}

/// `feed "a"`, `feeds "a" and "b"`, `feeds "a", "b", "c" and 4 more`: the feeds using `transport`.
fn feeds_using(feeds: &[Feed], transport: &Arc<Transport>) -> String {
    let names: Vec<String> = feeds
        .iter()
        .filter(|feed| Arc::ptr_eq(&feed.fetch.transport, transport))
        .map(|feed| format!("{:?}", feed.name))
        .collect();
    match names.as_slice() {
        [one] => format!("feed {one}"),
        [first @ .., last] if names.len() <= FEEDS_NAMED => {
            format!("feeds {} and {last}", first.join(", "))
        }
        _ => format!(
            "feeds {} and {} more",
            names[..FEEDS_NAMED].join(", "),
            names.len() - FEEDS_NAMED
        ),
    }
}

/// Decompression (gzip, brotli, deflate) is on through Cargo features; redirects are ours to
/// follow. Without a configured proxy, reqwest honours the proxy environment variables. The error
/// names the key at fault, never a secret.
fn build(transport: &Transport, guard: Option<&Arc<AddressGuard>>) -> Result<Client, String> {
    let mut builder = Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(CONNECT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .referer(false);
    if let Some(guard) = guard {
        let resolver = GuardedResolver::new(Arc::clone(guard), proxy_hosts(&transport.proxy));
        builder = builder.dns_resolver(Arc::new(resolver));
    }
    builder = match &transport.proxy {
        ProxySetting::FromEnvironment => builder,
        ProxySetting::Direct => builder.no_proxy(),
        ProxySetting::Url(url) => builder.proxy(proxy(url)?),
    };
    if transport.tls_insecure {
        builder = builder.danger_accept_invalid_certs(true);
    }
    if let Some(bundle) = &transport.ca {
        builder = add_roots(builder, bundle)?;
    }
    builder.build().map_err(|err| match &transport.ca {
        // Certificates are only parsed now, so a bad one is the likeliest cause.
        Some(bundle) => format!(
            "cannot use the certificates of ca_file {}: {}",
            bundle.path.display(),
            root_message(&err)
        ),
        None => root_message(&err),
    })
}

/// reqwest takes the proxy's credentials from its URL. Its error could quote the URL, so it is
/// not passed on.
fn proxy(url: &SecretUrl) -> Result<Proxy, String> {
    Proxy::all(url.expose().as_str()).map_err(|_| format!("cannot use the proxy {url}"))
}

fn add_roots(mut builder: ClientBuilder, bundle: &CaBundle) -> Result<ClientBuilder, String> {
    let certificates = Certificate::from_pem_bundle(&bundle.pem).map_err(|err| {
        format!(
            "cannot use the certificates of ca_file {}: {}",
            bundle.path.display(),
            root_message(&err)
        )
    })?;
    for certificate in certificates {
        builder = builder.add_root_certificate(certificate);
    }
    Ok(builder)
}

/// The hosts of the proxies a client will use, which the address guard lets through: the operator
/// chose them, and a proxy on the local network is the usual case.
fn proxy_hosts(setting: &ProxySetting) -> Vec<String> {
    let urls: Vec<url::Url> = match setting {
        ProxySetting::Direct => Vec::new(),
        ProxySetting::Url(url) => vec![url.expose().clone()],
        ProxySetting::FromEnvironment => PROXY_VARIABLES
            .iter()
            .filter_map(|name| std::env::var(name).ok())
            .filter_map(|value| environment_proxy(&value))
            .collect(),
    };
    urls.iter()
        .filter_map(|url| url.host_str().map(str::to_owned))
        .collect()
}

/// Proxy variables are often written without a scheme (`proxy.example:3128`), which means http.
fn environment_proxy(value: &str) -> Option<url::Url> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    url::Url::parse(value)
        .ok()
        .filter(url::Url::has_host)
        .or_else(|| url::Url::parse(&format!("http://{value}")).ok())
}

#[cfg(test)]
mod tests;
