//! TLS: Mozilla's roots by default, a private CA only when asked, and no
//! way around verification.

mod common;

use atlas_admin::{DeleteOptions, RetryPolicy, TransportKind};
use common::*;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;

fn private_ca() -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

/// An HTTPS server for `localhost` with a certificate from `ca`, answering
/// every request with 204. Returns its base URL.
fn https_server(ca: &CertifiedIssuer<'static, KeyPair>) -> String {
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .signed_by(&key, ca)
        .unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(
        vec![CertificateDer::from(cert.der().to_vec())],
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    )
    .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "https://localhost:{}/api/atlas/v1.0",
        listener.local_addr().unwrap().port()
    );
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let conn = rustls::ServerConnection::new(Arc::clone(&config)).unwrap();
            let mut tls = rustls::StreamOwned::new(conn, tcp);
            let mut reader = BufReader::new(&mut tls);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                line.clear();
            }
            let _ = tls.write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
            let _ = tls.flush();
        }
    });
    url
}

fn pem_file(name: &str, pem: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("atlas-admin-{name}-{}.pem", std::process::id()));
    std::fs::write(&path, pem).unwrap();
    path
}

fn delete(url: &str, ca_bundle: Option<&PathBuf>) -> Result<(), atlas_admin::Error> {
    let mut builder = retrying_client(url, RetryPolicy::none());
    if let Some(path) = ca_bundle {
        builder.ca_bundle(path);
    }
    builder
        .build()
        .unwrap()
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
}

#[test]
fn private_ca_is_trusted_only_through_a_ca_bundle() {
    let ca = private_ca();
    let url = https_server(&ca);
    let bundle = pem_file("ca", &ca.pem());
    delete(&url, Some(&bundle)).unwrap();

    let err = delete(&url, None).unwrap_err();
    assert_eq!(
        err.transport_kind(),
        Some(TransportKind::Tls),
        "Mozilla's roots do not know a private CA: {err:?}"
    );

    let stranger = pem_file("other-ca", &private_ca().pem());
    let err = delete(&url, Some(&stranger)).unwrap_err();
    assert_eq!(err.transport_kind(), Some(TransportKind::Tls), "{err}");
    for path in [bundle, stranger] {
        std::fs::remove_file(path).unwrap();
    }
}
