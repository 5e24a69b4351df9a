//! The HTTP clients: one shared by every feed with the default transport, and one more for each
//! distinct proxy/TLS setting some feed asks for, built on first use and kept. A reqwest client is
//! one connection pool with its TLS and proxy settings fixed, so feeds that differ there cannot
//! share one; everything else (headers, credentials, user agent) is set per request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use reqwest::{Certificate, Client, ClientBuilder, Proxy};

use super::FetchError;
use super::client::{CONNECT_TIMEOUT, USER_AGENT};
use super::guard::{AddressGuard, GuardedResolver};
use crate::config::{CaBundle, ProxySetting, SecretUrl, Transport};

/// The proxy variables reqwest reads when no proxy is configured (it also reads `NO_PROXY`).
const PROXY_VARIABLES: &[&str] = &[
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
];

pub(super) struct Clients {
    shared: Client,
    guard: Option<Arc<AddressGuard>>,
    /// Clients for the other transports; as many as distinct settings in the config, so a few.
    others: Mutex<HashMap<Transport, Client>>,
}

impl Clients {
    pub(super) fn new(guard: Option<Arc<AddressGuard>>) -> Result<Self, FetchError> {
        Ok(Self {
            shared: build(&Transport::default(), guard.as_ref())?,
            guard,
            others: Mutex::new(HashMap::new()),
        })
    }

    /// The client for `transport` (cheap to clone: it is a handle on a shared pool).
    pub(super) fn get(&self, transport: &Transport) -> Result<Client, FetchError> {
        if *transport == Transport::default() {
            return Ok(self.shared.clone());
        }
        // Held only while looking up or building, never across an await; a panic cannot leave
        // the map half-changed, so a poisoned lock is still usable.
        let mut others = self.others.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(client) = others.get(transport) {
            return Ok(client.clone());
        }
        let client = build(transport, self.guard.as_ref())?;
        others.insert(transport.clone(), client.clone());
        Ok(client)
    }

    #[cfg(test)]
    pub(super) fn built(&self) -> usize {
        self.others
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

/// Decompression (gzip, brotli, deflate) is on through Cargo features; redirects are ours to
/// follow. Without a configured proxy, reqwest honours the proxy environment variables.
fn build(transport: &Transport, guard: Option<&Arc<AddressGuard>>) -> Result<Client, FetchError> {
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
    builder
        .build()
        .map_err(|err| FetchError::Other(format!("cannot set up the HTTP client: {err}")))
}

/// reqwest takes the proxy's credentials from its URL. Its error could quote the URL, so it is
/// not passed on.
fn proxy(url: &SecretUrl) -> Result<Proxy, FetchError> {
    Proxy::all(url.expose().as_str())
        .map_err(|_| FetchError::Other(format!("cannot use the proxy {url}")))
}

fn add_roots(mut builder: ClientBuilder, bundle: &CaBundle) -> Result<ClientBuilder, FetchError> {
    let unusable = |err: reqwest::Error| {
        FetchError::Other(format!(
            "cannot use the certificates of {}: {err}",
            bundle.path.display()
        ))
    };
    for certificate in Certificate::from_pem_bundle(&bundle.pem).map_err(unusable)? {
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
