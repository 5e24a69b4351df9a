//! A webhook behind TLS on 127.0.0.1 whose certificate is wrong in a chosen way (issued by a CA
//! nobody trusts, expired, or for another name). It counts handshakes and answers 200 to any
//! client that accepts the certificate.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// What is wrong with the webhook's certificate.
#[derive(Debug, Clone, Copy)]
pub enum Fault {
    UntrustedIssuer,
    Expired,
    OtherName,
}

/// A TLS webhook; `handshakes` counts the connections that reached it.
pub struct TlsHook {
    pub url: String,
    handshakes: Arc<AtomicUsize>,
}

impl TlsHook {
    pub async fn start(fault: Fault) -> Self {
        let acceptor = TlsAcceptor::from(Arc::new(server_config(fault)));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!(
            "https://{}/hook/secret-token",
            listener.local_addr().unwrap()
        );
        let handshakes = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&handshakes);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                counted.fetch_add(1, Ordering::SeqCst);
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    // A client that refuses the certificate ends the handshake.
                    let Ok(mut tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    let mut head = [0_u8; 4096];
                    let _ = tls.read(&mut head).await;
                    let reply =
                        b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
                    let _ = tls.write_all(reply).await;
                });
            }
        });
        Self { url, handshakes }
    }

    pub fn handshakes(&self) -> usize {
        self.handshakes.load(Ordering::SeqCst)
    }
}

fn server_config(fault: Fault) -> ServerConfig {
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "untrusted test CA");
    let issuer = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
    let name = match fault {
        Fault::OtherName => "other.test",
        Fault::UntrustedIssuer | Fault::Expired => "127.0.0.1",
    };
    let mut params = CertificateParams::new(vec![name.to_owned()]).unwrap();
    if matches!(fault, Fault::Expired) {
        params.not_before = rcgen::date_time_ymd(2000, 1, 1);
        params.not_after = rcgen::date_time_ymd(2001, 1, 1);
    }
    let key = KeyPair::generate().unwrap();
    let certificate = params.signed_by(&key, &issuer).unwrap();
    let chain = vec![certificate.der().clone(), issuer.der().clone()];
    let key: PrivateKeyDer<'static> = PrivatePkcs8KeyDer::from(key.serialize_der()).into();
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap()
}
