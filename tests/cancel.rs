//! Stopping calls from outside: an interrupt hook or cancel token per call,
//! and `Client::cancel_all` for every call in flight. Waits (to retry, for
//! an answer) are made in 200 ms slices; these tests wait for real, since
//! what they prove is how soon a real wait ends, with generous bounds for
//! a loaded machine.

mod common;

use atlas_admin::{
    CallOptions, CancelToken, Client, DeleteOptions, ErrorKind, Interrupt, RetryPolicy,
};
use atlas_admin_mock::Fault;
use common::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How soon after the cancellation a call must have stopped: four slices,
/// on two busy cores.
const PROMPTLY: Duration = Duration::from_secs(1);
/// When the tests cancel, well inside the waits they interrupt.
const CANCEL_AFTER: Duration = Duration::from_millis(500);

fn long_budget_client(url: &str) -> Client {
    retrying_client(url, RetryPolicy::new().budget(Duration::from_secs(60)))
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// Runs `cancel` on another thread `CANCEL_AFTER` from now, and `call` here;
/// returns its error and how long after the cancellation it came back.
fn cancelled_during<T: std::fmt::Debug>(
    cancel: impl FnOnce() + Send,
    call: impl FnOnce() -> Result<T, atlas_admin::Error>,
) -> (atlas_admin::Error, Duration) {
    let cancelled_at = std::sync::Mutex::new(None);
    std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(CANCEL_AFTER);
            *cancelled_at.lock().unwrap() = Some(Instant::now());
            cancel();
        });
        let error = call().expect_err("the call should have been cancelled");
        let returned = Instant::now();
        // The canceller has run by the time the call stops.
        let at = cancelled_at
            .lock()
            .unwrap()
            .expect("cancelled before the call stopped");
        (error, returned.saturating_duration_since(at))
    })
}

#[test]
fn a_cancel_token_stops_a_long_retry_after_wait() {
    let url = canned_server(http("429 Too Many Requests", &["Retry-After: 25"], b""));
    let client = long_budget_client(&url);
    let token = CancelToken::new();
    let options = DeleteOptions::from(CallOptions::new().interrupt(token.clone()));
    let (error, after) = cancelled_during(
        || token.cancel(),
        || client.delete_org_api_key(ORG, KEY, &options),
    );
    assert_eq!(error.kind(), ErrorKind::Cancelled, "{error}");
    assert!(after < PROMPTLY, "stopped {after:?} after the cancellation");
    let message = error.to_string();
    assert!(
        message.contains("while waiting to retry") && message.contains("429"),
        "{message}"
    );
    assert_eq!(error.attempts(), 1);
}

#[test]
fn cancel_all_stops_a_call_waiting_for_an_answer_and_its_connection_is_not_reused() {
    let atlas = mock();
    let client = long_budget_client(&atlas.base_url());
    atlas.add_key(ORG, &key(1));
    atlas.add_key(ORG, &key(2));
    client
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap();
    let before = atlas.stats();
    atlas.inject(Fault::Delay { millis: 25_000 }, 1);
    let (error, after) = cancelled_during(
        || client.cancel_all(),
        || client.delete_org_api_key(ORG, &key(1), &DeleteOptions::new()),
    );
    assert_eq!(error.kind(), ErrorKind::Cancelled, "{error}");
    assert!(after < PROMPTLY, "stopped {after:?} after the cancellation");
    assert!(
        error.to_string().contains("may have taken effect"),
        "{error}"
    );
    // A call made after cancel_all is not cancelled by it; it opens a new
    // connection (the cancelled one was closed) and answers a new
    // challenge (the cancelled request's Digest session was dropped).
    client
        .delete_org_api_key(ORG, &key(2), &DeleteOptions::new())
        .unwrap();
    let after_stats = atlas.stats();
    assert_eq!(
        after_stats.connections - before.connections,
        1,
        "one new connection, for the call after the cancelled one"
    );
    assert_eq!(after_stats.challenges - before.challenges, 1);
}

#[test]
fn an_interrupt_hook_stops_a_silent_server_s_wait_and_is_not_asked_by_quick_answers() {
    let asked = Arc::new(AtomicUsize::new(0));
    let stop_after = Arc::new(std::sync::Mutex::new(None::<Instant>));
    let hook = {
        let (asked, stop_after) = (Arc::clone(&asked), Arc::clone(&stop_after));
        Interrupt::new(move || {
            asked.fetch_add(1, Ordering::SeqCst);
            stop_after
                .lock()
                .unwrap()
                .is_some_and(|at| Instant::now() >= at)
        })
    };
    let options = DeleteOptions::from(CallOptions::new().interrupt(hook));

    // Answered at once: the hook is never asked.
    let atlas = mock();
    let quick = long_budget_client(&atlas.base_url());
    quick.delete_org_api_key(ORG, KEY, &options).unwrap();
    assert_eq!(asked.load(Ordering::SeqCst), 0);

    let silent = long_budget_client(&silent_server());
    let started = Instant::now();
    *stop_after.lock().unwrap() = Some(started + CANCEL_AFTER);
    let error = silent
        .delete_org_api_key(ORG, KEY, &options)
        .expect_err("a silent server never answers");
    let after = started.elapsed().saturating_sub(CANCEL_AFTER);
    assert_eq!(error.kind(), ErrorKind::Cancelled, "{error}");
    assert!(after < PROMPTLY, "stopped {after:?} after the hook said so");
    let asked = asked.load(Ordering::SeqCst);
    assert!(
        (2..=10).contains(&asked),
        "asked {asked} times: once a slice, not in a busy loop"
    );
}

#[test]
fn cancel_all_reaches_every_call_in_flight_and_none_started_later() {
    let url = silent_server();
    let client = long_budget_client(&url);
    let results = std::thread::scope(|s| {
        let calls: Vec<_> = (0..4)
            .map(|_| s.spawn(|| client.delete_org_api_key(ORG, KEY, &DeleteOptions::new())))
            .collect();
        std::thread::sleep(CANCEL_AFTER);
        client.cancel_all();
        let cancelled = Instant::now();
        calls
            .into_iter()
            .map(|call| (call.join().unwrap(), cancelled.elapsed()))
            .collect::<Vec<_>>()
    });
    for (result, after) in results {
        let error = result.expect_err("cancelled");
        assert_eq!(error.kind(), ErrorKind::Cancelled, "{error}");
        assert!(after < PROMPTLY, "{after:?}");
    }
    // A later call waits out its own timeout, unaffected.
    let short = retrying_client(&url, RetryPolicy::none())
        .timeout(Duration::from_millis(700))
        .build()
        .unwrap();
    short.cancel_all();
    let error = short
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
}

#[test]
fn a_slow_read_with_a_still_clock_still_times_out() {
    // The slices a read waited count against its timeout, so a clock that
    // never moves (a test's) cannot keep a silent server's wait going.
    #[derive(Debug)]
    struct Still(Instant);
    impl atlas_admin::Clock for Still {
        fn now(&self) -> Instant {
            self.0
        }
        fn wall(&self) -> std::time::SystemTime {
            std::time::SystemTime::now()
        }
        fn sleep(&self, _: Duration) {}
    }
    let client = retrying_client(&silent_server(), RetryPolicy::none())
        .timeout(Duration::from_millis(900))
        .clock(Arc::new(Still(Instant::now())))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client
        .delete_org_api_key(ORG, KEY, &DeleteOptions::new())
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_call_held_by_another_calls_retry_after_is_cancelled_before_it_sends() {
    // One token, refilled every 25 s: the second delete is refused with
    // `Retry-After: 25`, which holds the client's later calls too.
    let atlas = mock();
    for i in 1..=3 {
        atlas.add_key(ORG, &key(i));
    }
    atlas
        .set_rate_limit(atlas_admin_mock::RateLimit::new(1, 0.04))
        .unwrap();
    let client = long_budget_client(&atlas.base_url());
    client
        .delete_org_api_key(ORG, &key(1), &DeleteOptions::new())
        .expect("the bucket's one token");
    std::thread::scope(|s| {
        let refused = s.spawn(|| client.delete_org_api_key(ORG, &key(2), &DeleteOptions::new()));
        let deadline = Instant::now() + Duration::from_secs(10);
        while atlas.stats().rate_limited == 0 {
            assert!(
                Instant::now() < deadline,
                "the second delete was never refused"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        let token = CancelToken::new();
        let options = DeleteOptions::from(CallOptions::new().interrupt(token.clone()));
        let (error, after) = cancelled_during(
            || token.cancel(),
            || client.delete_org_api_key(ORG, &key(3), &options),
        );
        assert_eq!(error.kind(), ErrorKind::Cancelled, "{error}");
        assert!(after < PROMPTLY, "stopped {after:?} after the cancellation");
        assert!(
            error.to_string().contains("before anything was sent"),
            "{error}"
        );
        assert_eq!(error.attempts(), 0, "{error}");
        assert_eq!(atlas.stats().rate_limited, 1, "the held call sent nothing");
        assert!(atlas.has_key(ORG, &key(3)));
        client.cancel_all();
        let error = refused.join().unwrap().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Cancelled, "{error}");
    });
}
