//! How one feed is fetched besides its URL: extra headers, credentials, a proxy and TLS trust. The
//! values come from the per-feed keys (and `[defaults]`), checked in [`super::fetch_keys`].
//!
//! Header values, passwords, tokens and proxy URLs may all be credentials, so no `Debug` here shows
//! one: a feed can be logged whole without leaking them.

use std::fmt;
use std::path::PathBuf;

/// The per-feed fetch options; the default is a plain GET through the shared client.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FetchOptions {
    /// Extra request headers in file order (`headers`; `[defaults]` first, the feed's own replacing
    /// a default of the same name). Sent only to the feed's own host.
    pub headers: Vec<(String, String)>,
    /// Replaces feedhook's `User-Agent` (`user_agent`).
    pub user_agent: Option<String>,
    /// Sent only to the feed's own host (`basic_auth`, `bearer_token`, `bearer_token_file`).
    pub credentials: Option<Credentials>,
    /// What needs a client of its own: proxy and TLS settings.
    pub transport: Transport,
}

impl fmt::Debug for FetchOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("FetchOptions")
            .field("headers", &header_names)
            .field("user_agent", &self.user_agent)
            .field("credentials", &self.credentials)
            .field("transport", &self.transport)
            .finish()
    }
}

/// HTTP authentication for a feed.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// `Authorization: Basic …` (RFC 7617).
    Basic { username: String, password: Secret },
    /// `Authorization: Bearer …` (RFC 6750).
    Bearer(Secret),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Basic { username, .. } => write!(f, "Basic({username:?}, password: …)"),
            Self::Bearer(_) => f.write_str("Bearer(…)"),
        }
    }
}

/// A password or token. Shown as `…`; [`Secret::expose`] gives it to the request that sends it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    #[must_use]
    pub fn new(value: String) -> Self {
        Self(value)
    }

    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// The settings that change how connections are made. Feeds with the default share one HTTP
/// client; each other distinct value gets a client of its own, so this is the key that tells them
/// apart.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Transport {
    pub proxy: ProxySetting,
    /// Accept any certificate (`tls_insecure = true`): expired, self-signed, for another host.
    pub tls_insecure: bool,
    /// Extra trusted roots (`ca_file`), besides the system's and the built-in ones.
    pub ca: Option<CaBundle>,
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
    /// An http, https, socks5 or socks5h proxy for every request of the feed.
    Url(ProxyUrl),
}

/// A proxy URL, which may carry a user and password: shown as scheme, host and port only.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ProxyUrl(url::Url);

impl ProxyUrl {
    #[must_use]
    pub fn new(url: url::Url) -> Self {
        Self(url)
    }

    /// The whole URL, credentials included. Only for configuring the client.
    #[must_use]
    pub fn expose(&self) -> &url::Url {
        &self.0
    }

    /// `socks5://proxy.example:1080`
    #[must_use]
    pub fn redacted(&self) -> String {
        super::secret::origin(&self.0)
    }
}

impl fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProxyUrl({})", self.redacted())
    }
}

impl fmt::Display for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// The certificates of a `ca_file`, read when the config is loaded (so that `check` reports a
/// missing or broken file, and a reload picks up a changed one).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CaBundle {
    /// Where they were read from, for messages.
    pub path: PathBuf,
    /// The file's PEM text; it holds at least one valid certificate.
    pub pem: Vec<u8>,
}

impl fmt::Debug for CaBundle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CaBundle({})", self.path.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_secret() {
        let proxy =
            url::Url::parse("http://proxyuser:proxypass@proxy.example:3128/").expect("valid url");
        let options = FetchOptions {
            headers: vec![("X-Api-Key".to_owned(), "header-secret".to_owned())],
            user_agent: Some("reader/1".to_owned()),
            credentials: Some(Credentials::Basic {
                username: "reader".to_owned(),
                password: Secret::new("basic-secret".to_owned()),
            }),
            transport: Transport {
                proxy: ProxySetting::Url(ProxyUrl::new(proxy)),
                tls_insecure: false,
                ca: None,
            },
        };
        let shown = format!("{options:?}");
        for secret in ["header-secret", "basic-secret", "proxyuser", "proxypass"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(
            shown.contains("X-Api-Key") && shown.contains("\"reader\""),
            "{shown}"
        );
        assert!(shown.contains("http://proxy.example:3128"), "{shown}");
        let bearer = Credentials::Bearer(Secret::new("token-secret".to_owned()));
        assert_eq!(format!("{bearer:?}"), "Bearer(…)");
    }
}
