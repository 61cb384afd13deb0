//! A hostile server streaming a 1 GiB error body costs the client about
//! 1 MiB. Alone in its binary so that no other test moves the peak.

mod common;

use atlas_admin::{DeleteOptions, ErrorKind, RetryPolicy};
use common::*;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const GIB: u64 = 1024 * 1024 * 1024;

/// Peak resident memory of this process, in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn a_one_gib_error_body_costs_about_one_mib() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api/atlas/v1.0", listener.local_addr().unwrap());
    let sent = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&sent);
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut buf = [0u8; 4096];
        let _ = stream.read(&mut buf);
        let head = format!("HTTP/1.1 500 Internal Server Error\r\nContent-Length: {GIB}\r\n\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        let chunk = vec![b'x'; 64 * 1024];
        while counter.load(Ordering::Relaxed) < GIB && stream.write_all(&chunk).is_ok() {
            counter.fetch_add(chunk.len() as u64, Ordering::Relaxed);
        }
    });
    let before = peak_rss_kib();
    let started = Instant::now();
    let err = retrying_client(&url, RetryPolicy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap_err();
    let grown_kib = peak_rss_kib().saturating_sub(before);
    assert_eq!(err.kind(), ErrorKind::ServerError);
    assert_eq!(err.api().unwrap().body.len(), 1024 * 1024);
    assert!(grown_kib < 16 * 1024, "peak memory grew by {grown_kib} KiB");
    assert!(sent.load(Ordering::Relaxed) < GIB / 4, "the client read on");
    assert!(started.elapsed() < Duration::from_secs(5));
    println!(
        "1 GiB error body: peak RSS +{grown_kib} KiB, {} KiB sent before the client hung up, {:?}",
        sent.load(Ordering::Relaxed) / 1024,
        started.elapsed()
    );
}
