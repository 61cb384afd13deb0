"""Ctrl-C during a call: KeyboardInterrupt within a second of SIGINT, while
the call waits to retry and while it waits for an answer, from every kind of
call; the client works on afterwards, on a new connection.

These tests wait for real (the signal comes 1.5 s into a call, as a user's
would): what they prove is how soon a real wait ends. Bounds are generous
for two busy cores; the waits are cut into 200 ms slices.
"""

import os
import signal
import threading
import time
from typing import Callable, Iterator

import pytest

import atlas_admin
from atlas_admin.testing import MockAtlas

from conftest import KEY, ORG, key

SIGNAL_AFTER = 1.5
PROMPTLY = 1.0
LONG = 25


@pytest.fixture(autouse=True)
def default_sigint() -> Iterator[None]:
    """Python's own SIGINT handler, which raises KeyboardInterrupt."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def interrupted(call: Callable[[], object], before_signal: Callable[[], None] = lambda: None) -> float:
    """Runs call() with SIGINT sent to this process SIGNAL_AFTER seconds in
    (after before_signal(), from the timer's thread); it must raise
    KeyboardInterrupt. Returns how long after the signal it did."""
    sent = []

    def send() -> None:
        before_signal()
        sent.append(time.monotonic())
        os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(SIGNAL_AFTER, send)
    started = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            call()
        raised = time.monotonic()
    finally:
        timer.cancel()
        timer.join()
    assert sent, f"the call ended {time.monotonic() - started:.2f} s in, before the signal"
    return raised - sent[0]


def test_ctrl_c_stops_a_long_retry_after_wait(atlas: MockAtlas) -> None:
    client = atlas.client(retry_budget=60)
    atlas.fail_next(429, retry_after=LONG)
    after = interrupted(lambda: client.delete_org_api_key(ORG, KEY))
    assert after < PROMPTLY, f"KeyboardInterrupt {after:.3f} s after SIGINT"
    assert atlas.stats()["requests"] == 1, "no retry was made"
    client.delete_org_api_key(ORG, KEY)
    assert not atlas.has_key(ORG, KEY)


def test_ctrl_c_stops_a_wait_for_a_slow_answer_and_its_connection_is_not_reused(
    atlas: MockAtlas,
) -> None:
    client = atlas.client(timeout=60, retry_budget=60)
    atlas.add_key(ORG, key(1))
    client.delete_org_api_key(ORG, key(1))  # a pooled connection and Digest session
    atlas.set_response_delay(LONG)
    # The slow answer is this one; the calls after it are answered at once.
    after = interrupted(
        lambda: client.delete_org_api_key(ORG, KEY), lambda: atlas.set_response_delay(0)
    )
    assert after < PROMPTLY, f"KeyboardInterrupt {after:.3f} s after SIGINT"
    before = atlas.stats()
    with pytest.raises(atlas_admin.NotFoundError):
        client.delete_org_api_key(ORG, key(1))
    stats = atlas.stats()
    assert stats["connections"] == before["connections"] + 1, "the interrupted connection was reused"
    assert stats["challenges"] == before["challenges"] + 1, "the interrupted Digest session was reused"


def test_ctrl_c_stops_request_and_a_listing(atlas: MockAtlas) -> None:
    client = atlas.client(timeout=60, retry_budget=60)
    atlas.set_response_delay(LONG)
    after = interrupted(
        lambda: client.request("GET", f"/orgs/{ORG}/apiKeys"), lambda: atlas.set_response_delay(0)
    )
    assert after < PROMPTLY, f"request(): KeyboardInterrupt {after:.3f} s after SIGINT"
    atlas.fail_next(503, retry_after=LONG)
    after = interrupted(lambda: client.list_org_api_keys(ORG))
    assert after < PROMPTLY, f"list_org_api_keys(): KeyboardInterrupt {after:.3f} s after SIGINT"
    assert [k.id for k in client.list_org_api_keys(ORG)] == [KEY]


def test_a_signal_handler_that_does_not_raise_lets_the_call_finish(atlas: MockAtlas) -> None:
    # Only an exception from a handler stops a call: SIGINT handled
    # without one (here: counted) leaves it to finish.
    client = atlas.client()
    client.delete_org_api_key(ORG, KEY)  # warm: the next call is one request
    handled = []
    signal.signal(signal.SIGINT, lambda *_: handled.append(1))
    atlas.add_key(ORG, key(2))
    atlas.set_response_delay(0.8)
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        client.delete_org_api_key(ORG, key(2))
    finally:
        timer.join()
        atlas.set_response_delay(0)
    assert handled == [1]
    assert not atlas.has_key(ORG, key(2))
