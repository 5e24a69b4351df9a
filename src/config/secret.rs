//! Webhook URLs are secrets: the path or query of most of them is the credential.

use std::fmt;

/// A webhook URL whose `Debug` and `Display` show only the scheme, the host and a redacted path,
/// so that it can never be logged whole by accident. [`WebhookUrl::expose`] gives the real URL to
/// the one place that needs it: the HTTP request.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookUrl(url::Url);

impl WebhookUrl {
    #[must_use]
    pub fn new(url: url::Url) -> Self {
        Self(url)
    }

    /// The whole URL, secret included. Only for building the request.
    #[must_use]
    pub fn expose(&self) -> &url::Url {
        &self.0
    }

    /// `https://host.example/…` — what logs, errors and `status` show.
    #[must_use]
    pub fn redacted(&self) -> String {
        format!("{}/…", origin(&self.0))
    }
}

/// `scheme://host[:port]` of `url`: the part of a secret URL that is safe to show.
#[must_use]
pub fn origin(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or("");
    match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    }
}

impl fmt::Debug for WebhookUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WebhookUrl({})", self.redacted())
    }
}

impl fmt::Display for WebhookUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_debug_hide_path_and_query() {
        let url =
            url::Url::parse("https://example.webhook.office.com/webhookb2/secret-token?sig=abc")
                .expect("valid url");
        let hook = WebhookUrl::new(url);
        for shown in [hook.to_string(), format!("{hook:?}")] {
            assert!(!shown.contains("secret"), "{shown}");
            assert!(!shown.contains("sig"), "{shown}");
            assert!(
                shown.contains("https://example.webhook.office.com/"),
                "{shown}"
            );
        }
    }
}
