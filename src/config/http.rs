//! `[http]`: the address of the operator's endpoint (`/metrics`, `/healthz`, and the WebSub
//! callbacks), and the public URL hubs reach it at. Without the table nothing listens; with it,
//! `listen` is required, since guessing a port would surprise a firewall.

use std::net::SocketAddr;

use toml::Spanned;

use super::raw::HttpRaw;
use super::report::Report;
use super::values::http_url;

const LISTEN_HINT: &str = "write an IP address and a port, e.g. \"127.0.0.1:9184\" or \"[::1]:9184\" (host names are not resolved)";

/// The operator's HTTP endpoint, `/metrics` and `/healthz` (`[http]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpSettings {
    /// The socket address to listen on (`listen`), e.g. `127.0.0.1:9184`.
    pub listen: SocketAddr,
    /// Where WebSub hubs reach this listener (`public_url`), e.g. behind a reverse proxy; its path
    /// ends with `/`, so that a callback path joins onto it. `None`: feedhook never subscribes.
    pub public_url: Option<url::Url>,
}

/// The validated `[http]` table, or `None` when it has a problem (reported).
pub(super) fn http(table: &Spanned<HttpRaw>, report: &mut Report) -> Option<HttpSettings> {
    let public_url = table
        .get_ref()
        .public_url
        .as_ref()
        .and_then(|url| public_url(url, report));
    let Some(listen) = &table.get_ref().listen else {
        // A `listen` of the wrong type was reported and left out; it is not missing as well.
        if report.problems.iter().any(|p| p.key == "http.listen") {
            return None;
        }
        let message = "missing key listen (the address to serve /metrics and /healthz on, \
                       e.g. listen = \"127.0.0.1:9184\"); remove [http] to serve nothing";
        report.error(table.span(), "http.listen", message);
        return None;
    };
    let text = listen.get_ref();
    let Ok(address) = text.trim().parse::<SocketAddr>() else {
        let message = format!("invalid address {text:?}: {LISTEN_HINT}");
        report.error(listen.span(), "http.listen", message);
        return None;
    };
    if !address.ip().is_loopback() {
        let message = format!(
            "listen = {text:?} serves the metrics (feed and channel names, error counts) to the \
             network without authentication; prefer 127.0.0.1 and let Prometheus or a proxy reach it"
        );
        report.warn(Some(listen.span()), "http.listen", message);
    }
    Some(HttpSettings {
        listen: address,
        public_url,
    })
}

/// `public_url`: an http(s) URL without query or fragment, given a trailing `/`.
fn public_url(raw: &Spanned<String>, report: &mut Report) -> Option<url::Url> {
    let key = "http.public_url";
    let mut url = http_url(raw.get_ref())
        .map_err(|reason| report.error(raw.span(), key, format!("invalid public URL: {reason}")))
        .ok()?;
    if url.query().is_some() || url.fragment().is_some() {
        let message =
            "the public URL takes no query or fragment: hubs call back on a path below it";
        report.error(raw.span(), key, message);
        return None;
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Some(url)
}

#[cfg(test)]
mod tests;
