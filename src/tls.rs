//! TLS trust: the bundled Mozilla roots, or a CA bundle the caller names.

use crate::Error;
use std::path::Path;
use ureq::tls::{parse_pem, PemItem, RootCerts, TlsConfig};

/// TLS settings trusting the certificates in the PEM file `ca_bundle`
/// instead of the bundled Mozilla roots (as `curl --cacert` does), or the
/// Mozilla roots when there is none. Verification is always on.
pub(crate) fn config(ca_bundle: Option<&Path>) -> Result<TlsConfig, Error> {
    let Some(path) = ca_bundle else {
        return Ok(TlsConfig::default());
    };
    let invalid = |reason: String| Error::invalid("ca_bundle", reason);
    let pem =
        std::fs::read(path).map_err(|e| invalid(format!("cannot read {}: {e}", path.display())))?;
    let mut certs = Vec::new();
    for item in parse_pem(&pem) {
        match item {
            Ok(PemItem::Certificate(cert)) => certs.push(cert),
            Ok(_) => {}
            Err(e) => return Err(invalid(format!("{} is not valid PEM: {e}", path.display()))),
        }
    }
    if certs.is_empty() {
        return Err(invalid(format!(
            "{} holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
            path.display()
        )));
    }
    Ok(TlsConfig::builder()
        .root_certs(RootCerts::new_with_certs(&certs))
        .build())
}
