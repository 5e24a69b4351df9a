//! The per-feed fetch keys — `headers`, `user_agent`, `basic_auth`, `bearer_token(_file)`, `proxy`,
//! `tls_insecure`, `ca_file` — laid over `[defaults]` like the polling keys of [`super::poll`]: a
//! feed's key replaces the default one (`headers` name by name), and a wrong value is reported
//! where it is written and replaced by the one below it.

use std::path::Path;

use reqwest::header::HeaderValue;
use toml::Spanned;

use super::credentials::credentials;
use super::env::expand;
use super::fetch_options::{CaBundle, FetchOptions, ProxySetting, ProxyUrl};
use super::headers::{Reserved, headers_except};
use super::raw::PollRaw;
use super::report::{Report, check, key_path};
use super::validate::Context;

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

const INSECURE: &str = "TLS certificates are not verified here: anyone on the network path can \
                        pose as the server; prefer ca_file with the server's CA";

/// `base` with the fetch keys of `raw` (the table at `path`) laid over it.
pub(super) fn overlay(
    base: &FetchOptions,
    raw: &PollRaw,
    path: &str,
    ctx: &Context<'_>,
    report: &mut Report,
) -> FetchOptions {
    let mut options = base.clone();
    if let Some(table) = &raw.headers {
        let key = key_path(path, "headers");
        let own = headers_except(table, &key, ctx.env, FETCH_RESERVED, report);
        merge_headers(&mut options.headers, own);
    }
    if let Some(agent) = &raw.user_agent {
        let key = key_path(path, "user_agent");
        if let Some(agent) = check(agent, &key, report, |text| user_agent(text)) {
            options.user_agent = Some(agent);
        }
    }
    if let Some(found) = credentials(raw, path, ctx, report) {
        options.credentials = Some(found);
    }
    refuse_two_authorizations(&options, raw, path, report);
    if let Some(proxy) = &raw.proxy {
        let key = key_path(path, "proxy");
        if let Some(setting) = check(proxy, &key, report, |text| proxy_setting(text, ctx.env)) {
            options.transport.proxy = setting;
        }
    }
    tls(&mut options, raw, path, ctx, report);
    options
}

/// A feed's header replaces the default of the same name (names ignore case); the others add up.
fn merge_headers(headers: &mut Vec<(String, String)>, own: Vec<(String, String)>) {
    for (name, value) in own {
        headers.retain(|(known, _)| !known.eq_ignore_ascii_case(&name));
        headers.push((name, value));
    }
}

/// An `Authorization` header and credentials would each claim the one header; which one the server
/// saw would depend on the client, so the table that brings the second is refused.
fn refuse_two_authorizations(
    options: &FetchOptions,
    raw: &PollRaw,
    path: &str,
    report: &mut Report,
) {
    let header = options
        .headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("authorization"));
    if !header || options.credentials.is_none() {
        return;
    }
    let message = "set either an Authorization header or basic_auth/bearer_token, not both";
    // Only the table that brought one of the two is at fault; a feed inheriting both from
    // `[defaults]` is not reported again.
    let own_header = raw.headers.as_ref().is_some_and(|table| {
        let mut names = table.get_ref().keys();
        names.any(|name| name.get_ref().eq_ignore_ascii_case("authorization"))
    });
    let credential_keys = [
        ("basic_auth", raw.basic_auth.as_ref().map(Spanned::span)),
        ("bearer_token", raw.bearer_token.as_ref().map(Spanned::span)),
        (
            "bearer_token_file",
            raw.bearer_token_file.as_ref().map(Spanned::span),
        ),
    ];
    let own_credentials = credential_keys
        .into_iter()
        .find_map(|(key, span)| Some((key, span?)));
    let at = match (own_credentials, &raw.headers) {
        (Some(at), _) => at,
        (None, Some(table)) if own_header => ("headers", table.span()),
        _ => return,
    };
    report.error(at.1, &key_path(path, at.0), message);
}

fn tls(
    options: &mut FetchOptions,
    raw: &PollRaw,
    path: &str,
    ctx: &Context<'_>,
    report: &mut Report,
) {
    if let Some(insecure) = &raw.tls_insecure {
        options.transport.tls_insecure = *insecure.get_ref();
        if *insecure.get_ref() {
            report.warn(
                Some(insecure.span()),
                &key_path(path, "tls_insecure"),
                INSECURE,
            );
        }
    }
    if let Some(file) = &raw.ca_file {
        let key = key_path(path, "ca_file");
        if let Some(bundle) = check(file, &key, report, |name| ca_bundle(name, ctx)) {
            options.transport.ca = Some(bundle);
        }
        if raw
            .tls_insecure
            .as_ref()
            .is_some_and(|insecure| *insecure.get_ref())
        {
            let message = "ca_file has no effect while tls_insecure = true accepts any certificate";
            report.warn(Some(file.span()), &key, message);
        }
    }
}

fn user_agent(text: &str) -> Result<String, String> {
    let agent = text.trim();
    if agent.is_empty() {
        return Err("the user_agent is empty; remove the key to send feedhook's own".to_owned());
    }
    HeaderValue::from_str(agent).map_err(|_| {
        "the user_agent is not a valid HTTP header value (visible ASCII characters and spaces only)"
            .to_owned()
    })?;
    Ok(agent.to_owned())
}

/// `"none"`, or an http, https, socks5 or socks5h URL. The URL may carry a password (from
/// `${VAR}`), so messages never repeat it.
fn proxy_setting(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<ProxySetting, String> {
    let text = expand(text, env)?;
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
    let url = url::Url::parse(text.trim())
        .map_err(|error| format!("the proxy is not a valid URL: {error}"))?;
    if !matches!(url.scheme(), "http" | "https" | "socks5" | "socks5h") {
        return Err(format!(
            "unsupported proxy scheme {}:, use http://, https://, socks5:// or socks5h://",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("the proxy URL has no host".to_owned());
    }
    Ok(ProxySetting::Url(ProxyUrl::new(url)))
}

/// Reads the `ca_file` (after `${VAR}`, against the config's folder) and checks that every
/// certificate in it can serve as a trusted root.
fn ca_bundle(name: &str, ctx: &Context<'_>) -> Result<CaBundle, String> {
    let path = ctx.dir.join(expand(name, ctx.env)?);
    let pem =
        std::fs::read(&path).map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    check_certificates(&path, &pem)?;
    Ok(CaBundle { path, pem })
}

fn check_certificates(path: &Path, pem: &[u8]) -> Result<(), String> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;

    let shown = path.display();
    let mut roots = rustls::RootCertStore::empty();
    for certificate in CertificateDer::pem_slice_iter(pem) {
        let certificate =
            certificate.map_err(|error| format!("{shown} is not a valid PEM file: {error}"))?;
        roots
            .add(certificate)
            .map_err(|error| format!("{shown} holds a certificate that cannot be used: {error}"))?;
    }
    if roots.is_empty() {
        return Err(format!(
            "{shown} holds no certificate; it should hold one or more PEM blocks \
             \"-----BEGIN CERTIFICATE-----\""
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn feed_headers_replace_defaults_of_the_same_name() {
        let mut headers = vec![
            ("X-Team".to_owned(), "ops".to_owned()),
            ("Accept".to_owned(), "application/rss+xml".to_owned()),
        ];
        merge_headers(&mut headers, vec![("accept".to_owned(), "*/*".to_owned())]);
        let names: Vec<_> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(names, [("X-Team", "ops"), ("accept", "*/*")]);
    }

    #[test]
    fn proxies_are_http_https_or_socks5() {
        for url in [
            "http://proxy:3128",
            "https://proxy.example",
            "socks5://127.0.0.1:1080",
            "socks5h://p:1",
        ] {
            assert!(
                matches!(proxy_setting(url, &no_env), Ok(ProxySetting::Url(_))),
                "{url}"
            );
        }
        assert_eq!(proxy_setting(" None ", &no_env), Ok(ProxySetting::Direct));
        let ftp = proxy_setting("ftp://proxy", &no_env).expect_err("ftp");
        assert!(ftp.starts_with("unsupported proxy scheme ftp:"), "{ftp}");
        assert!(
            proxy_setting("", &no_env)
                .expect_err("empty")
                .contains("\"none\"")
        );
    }

    #[test]
    fn proxy_messages_never_repeat_the_url() {
        let env = |name: &str| (name == "PASS").then(|| "pr0xy-secret".to_owned());
        let setting = proxy_setting("http://user:${PASS}@proxy:3128", &env).expect("valid");
        let ProxySetting::Url(url) = setting else {
            panic!("a proxy URL")
        };
        assert_eq!(url.expose().password(), Some("pr0xy-secret"));
        for bad in [
            "gopher://user:pr0xy-secret@proxy",
            "http://user:pr0xy-secret@:99999",
        ] {
            let message = proxy_setting(bad, &env).expect_err(bad);
            assert!(!message.contains("pr0xy-secret"), "{message}");
        }
    }

    #[test]
    fn user_agents_are_trimmed_header_values() {
        assert_eq!(
            user_agent(" reader/1.0 (+https://a.example) ").as_deref(),
            Ok("reader/1.0 (+https://a.example)")
        );
        assert!(user_agent(" ").is_err());
        assert!(user_agent("bad\u{7}agent").is_err());
    }

    #[test]
    fn a_ca_file_needs_a_usable_certificate() {
        let path = Path::new("/etc/feedhook/ca.pem");
        let none = check_certificates(path, b"just text\n").expect_err("no PEM block");
        assert!(none.contains("holds no certificate"), "{none}");
        let garbage = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        let unusable = check_certificates(path, garbage).expect_err("not a certificate");
        assert!(unusable.contains("cannot be used"), "{unusable}");
    }
}
