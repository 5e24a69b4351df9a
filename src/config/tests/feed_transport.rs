//! The per-feed transport keys (`proxy`, `tls_insecure`, `ca_file`) and `[fetch]`'s address guard.

use std::sync::Arc;

use super::CONSOLE;
use super::feed_fetch::{env, feed, load, only_problem, options};
use crate::config::{Config, ProxySetting};

/// `text` loaded from a folder holding `ca.pem`, a usable certificate.
fn load_beside_a_ca(text: &str) -> Config {
    let dir = tempfile::tempdir().expect("temp dir");
    let ca = rcgen::generate_simple_self_signed(vec!["intranet.test".to_owned()]).expect("cert");
    std::fs::write(dir.path().join("ca.pem"), ca.cert.pem()).expect("write");
    Config::from_toml_str(text, &dir.path().join("feedhook.toml"), &env)
        .unwrap_or_else(|error| panic!("expected a valid config: {error}"))
}

fn ca_ignored_warnings(config: &Config) -> Vec<&str> {
    let warnings = config.warnings.iter().map(String::as_str);
    warnings
        .filter(|w| w.contains("ca_file has no effect while tls_insecure = true"))
        .collect()
}

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

#[test]
fn a_ca_file_beside_tls_insecure_is_said_to_have_no_effect() {
    let config = load_beside_a_ca(&feed("tls_insecure = true\nca_file = \"ca.pem\"\n"));
    let ignored = ca_ignored_warnings(&config);
    assert_eq!(ignored.len(), 1, "{:?}", config.warnings);
    assert!(ignored[0].contains(":7: feeds[0].ca_file: "), "{ignored:?}");
}

#[test]
fn a_ca_file_under_an_insecure_default_is_said_to_have_no_effect() {
    let feeds = "[[feeds]]\nurl = \"https://a.example/\"\nchannels = [\"terminal\"]\nca_file = \"ca.pem\"\n\n\
                 [[feeds]]\nurl = \"https://b.example/\"\nchannels = [\"terminal\"]\nca_file = \"ca.pem\"\ntls_insecure = false\n";
    let text = format!("[defaults]\ntls_insecure = true\n{CONSOLE}{feeds}");
    let config = load_beside_a_ca(&text);
    let ignored = ca_ignored_warnings(&config);
    assert_eq!(ignored.len(), 1, "{:?}", config.warnings);
    assert!(ignored[0].contains(":8: feeds[0].ca_file: "), "{ignored:?}");
    assert!(!config.feeds[1].fetch.transport.tls_insecure);
}

#[test]
fn feeds_with_equal_transports_share_one() {
    let proxied = |host: &str| {
        format!(
            "[[feeds]]\nurl = \"https://{host}/\"\nchannels = [\"terminal\"]\nproxy = \"http://proxy.lan:3128\"\n"
        )
    };
    let text = format!(
        "{CONSOLE}{}{}[[feeds]]\nurl = \"https://c.example/\"\nchannels = [\"terminal\"]\n",
        proxied("a.example"),
        proxied("b.example")
    );
    let config = load(&text).expect("valid");
    let [a, b, c] = &config.feeds[..] else {
        panic!("three feeds")
    };
    assert!(Arc::ptr_eq(&a.fetch.transport, &b.fetch.transport));
    assert!(!Arc::ptr_eq(&a.fetch.transport, &c.fetch.transport));
    assert!(c.fetch.transport.is_default());
}
