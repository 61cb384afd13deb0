//! Servers in between, for the proxy and TLS tests: an HTTP proxy that
//! opens CONNECT tunnels (optionally wanting credentials), and a TLS front
//! for a plain HTTP server such as the mock Atlas.
#![allow(dead_code)]

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::io::{self, BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// A CONNECT proxy on 127.0.0.1. With `credentials` (`user:password`), a
/// CONNECT without the matching `Proxy-Authorization` gets 407. Returns
/// the proxy's address (`127.0.0.1:PORT`) and every CONNECT head it read.
pub fn connect_proxy(credentials: Option<&str>) -> (String, Arc<Mutex<Vec<String>>>) {
    use base64::Engine as _;
    let expected = credentials.map(|pair| {
        format!(
            "proxy-authorization: basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        )
        .to_ascii_lowercase()
    });
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&heads);
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let (seen, expected) = (Arc::clone(&seen), expected.clone());
            std::thread::spawn(move || {
                let _ = tunnel(client, &seen, expected.as_deref());
            });
        }
    });
    (address, heads)
}

fn tunnel(client: TcpStream, seen: &Mutex<Vec<String>>, expected: Option<&str>) -> io::Result<()> {
    let mut reader = BufReader::new(client.try_clone()?);
    let mut head = String::new();
    let mut line = String::new();
    while reader.read_line(&mut line)? > 0 && line != "\r\n" {
        head.push_str(&line);
        line.clear();
    }
    seen.lock().unwrap().push(head.clone());
    let mut client_writer = client;
    let target = head
        .strip_prefix("CONNECT ")
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_default()
        .to_owned();
    let authorized = expected.is_none_or(|wanted| {
        head.lines()
            .any(|l| l.trim().to_ascii_lowercase() == wanted)
    });
    if !authorized {
        return client_writer.write_all(
            b"HTTP/1.1 407 Proxy Authentication Required\r\n\
              Proxy-Authenticate: Basic realm=\"proxy\"\r\nContent-Length: 0\r\n\r\n",
        );
    }
    let Ok(server) = TcpStream::connect(&target) else {
        return client_writer.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
    };
    client_writer.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")?;
    let mut upstream = server.try_clone()?;
    let mut downstream = client_writer;
    let mut server_reader = server;
    std::thread::spawn(move || {
        let _ = io::copy(&mut server_reader, &mut downstream);
        let _ = downstream.shutdown(std::net::Shutdown::Both);
    });
    // Whatever the client sent after the CONNECT head is in the reader.
    io::copy(&mut reader, &mut upstream)?;
    upstream.shutdown(std::net::Shutdown::Both)
}

/// A CA made for one test, and the PEM text to trust it.
pub fn private_ca() -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

/// A rustls server configuration for `localhost`, certified by `ca`.
pub fn server_config(ca: &CertifiedIssuer<'static, KeyPair>) -> Arc<rustls::ServerConfig> {
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
    Arc::new(config)
}

/// What a TLS front saw.
#[derive(Debug, Default)]
pub struct Seen {
    /// TLS connections accepted.
    pub connections: usize,
    /// Every request, head and body, as it arrived.
    pub requests: Vec<String>,
}

/// HTTPS in front of the plain HTTP server at `backend` (`host:port`):
/// each request read over TLS is passed on, and its answer passed back.
/// Returns the front's origin, `https://localhost:PORT`, and what it saw.
pub fn tls_front(
    ca: &CertifiedIssuer<'static, KeyPair>,
    backend: String,
) -> (String, Arc<Mutex<Seen>>) {
    let config = server_config(ca);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!(
        "https://localhost:{}",
        listener.local_addr().unwrap().port()
    );
    let seen = Arc::new(Mutex::new(Seen::default()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            log.lock().unwrap().connections += 1;
            let (config, backend, log) = (Arc::clone(&config), backend.clone(), Arc::clone(&log));
            std::thread::spawn(move || {
                let Ok(connection) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let tls = rustls::StreamOwned::new(connection, tcp);
                let _ = relay(tls, &backend, &log);
            });
        }
    });
    (origin, seen)
}

/// Passes messages between a TLS client and a plain backend, one request
/// and one answer at a time.
fn relay(
    tls: rustls::StreamOwned<rustls::ServerConnection, TcpStream>,
    backend: &str,
    seen: &Mutex<Seen>,
) -> io::Result<()> {
    let server = TcpStream::connect(backend)?;
    let mut from_server = BufReader::new(server.try_clone()?);
    let mut to_server = server;
    let mut from_client = BufReader::new(tls);
    while let Some(request) = message(&mut from_client)? {
        seen.lock()
            .unwrap()
            .requests
            .push(String::from_utf8_lossy(&request).into_owned());
        to_server.write_all(&request)?;
        let Some(answer) = message(&mut from_server)? else {
            break;
        };
        let tls = from_client.get_mut();
        tls.write_all(&answer)?;
        tls.flush()?;
    }
    Ok(())
}

/// One HTTP message framed by Content-Length (or none): head and body
/// bytes; `None` at the end of the stream.
fn message(reader: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        bytes.extend_from_slice(line.as_bytes());
        if line == "\r\n" {
            break;
        }
    }
    let start = bytes.len();
    bytes.resize(start + length, 0);
    reader.read_exact(&mut bytes[start..])?;
    Ok(Some(bytes))
}
