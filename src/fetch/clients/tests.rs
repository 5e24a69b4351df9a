use super::*;
use crate::config::{FetchOptions, FetchSettings};
use crate::fetch::testing::feed_with;

fn proxy_url(text: &str) -> ProxySetting {
    ProxySetting::Url(SecretUrl::new(url::Url::parse(text).expect("test URL")))
}

fn with_transport(name: &str, transport: &Arc<Transport>) -> Feed {
    let options = FetchOptions {
        transport: Arc::clone(transport),
        ..FetchOptions::default()
    };
    feed_with(name, &options)
}

#[test]
fn feeds_with_the_default_transport_share_one_client() {
    let feeds = [
        with_transport("a", &Arc::default()),
        with_transport("b", &Arc::default()),
    ];
    let clients = Clients::build(None, &feeds).expect("builds");
    assert_eq!(clients.built(), 0);
    clients
        .get(&feeds[1].fetch.transport)
        .expect("the shared client");
}

#[test]
fn each_distinct_transport_gets_one_client_of_its_own_built_at_once() {
    let insecure = Arc::new(Transport {
        tls_insecure: true,
        ..Transport::default()
    });
    let proxied = Arc::new(Transport {
        proxy: proxy_url("socks5://user:pass@127.0.0.1:1080"),
        ..Transport::default()
    });
    let direct = Arc::new(Transport {
        proxy: ProxySetting::Direct,
        ..Transport::default()
    });
    let feeds: Vec<Feed> = [&insecure, &proxied, &direct, &insecure, &proxied]
        .into_iter()
        .enumerate()
        .map(|(i, transport)| with_transport(&format!("feed-{i}"), transport))
        .collect();
    let clients = Clients::build(None, &feeds).expect("builds");
    assert_eq!(clients.built(), 3);
    for feed in &feeds {
        clients.get(&feed.fetch.transport).expect("built at start");
    }
}

#[test]
fn a_transport_no_feed_named_has_no_client() {
    let clients = Clients::build(None, &[]).expect("builds");
    let stranger = Arc::new(Transport {
        tls_insecure: true,
        ..Transport::default()
    });
    assert!(clients.get(&stranger).is_none());
}

#[test]
fn a_ca_that_cannot_be_used_stops_the_start_naming_its_feeds() {
    let broken = Arc::new(Transport {
        ca: Some(CaBundle {
            path: "/etc/feedhook/intranet-ca.pem".into(),
            pem: b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".to_vec(),
        }),
        ..Transport::default()
    });
    let feeds: Vec<Feed> = ["wiki", "tickets", "builds", "alerts", "audit"]
        .into_iter()
        .map(|name| with_transport(name, &broken))
        .chain([with_transport("public", &Arc::default())])
        .collect();
    let Err(message) = Clients::build(None, &feeds) else {
        panic!("an unusable CA must fail the build")
    };
    assert!(
        message.starts_with(
            "feeds \"wiki\", \"tickets\", \"builds\" and 2 more: cannot use the certificates \
             of ca_file /etc/feedhook/intranet-ca.pem: "
        ),
        "{message}"
    );
    let one = Clients::build(None, &feeds[..1]).err();
    assert!(
        one.as_deref()
            .is_some_and(|m| m.starts_with("feed \"wiki\": ")),
        "{one:?}"
    );
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
