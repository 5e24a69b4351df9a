//! The per-feed transport keys (`proxy`, `tls_insecure`, `ca_file`) and `[fetch]`'s address guard.

use super::CONSOLE;
use super::fetch_options::{env, feed, load, only_problem, options};
use crate::config::{Config, ProxySetting};

#[test]
fn a_proxy_is_a_url_or_none_and_never_shown() {
    let found = options("proxy = \"http://feedhook:${PROXY_PASSWORD}@proxy.lan:3128\"\n");
    let ProxySetting::Url(url) = &found.transport.proxy else {
        panic!("a proxy URL")
    };
    assert_eq!(url.expose().password(), Some("s3cret-proxy"));
    assert!(!format!("{found:?}").contains("s3cret"));
    assert_eq!(
        options("proxy = \"none\"\n").transport.proxy,
        ProxySetting::Direct
    );
    assert_eq!(
        options("proxy = \"${NO_PROXY_HERE}\"\n").transport.proxy,
        ProxySetting::Direct,
        "\"none\" from the environment"
    );
    let problem = only_problem(
        &feed("proxy = \"ftp://user:s3cret@proxy\"\n"),
        "feeds[0].proxy",
        6,
    );
    assert!(problem.message.contains("socks5://"), "{problem}");
}

#[test]
fn tls_insecure_is_accepted_with_a_warning() {
    let config = load(&feed("tls_insecure = true\n")).expect("valid");
    assert!(config.feeds[0].fetch.transport.tls_insecure);
    assert_eq!(config.warnings.len(), 1, "{:?}", config.warnings);
    assert!(
        config.warnings[0].contains(":6: feeds[0].tls_insecure: TLS certificates are not verified")
    );
    let problem = only_problem(
        &feed("tls_insecure = \"yes\"\n"),
        "feeds[0].tls_insecure",
        6,
    );
    assert!(problem.message.contains("bool"), "{problem}");
}

#[test]
fn a_ca_file_is_read_relative_to_the_config() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ca = rcgen::generate_simple_self_signed(vec!["intranet.test".to_owned()]).expect("cert");
    std::fs::write(dir.path().join("ca.pem"), ca.cert.pem()).expect("write");
    let source = dir.path().join("feedhook.toml");
    let config =
        Config::from_toml_str(&feed("ca_file = \"ca.pem\"\n"), &source, &env).expect("valid");
    let bundle = config.feeds[0]
        .fetch
        .transport
        .ca
        .as_ref()
        .expect("a bundle");
    assert_eq!(bundle.path, dir.path().join("ca.pem"));
    assert_eq!(bundle.pem, ca.cert.pem().into_bytes());

    let problem = only_problem(
        &feed("ca_file = \"/nonexistent/ca.pem\"\n"),
        "feeds[0].ca_file",
        6,
    );
    assert!(
        problem
            .message
            .starts_with("cannot read /nonexistent/ca.pem"),
        "{problem}"
    );
}

#[test]
fn the_address_guard_is_off_unless_asked_for() {
    let config = load(CONSOLE).expect("valid");
    assert!(!config.fetch.block_private_addresses);
    let text = format!(
        "[fetch]\nblock_private_addresses = true\nallow_addresses = [\"10.1.2.3/24\", \"::1\"]\n{CONSOLE}"
    );
    let fetch = load(&text).expect("valid").fetch;
    assert!(fetch.block_private_addresses);
    let allowed: Vec<String> = fetch
        .allow_addresses
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(allowed, ["10.1.2.0/24", "::1/128"]);
}

#[test]
fn a_bad_network_is_named_and_a_useless_allow_list_warned_about() {
    let text = format!(
        "[fetch]\nblock_private_addresses = true\nallow_addresses = [\"10.1.2.0/24\",\n  \"intranet\"]\n{CONSOLE}"
    );
    let problem = only_problem(&text, "fetch.allow_addresses", 4);
    assert!(
        problem
            .message
            .starts_with("\"intranet\" is not an address"),
        "{problem}"
    );
    let config = load(&format!(
        "[fetch]\nallow_addresses = [\"10.0.0.0/8\"]\n{CONSOLE}"
    ))
    .expect("valid");
    assert!(
        config
            .warnings
            .iter()
            .any(|w| w.contains("no effect unless block_private_addresses")),
        "{:?}",
        config.warnings
    );
}
