//! TLS fails closed: a certificate the system does not trust, an expired one or one for another
//! host is a [`FetchError::Tls`] that names the way out, and `ca_file` or `tls_insecure` opens it.
//! The server is a rustls acceptor on 127.0.0.1 with certificates made for the test.

use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use super::{Get, body_of, error_of, fetcher, fetcher_for, raw, url};
use crate::config::{CaBundle, FetchOptions, Transport};
use crate::fetch::FetchError;

/// A private CA, as an intranet would have.
struct TestCa {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl TestCa {
    fn new() -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(DnType::CommonName, "feedhook test CA");
        let key = KeyPair::generate().expect("CA key");
        Self {
            issuer: CertifiedIssuer::self_signed(params, key).expect("CA certificate"),
        }
    }

    /// A server certificate for `names`, expired when `expired` says so.
    fn issue(&self, names: &[&str], expired: bool) -> Served {
        let names: Vec<String> = names.iter().map(|name| (*name).to_owned()).collect();
        let mut params = CertificateParams::new(names).expect("server params");
        if expired {
            params.not_before = rcgen::date_time_ymd(2000, 1, 1);
            params.not_after = rcgen::date_time_ymd(2001, 1, 1);
        }
        let key = KeyPair::generate().expect("server key");
        let certificate = params.signed_by(&key, &self.issuer).expect("signed");
        Served {
            chain: vec![certificate.der().clone(), self.issuer.der().clone()],
            key: PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
        }
    }

    fn options(&self) -> FetchOptions {
        let bundle = CaBundle {
            path: "/etc/feedhook/test-ca.pem".into(),
            pem: self.issuer.pem().into_bytes(),
        };
        with_transport(Transport {
            ca: Some(bundle),
            ..Transport::default()
        })
    }
}

struct Served {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

fn with_transport(transport: Transport) -> FetchOptions {
    FetchOptions {
        transport: Arc::new(transport),
        ..FetchOptions::default()
    }
}

/// Serves `<feed/>` over TLS with `served` and returns the base URL (`https://127.0.0.1:PORT/`).
async fn serve(served: Served) -> String {
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(served.chain, served.key)
        .expect("server certificate");
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake: nothing to answer.
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                raw::read_head(&mut tls).await;
                let reply =
                    b"HTTP/1.1 200 OK\r\ncontent-length: 7\r\nconnection: close\r\n\r\n<feed/>";
                raw::write(&mut tls, reply).await;
            });
        }
    });
    format!("https://{addr}/")
}

fn assert_names_the_way_out(err: &FetchError, cause: &str) {
    assert!(matches!(err, FetchError::Tls(_)), "{err:?}");
    let message = err.to_string();
    assert!(message.contains(cause), "{message}");
    assert!(
        message.contains("ca_file") && message.contains("tls_insecure"),
        "{message}"
    );
}

#[tokio::test]
async fn an_untrusted_certificate_fails_closed() {
    let ca = TestCa::new();
    let feed = url(&serve(ca.issue(&["127.0.0.1"], false)).await, "/feed");

    let err = error_of(Get::new(&feed).run(&fetcher()).await);

    assert_names_the_way_out(&err, "UnknownIssuer");
}

#[tokio::test]
async fn the_feeds_ca_file_makes_its_certificate_trusted() {
    let ca = TestCa::new();
    let feed = url(&serve(ca.issue(&["127.0.0.1"], false)).await, "/feed");

    let get = Get {
        options: ca.options(),
        ..Get::new(&feed)
    };
    let body = body_of(get.run(&fetcher_for(&[&get.options])).await);

    assert_eq!(body.body, b"<feed/>");
}

#[tokio::test]
async fn tls_insecure_accepts_an_untrusted_certificate() {
    let ca = TestCa::new();
    let feed = url(&serve(ca.issue(&["127.0.0.1"], false)).await, "/feed");

    let get = Get {
        options: with_transport(Transport {
            tls_insecure: true,
            ..Transport::default()
        }),
        ..Get::new(&feed)
    };
    let body = body_of(get.run(&fetcher_for(&[&get.options])).await);

    assert_eq!(body.body, b"<feed/>");
}

#[tokio::test]
async fn a_certificate_for_another_host_fails_even_from_a_trusted_ca() {
    let ca = TestCa::new();
    let feed = url(&serve(ca.issue(&["other.test"], false)).await, "/feed");

    let get = Get {
        options: ca.options(),
        ..Get::new(&feed)
    };
    let err = error_of(get.run(&fetcher_for(&[&get.options])).await);

    assert_names_the_way_out(&err, "not valid for name \"127.0.0.1\"");
}

#[tokio::test]
async fn an_expired_certificate_fails_even_from_a_trusted_ca() {
    let ca = TestCa::new();
    let feed = url(&serve(ca.issue(&["127.0.0.1"], true)).await, "/feed");

    let get = Get {
        options: ca.options(),
        ..Get::new(&feed)
    };
    let err = error_of(get.run(&fetcher_for(&[&get.options])).await);

    assert_names_the_way_out(&err, "certificate expired");
}

#[tokio::test]
async fn another_feed_keeps_failing_closed_beside_an_insecure_one() {
    let ca = TestCa::new();
    let feed = url(&serve(ca.issue(&["127.0.0.1"], false)).await, "/feed");
    let insecure = Get {
        options: with_transport(Transport {
            tls_insecure: true,
            ..Transport::default()
        }),
        ..Get::new(&feed)
    };
    let fetcher = fetcher_for(&[&insecure.options]);

    body_of(insecure.run(&fetcher).await);
    let err = error_of(Get::new(&feed).run(&fetcher).await);

    assert_names_the_way_out(&err, "UnknownIssuer");
}
