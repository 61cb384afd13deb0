//! The HTTPS listener's TLS settings, from the PEM files of
//! [`crate::TlsFiles`].

use crate::config::TlsFiles;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::ServerConfig;
use std::io;
use std::sync::Arc;

/// A TLS server configuration with the certificate chain and key of
/// `files`; an unreadable or unusable file is an `InvalidInput` error
/// naming it.
pub(crate) fn server_config(files: &TlsFiles) -> io::Result<Arc<ServerConfig>> {
    let invalid = |what: String| io::Error::new(io::ErrorKind::InvalidInput, what);
    let chain = CertificateDer::pem_file_iter(&files.cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| invalid(format!("TLS certificate {}: {e}", files.cert.display())))?;
    if chain.is_empty() {
        return Err(invalid(format!(
            "TLS certificate {}: no PEM certificate in it",
            files.cert.display()
        )));
    }
    let key = PrivateKeyDer::from_pem_file(&files.key)
        .map_err(|e| invalid(format!("TLS key {}: {e}", files.key.display())))?;
    let config =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| invalid(e.to_string()))?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|e| {
                invalid(format!(
                    "TLS certificate {} with key {}: {e}",
                    files.cert.display(),
                    files.key.display()
                ))
            })?;
    Ok(Arc::new(config))
}
