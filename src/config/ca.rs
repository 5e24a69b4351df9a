//! `ca_file`: certificates to trust besides the system's roots, for a feed's server, an email
//! channel's relay or the database. Read and checked when the config is loaded, so that `check`
//! reports a missing or broken file and a reload picks up a changed one.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::config::context::Context;

/// The certificates of a `ca_file`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CaBundle {
    /// Where they were read from, for messages.
    pub path: PathBuf,
    /// The file's PEM text; it holds at least one valid certificate.
    pub pem: Vec<u8>,
}

impl fmt::Debug for CaBundle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CaBundle({})", self.path.display())
    }
}

/// Reads the `ca_file` and checks that every certificate in it can serve as a trusted root.
pub(in crate::config) fn ca_bundle(name: &str, ctx: &Context<'_>) -> Result<CaBundle, String> {
    let path = ctx.path(name)?;
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
mod tests;
