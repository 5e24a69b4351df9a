use super::*;
use crate::config::FetchSettings;

fn proxy_url(text: &str) -> ProxySetting {
    ProxySetting::Url(SecretUrl::new(url::Url::parse(text).expect("test URL")))
}

#[test]
fn feeds_with_the_default_transport_share_one_client() {
    let clients = Clients::new(None).expect("builds");
    clients.get(&Transport::default()).expect("shared");
    assert_eq!(clients.built(), 0);
}

#[test]
fn each_distinct_transport_gets_one_client_of_its_own() {
    let clients = Clients::new(None).expect("builds");
    let insecure = Transport {
        tls_insecure: true,
        ..Transport::default()
    };
    let proxied = Transport {
        proxy: proxy_url("socks5://user:pass@127.0.0.1:1080"),
        ..Transport::default()
    };
    let direct = Transport {
        proxy: ProxySetting::Direct,
        ..Transport::default()
    };
    for transport in [&insecure, &proxied, &direct, &insecure, &proxied] {
        clients.get(transport).expect("builds");
    }
    assert_eq!(clients.built(), 3);
}

#[test]
fn http_https_and_socks_proxies_all_build() {
    let settings = FetchSettings {
        block_private_addresses: true,
        ..FetchSettings::default()
    };
    let guard = AddressGuard::from_settings(&settings);
    for url in [
        "http://p:3128",
        "https://p.example",
        "socks5://p:1080",
        "socks5h://p:1080",
    ] {
        let transport = Transport {
            proxy: proxy_url(url),
            ..Transport::default()
        };
        build(&transport, guard.as_ref()).unwrap_or_else(|err| panic!("{url}: {err}"));
    }
}

#[test]
fn configured_proxies_are_exempt_from_the_guard() {
    assert_eq!(
        proxy_hosts(&proxy_url("http://user:pw@proxy.lan:3128")),
        ["proxy.lan"]
    );
    assert!(proxy_hosts(&ProxySetting::Direct).is_empty());
    let bare = environment_proxy("proxy.lan:3128").expect("scheme-less");
    assert_eq!(bare.host_str(), Some("proxy.lan"));
    let full = environment_proxy("socks5h://10.0.0.5:1080").expect("with scheme");
    assert_eq!(full.host_str(), Some("10.0.0.5"));
    assert!(environment_proxy(" ").is_none());
}
