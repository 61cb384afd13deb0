//! Retries, backoff, `Retry-After`, the budget and token expiry, proved
//! exactly with a fake clock: waits are recorded, never slept.

use crate::clock::{Clock, FakeClock};
use crate::{Client, DeleteOptions, ErrorKind, RetryPolicy};
use atlas_admin_mock::{Credential, MockAtlas, MockConfig, ServiceAccount};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

const ORG: &str = "5f1a2b3c4d5e6f7a8b9c0d1e";
const KEY: &str = "6a1b2c3d4e5f6a7b8c9d0e1f";

/// A server on 127.0.0.1 answering its n-th request with `answers[n]` (the
/// last one forever after), one connection each. Returns its base URL.
fn server(answers: Vec<String>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api/atlas/v1.0", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for (n, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                line.clear();
            }
            let answer = &answers[n.min(answers.len() - 1)];
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    url
}

fn answer(status: &str, headers: &[&str]) -> String {
    answer_with_body(status, headers, "")
}

fn answer_with_body(status: &str, headers: &[&str], body: &str) -> String {
    let mut text = format!("HTTP/1.1 {status}\r\n");
    for header in headers {
        text.push_str(header);
        text.push_str("\r\n");
    }
    format!(
        "{text}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn client(url: &str, policy: RetryPolicy, clock: &Arc<FakeClock>) -> Client {
    Client::builder()
        .base_url(url)
        .digest_credentials("abcdefgh", "k")
        .retry(policy)
        .clock(clock.clone())
        .build()
        .unwrap()
}

fn delete(client: &Client) -> Result<crate::Deleted, crate::Error> {
    client.delete_org_api_key(ORG, KEY, &DeleteOptions::new())
}

#[test]
fn retry_after_seconds_is_waited_exactly() {
    let clock = Arc::new(FakeClock::new());
    let url = server(vec![
        answer("429 Too Many Requests", &["Retry-After: 30"]),
        answer("204 No Content", &[]),
    ]);
    let started = Instant::now();
    delete(&client(&url, RetryPolicy::new(), &clock)).unwrap();
    assert_eq!(clock.slept(), [Duration::from_secs(30)]);
    assert!(started.elapsed() < Duration::from_secs(10), "nothing slept");
}

#[test]
fn retry_after_dates_count_from_the_answer() {
    let clock = Arc::new(FakeClock::new());
    let date = httpdate::fmt_http_date(clock.wall() + Duration::from_secs(30));
    let url = server(vec![
        answer(
            "503 Service Unavailable",
            &[&format!("Retry-After: {date}")],
        ),
        answer("204 No Content", &[]),
    ]);
    delete(&client(&url, RetryPolicy::new(), &clock)).unwrap();
    let slept = clock.slept();
    // HTTP dates have whole seconds; the clock started within one.
    assert_eq!(slept.len(), 1);
    assert!(
        slept[0] > Duration::from_secs(29) && slept[0] <= Duration::from_secs(30),
        "{slept:?}"
    );
}

#[test]
fn backoff_doubles_within_its_ceilings_until_the_retries_run_out() {
    let clock = Arc::new(FakeClock::new());
    let url = server(vec![answer("503 Service Unavailable", &[])]);
    let policy = RetryPolicy::new()
        .max_retries(3)
        .base_delay(Duration::from_millis(250))
        .max_delay(Duration::from_millis(600));
    let err = delete(&client(&url, policy, &clock)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ServerError);
    assert_eq!(err.api().unwrap().attempts, 4);
    let slept = clock.slept();
    assert_eq!(slept.len(), 3, "{slept:?}");
    for (wait, ceiling) in slept.iter().zip([250, 500, 600]) {
        assert!(*wait <= Duration::from_millis(ceiling), "{slept:?}");
    }
}

#[test]
fn a_retry_after_beyond_the_budget_gives_up_without_waiting() {
    let clock = Arc::new(FakeClock::new());
    let url = server(vec![answer("429 Too Many Requests", &["Retry-After: 120"])]);
    let policy = RetryPolicy::new().budget(Duration::from_secs(60));
    let err = delete(&client(&url, policy, &clock)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(
        err.api().unwrap().retry_after,
        Some(Duration::from_secs(120))
    );
    assert!(clock.slept().is_empty());
}

#[test]
fn the_budget_counts_the_waits_already_made() {
    let clock = Arc::new(FakeClock::new());
    let url = server(vec![answer("429 Too Many Requests", &["Retry-After: 20"])]);
    let policy = RetryPolicy::new()
        .max_retries(10)
        .budget(Duration::from_secs(50));
    let err = delete(&client(&url, policy, &clock)).unwrap_err();
    // 20 s, 40 s; a third wait would end at 60 s, past the 50 s budget.
    assert_eq!(clock.slept(), [Duration::from_secs(20); 2]);
    assert_eq!(err.api().unwrap().attempts, 3);
}

#[test]
fn every_call_waits_for_the_latest_retry_after_given_to_any_call_of_the_client() {
    let clock = Arc::new(FakeClock::new());
    let url = server(vec![
        answer("429 Too Many Requests", &["Retry-After: 1"]),
        answer("429 Too Many Requests", &["Retry-After: 10"]),
        answer("429 Too Many Requests", &["Retry-After: 1"]),
        answer("204 No Content", &[]),
    ]);
    let client = client(&url, RetryPolicy::new().max_retries(1), &clock);
    // Told 1 s, then 10 s: no retry is left, but the client remembers.
    let err = delete(&client).unwrap_err();
    assert_eq!((err.kind(), err.attempts()), (ErrorKind::RateLimited, 2));
    // The next call's first attempt waits out the 10 s the server gave
    // the other call (sooner, it would be refused); told 1 s, its retry
    // waits 1 s.
    delete(&client).unwrap();
    let s = Duration::from_secs;
    assert_eq!(clock.slept(), [s(1), s(10), s(1)]);
}

#[test]
fn every_error_counts_the_attempts_made() {
    let clock = Arc::new(FakeClock::new());
    let url = server(vec![
        answer("503 Service Unavailable", &[]),
        answer_with_body("200 OK", &[], "<html>not an envelope</html>"),
    ]);
    let err = client(&url, RetryPolicy::new(), &clock)
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new().envelope(true))
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.attempts()),
        (ErrorKind::Protocol, 2),
        "{err}"
    );
}

#[test]
fn a_token_is_replaced_by_the_clock_without_waiting_an_hour() {
    let mut config = MockConfig::default();
    config.credentials.push(Credential::new("abcdefgh", "k"));
    config
        .service_accounts
        .push(ServiceAccount::new("id", "secret"));
    config.keys.insert(
        ORG.into(),
        vec![
            "6a1b2c3d4e5f6a7b8c9d0e01".into(),
            "6a1b2c3d4e5f6a7b8c9d0e02".into(),
            "6a1b2c3d4e5f6a7b8c9d0e03".into(),
        ],
    );
    let atlas = MockAtlas::start(config).unwrap();
    let clock = Arc::new(FakeClock::new());
    let client = Client::builder()
        .base_url(atlas.base_url())
        .service_account("id", "secret")
        .clock(clock.clone())
        .build()
        .unwrap();
    let delete = |key: &str| client.delete_org_api_key(ORG, key, &DeleteOptions::new());
    delete("6a1b2c3d4e5f6a7b8c9d0e01").unwrap();
    clock.advance(Duration::from_secs(3539));
    delete("6a1b2c3d4e5f6a7b8c9d0e02").unwrap();
    assert_eq!(atlas.stats().tokens_issued, 1, "still a minute to go");
    clock.advance(Duration::from_secs(1));
    delete("6a1b2c3d4e5f6a7b8c9d0e03").unwrap();
    assert_eq!(atlas.stats().tokens_issued, 2, "replaced a minute early");
}
