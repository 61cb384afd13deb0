//! TLS trust: the bundled Mozilla roots, or a CA bundle the caller names.

use crate::{Error, TransportKind};
use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};
use std::path::Path;
use std::sync::Arc;

/// TLS settings trusting the certificates in the PEM file `ca_bundle`
/// instead of the bundled Mozilla roots (as `curl --cacert` does), or the
/// Mozilla roots when there is none. Verification is always on: there is
/// no setting that turns it off. One configuration serves every
/// connection of a client, so its session cache lets a reconnection
/// resume instead of paying a full handshake.
pub(crate) fn config(ca_bundle: Option<&Path>) -> Result<Arc<ClientConfig>, Error> {
    let roots = match ca_bundle {
        None => RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        },
        Some(path) => bundle(path)?,
    };
    let config =
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::transport(TransportKind::Tls, e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
    Ok(Arc::new(config))
}

/// The certificates of a PEM file, as trust anchors.
fn bundle(path: &Path) -> Result<RootCertStore, Error> {
    let invalid = |reason: String| Error::invalid("ca_bundle", reason);
    let text =
        std::fs::read(path).map_err(|e| invalid(format!("cannot read {}: {e}", path.display())))?;
    let certs = CertificateDer::pem_slice_iter(&text)
        .collect::<Result<Vec<_>, pem::Error>>()
        .map_err(|e| invalid(format!("{} is not valid PEM: {e}", path.display())))?;
    if certs.is_empty() {
        return Err(invalid(format!(
            "{} holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
            path.display()
        )));
    }
    let mut roots = RootCertStore::empty();
    // A system bundle may hold a certificate webpki cannot use; the others
    // still count, as curl and ureq read such bundles.
    let (added, _ignored) = roots.add_parsable_certificates(certs);
    if added == 0 {
        return Err(invalid(format!(
            "{} holds no certificate that can be used as a trust anchor",
            path.display()
        )));
    }
    Ok(roots)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pem_file(name: &str, text: &str) -> std::path::PathBuf {
        let path =
            std::env::temp_dir().join(format!("atlas-admin-tls-{name}-{}.pem", std::process::id()));
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn mozilla_roots_by_default() {
        assert!(config(None).is_ok());
        assert!(!webpki_roots::TLS_SERVER_ROOTS.is_empty());
    }

    #[test]
    fn a_bundle_must_hold_usable_certificates() {
        let broken = pem_file(
            "broken",
            "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
        );
        let garbage = pem_file(
            "garbage",
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        );
        for (path, expected) in [(&broken, "not valid PEM"), (&garbage, "trust anchor")] {
            let err = config(Some(path)).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::InvalidArgument, "{err}");
            assert!(err.to_string().contains(expected), "{err}");
            std::fs::remove_file(path).unwrap();
        }
    }
}
