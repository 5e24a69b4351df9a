//! `client_certificate_file`: the app's certificate and its RSA private key, in one PEM file (the
//! shape `az ad sp create-for-rbac --create-cert` writes, or `cat cert.pem key.pem`); with a chain,
//! the certificate is the one whose public key is the key's. The token
//! request then proves the app with an assertion signed by the key (see `deliver::entra`), and
//! Entra ID finds the certificate by its thumbprint. Read and checked once, here: a file without
//! a certificate, without a key, with an encrypted or non-RSA key, or whose key is not the
//! certificate's, is a config error. No message repeats the key.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SystemRandom;
use ring::signature::{RSA_PSS_SHA256, RsaKeyPair};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::{PemObject, SectionKind};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// An app's certificate credential, ready to sign with.
#[derive(Clone)]
pub struct ClientCertificate {
    /// The file it was read from, for messages.
    pub path: PathBuf,
    /// `x5t`: the base64url SHA-1 thumbprint of the certificate's DER, which Entra ID shows.
    pub sha1_thumbprint: String,
    /// `x5t#S256`: the base64url SHA-256 thumbprint.
    pub sha256_thumbprint: String,
    key: Arc<RsaKeyPair>,
}

impl ClientCertificate {
    /// Signs `message` with the private key (RSASSA-PSS with SHA-256: JWT's `PS256`).
    pub fn sign_ps256(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        let mut signature = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(
                &RSA_PSS_SHA256,
                &SystemRandom::new(),
                message,
                &mut signature,
            )
            .map_err(|_| "the certificate's private key could not sign".to_owned())?;
        Ok(signature)
    }
}

impl PartialEq for ClientCertificate {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
            && self.sha256_thumbprint == other.sha256_thumbprint
            && self.key.public().as_ref() == other.key.public().as_ref()
    }
}

impl Eq for ClientCertificate {}

impl fmt::Debug for ClientCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCertificate")
            .field("path", &self.path)
            .field("sha1_thumbprint", &self.sha1_thumbprint)
            .finish_non_exhaustive()
    }
}

/// The certificate credential in the PEM file at `path`.
pub(super) fn read(path: &Path) -> Result<ClientCertificate, String> {
    let shown = path.display();
    let pem = std::fs::read(path).map_err(|error| format!("cannot read {shown}: {error}"))?;
    if contains(&pem, b"ENCRYPTED PRIVATE KEY") {
        return Err(format!(
            "the private key in {shown} is encrypted; feedhook needs it unencrypted (protect the \
             file instead, e.g. as a systemd credential)"
        ));
    }
    let (mut certificates, mut key) = (Vec::new(), None);
    for section in <(SectionKind, Vec<u8>)>::pem_slice_iter(&pem) {
        let (kind, der) = section.map_err(|_| format!("{shown} is not a valid PEM file"))?;
        match kind {
            SectionKind::Certificate => certificates.push(der),
            SectionKind::PrivateKey | SectionKind::RsaPrivateKey if key.is_some() => {
                return Err(format!("{shown} holds more than one private key"));
            }
            SectionKind::PrivateKey => key = Some(RsaKeyPair::from_pkcs8(&der)),
            SectionKind::RsaPrivateKey => key = Some(RsaKeyPair::from_der(&der)),
            SectionKind::EcPrivateKey => {
                return Err(format!(
                    "the private key in {shown} is an EC key; Entra ID takes RSA certificates"
                ));
            }
            _ => {}
        }
    }
    if certificates.is_empty() {
        return Err(format!(
            "{shown} holds no certificate (-----BEGIN CERTIFICATE-----); put the certificate and \
             its private key in it"
        ));
    }
    let key = Arc::new(key
        .ok_or_else(|| {
            format!("{shown} holds no private key (-----BEGIN PRIVATE KEY-----); put the certificate and its private key in it")
        })?
        .map_err(|rejected| {
            format!("the private key in {shown} is not an RSA key of 2048 to 4096 bits ({rejected})")
        })?);
    certificates
        .iter()
        .map(|certificate| ClientCertificate {
            path: path.to_owned(),
            sha1_thumbprint: URL_SAFE_NO_PAD.encode(Sha1::digest(certificate)),
            sha256_thumbprint: URL_SAFE_NO_PAD.encode(Sha256::digest(certificate)),
            key: Arc::clone(&key),
        })
        .zip(&certificates)
        .find(|(credential, certificate)| key_matches(credential, certificate))
        .map(|(credential, _)| credential)
        .ok_or_else(|| format!("the private key in {shown} is not its certificate's key"))
}

/// Whether a signature of the key verifies with the certificate's public key.
fn key_matches(credential: &ClientCertificate, certificate: &[u8]) -> bool {
    let der = CertificateDer::from(certificate);
    let Ok(parsed) = webpki::EndEntityCert::try_from(&der) else {
        return false;
    };
    let probe = b"feedhook: does this key belong to the certificate?";
    credential.sign_ps256(probe).is_ok_and(|signature| {
        parsed
            .verify_signature(
                webpki::ring::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
                probe,
                &signature,
            )
            .is_ok()
    })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[cfg(test)]
mod tests;
