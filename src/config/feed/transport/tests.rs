use std::path::PathBuf;

use super::*;

fn proxy(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<ProxySetting, String> {
    let ctx = Context {
        dir: PathBuf::from("/etc/feedhook"),
        env,
    };
    proxy_setting(text, &ctx)
}

fn no_env(_: &str) -> Option<String> {
    None
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
            matches!(proxy(url, &no_env), Ok(ProxySetting::Url(_))),
            "{url}"
        );
    }
    assert_eq!(proxy(" None ", &no_env), Ok(ProxySetting::Direct));
    let ftp = proxy("ftp://proxy", &no_env).expect_err("ftp");
    assert!(ftp.starts_with("unsupported proxy scheme ftp:"), "{ftp}");
    assert!(proxy("", &no_env).expect_err("empty").contains("\"none\""));
    let hostless = proxy("socks5:proxy", &no_env).expect_err("no host");
    assert!(hostless.contains("no host"), "{hostless}");
}

#[test]
fn proxy_messages_never_repeat_the_url() {
    let env = |name: &str| (name == "PASS").then(|| "pr0xy-secret".to_owned());
    let setting = proxy("http://user:${PASS}@proxy:3128", &env).expect("valid");
    let ProxySetting::Url(url) = setting else {
        panic!("a proxy URL")
    };
    assert_eq!(url.expose().password(), Some("pr0xy-secret"));
    for bad in [
        "gopher://user:pr0xy-secret@proxy",
        "http://user:pr0xy-secret@:99999",
    ] {
        let message = proxy(bad, &env).expect_err(bad);
        assert!(!message.contains("pr0xy-secret"), "{message}");
    }
}

#[test]
fn equal_transports_are_shared_and_different_ones_kept_apart() {
    let insecure = || {
        Arc::new(Transport {
            tls_insecure: true,
            ..Transport::default()
        })
    };
    let mut shared = SharedTransports::default();
    let first = shared.share(&insecure());
    let second = shared.share(&insecure());
    assert!(Arc::ptr_eq(&first, &second));
    let direct = shared.share(&Arc::new(Transport {
        proxy: ProxySetting::Direct,
        ..Transport::default()
    }));
    assert!(!Arc::ptr_eq(&first, &direct));
}

#[test]
fn only_the_default_transport_is_default() {
    assert!(Transport::default().is_default());
    let insecure = Transport {
        tls_insecure: true,
        ..Transport::default()
    };
    assert!(!insecure.is_default());
}
