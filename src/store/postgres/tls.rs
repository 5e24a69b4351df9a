//! The TLS side of the connection, by `sslmode` (libpq's meanings), with rustls.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::config::{CaBundle, TlsMode};

/// The connector for `mode`. `verify-full`, and `require` with a `ca_file`, check the server's
/// certificate chain and host name; `prefer` and `require` without one only encrypt, as libpq does.
pub(super) fn connector(mode: TlsMode, ca: Option<&CaBundle>) -> Result<MakeRustlsConnect, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|error| format!("cannot set up TLS: {error}"))?;
    let config = match (mode, ca) {
        (TlsMode::VerifyFull, _) | (TlsMode::Require, Some(_)) => builder
            .with_root_certificates(roots(ca)?)
            .with_no_client_auth(),
        _ => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Unverified(provider)))
            .with_no_client_auth(),
    };
    Ok(MakeRustlsConnect::new(config))
}

/// The system's roots and the `ca_file`'s certificates.
fn roots(ca: Option<&CaBundle>) -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    let system = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(system.certs);
    if let Some(bundle) = ca {
        for certificate in CertificateDer::pem_slice_iter(&bundle.pem) {
            let certificate =
                certificate.map_err(|error| format!("{}: {error}", bundle.path.display()))?;
            roots
                .add(certificate)
                .map_err(|error| format!("{}: {error}", bundle.path.display()))?;
        }
    }
    if roots.is_empty() {
        return Err(
            "no trusted certificate to check the database's with: install the system's CA \
             certificates or set [store] ca_file"
                .to_owned(),
        );
    }
    Ok(roots)
}

/// Accepts any certificate (the handshake's signatures are still checked): what `sslmode=prefer`
/// and `require` mean to libpq, which encrypt without authenticating the server.
#[derive(Debug)]
struct Unverified(Arc<CryptoProvider>);

impl ServerCertVerifier for Unverified {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
