//! After a fork the child's pool forgets the parent's connections without
//! disturbing them: nothing written on them (no TLS close_notify), no
//! `shutdown()`, only the child's descriptors closed. Proved without
//! forking, by advancing a generation of the test's own.

use super::connection::Connection;
use super::pool::Pool;
use super::stream::Stream;
use crate::fork::Generation;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A client socket and the server's end of it.
fn socket_pair(listener: &TcpListener) -> (TcpStream, TcpStream) {
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    (client, server)
}

/// Fails unless nothing arrives at `server` for a while: no byte, and no
/// end of stream.
fn assert_silent(mut server: &TcpStream, what: &str) {
    server
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    match server.read(&mut [0; 64]) {
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
            ) => {}
        other => panic!("{what}: the server saw {other:?} where it should have seen nothing"),
    }
}

/// Forgets, as a forked child would, a connection over `stream` whose
/// socket the parent also holds (`parents_copy`), and checks what the
/// server saw: nothing while the parent holds it, the parent's own bytes,
/// then the end of the stream once the parent closes its copy too (so the
/// child's descriptor was closed, not leaked).
fn forget_as_a_child_and_check(stream: Stream, mut parents_copy: TcpStream, mut server: TcpStream) {
    static FORKS: Generation = Generation::new();
    let pool = Pool::watching(4, &FORKS);
    let now = Instant::now();
    let mut connection = Connection::new(stream, now);
    pool.adopt(&mut connection);
    pool.put(connection);
    FORKS.advance();
    assert!(
        pool.take(now).is_none(),
        "the child must never send on its parent's connection"
    );
    assert_silent(&server, "after the child forgot the connection");
    parents_copy.write_all(b"parent").unwrap();
    let mut got = [0; 6];
    server.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"parent", "the parent's socket still works");
    drop(parents_copy);
    server
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    // The end of the stream, or a reset when the client had unread bytes
    // (a TLS server's session tickets) as its last descriptor closed.
    match server.read(&mut [0; 64]) {
        Ok(0) => {}
        Err(e) if e.kind() == io::ErrorKind::ConnectionReset => {}
        other => panic!("the child's descriptor was not closed: the server saw {other:?}"),
    }
}

#[test]
fn a_child_closes_its_copy_of_a_plain_connection_and_nothing_more() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let (client, server) = socket_pair(&listener);
    let parents_copy = client.try_clone().unwrap();
    forget_as_a_child_and_check(Stream::Plain(client), parents_copy, server);
}

#[test]
fn a_child_sends_no_close_notify_on_a_tls_connection_it_forgets() {
    let ca = {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
    };
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .signed_by(&key, &ca)
        .unwrap();
    let server_config = Arc::new(
        rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(cert.der().to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .unwrap(),
    );
    let bundle =
        std::env::temp_dir().join(format!("atlas-admin-fork-ca-{}.pem", std::process::id()));
    std::fs::write(&bundle, ca.pem()).unwrap();
    let client_config = crate::tls::config(Some(&bundle)).unwrap();
    std::fs::remove_file(&bundle).unwrap();

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let (client, server) = socket_pair(&listener);
    let handshake = std::thread::spawn(move || {
        let mut server = server;
        let mut tls = rustls::ServerConnection::new(server_config).unwrap();
        while tls.is_handshaking() {
            tls.complete_io(&mut server).unwrap();
        }
        // Session tickets and anything else the server wants to say.
        while tls.wants_write() {
            tls.write_tls(&mut server).unwrap();
        }
        server
    });
    let parents_copy = client.try_clone().unwrap();
    let name = ServerName::try_from("localhost").unwrap();
    let tls = rustls::ClientConnection::new(client_config, name).unwrap();
    let stream = Stream::tls(client, tls).unwrap();
    let server = handshake.join().unwrap();
    forget_as_a_child_and_check(stream, parents_copy, server);
}

#[test]
fn a_connection_in_flight_across_a_fork_is_not_pooled_after_it() {
    static FORKS: Generation = Generation::new();
    let pool = Pool::watching(4, &FORKS);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let now = Instant::now();
    let (client, _server) = socket_pair(&listener);
    let mut before = Connection::new(Stream::Plain(client), now);
    pool.adopt(&mut before);
    FORKS.advance();
    pool.put(before);
    assert!(pool.take(now).is_none());
    let (client, _server) = socket_pair(&listener);
    let mut after = Connection::new(Stream::Plain(client), now);
    pool.adopt(&mut after);
    let port = after.stream().tcp().local_addr().unwrap().port();
    pool.put(after);
    let taken = pool
        .take(now)
        .expect("the child's own connection is reused");
    assert_eq!(taken.stream().tcp().local_addr().unwrap().port(), port);
}
