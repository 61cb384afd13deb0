//! TLS: Mozilla's roots by default, a private CA only when asked, and no
//! way around verification.

mod common;
mod tunnel;

use atlas_admin::{DeleteOptions, ProxyConfig, RetryPolicy, TransportKind};
use common::*;
use rcgen::{CertifiedIssuer, KeyPair};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use tunnel::private_ca;

/// An HTTPS server for `localhost` with a certificate from `ca`, answering
/// every request with 204. Returns its base URL.
fn https_server(ca: &CertifiedIssuer<'static, KeyPair>) -> String {
    let config = tunnel::server_config(ca);
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

fn delete(
    url: &str,
    ca_bundle: Option<&PathBuf>,
) -> Result<atlas_admin::Deleted, atlas_admin::Error> {
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

#[test]
fn one_handshake_for_many_requests_also_through_a_proxy() {
    let atlas = mock();
    for i in 0..6 {
        atlas.add_key(ORG, &key(i));
    }
    let ca = private_ca();
    let bundle = pem_file("front-ca", &ca.pem());
    let (origin, front) = tunnel::tls_front(&ca, format!("127.0.0.1:{}", atlas.port()));
    let (proxy, connects) = tunnel::connect_proxy(None);
    let url = format!("{origin}/api/atlas/v1.0");
    for (via, keys) in [(None, 0..3), (Some(&proxy), 3..6)] {
        let mut builder = retrying_client(&url, RetryPolicy::none());
        builder.ca_bundle(&bundle);
        builder.proxy(match via {
            Some(proxy) => ProxyConfig::Url(format!("http://{proxy}")),
            None => ProxyConfig::Disabled,
        });
        let client = builder.build().unwrap();
        for i in keys {
            client
                .delete_org_api_key(ORG, &key(i), &DeleteOptions::new())
                .map_err(record)
                .unwrap();
        }
    }
    std::fs::remove_file(bundle).unwrap();
    let front = front.lock().unwrap();
    // Each client: one TLS connection for its challenge and three deletes.
    assert_eq!(
        (front.connections, front.requests.len()),
        (2, 8),
        "{front:?}"
    );
    let connects = connects.lock().unwrap();
    assert_eq!(connects.len(), 1);
    let port = origin.rsplit(':').next().unwrap();
    assert!(
        connects[0].starts_with(&format!("CONNECT localhost:{port} HTTP/1.1")),
        "{connects:?}"
    );
}
