"""Rate limits against the mock's token bucket: Atlas' 400 ..._RATE_LIMITED
is a RateLimitError after the client's retries, and 200 deletes from 8
threads go as fast as the bucket allows with nothing lost. The bucket
refills in real time, so the bulk test takes the 9 s its bucket needs."""

import threading
import time
from typing import Dict, List, Optional

import pytest

from atlas_admin.errors import AtlasError, RateLimitError
from atlas_admin.testing import MockAtlas

from conftest import ORG, PRIVATE, PUBLIC, key, shown

THREADS = 8
KEYS = 200
CAPACITY = 20
REFILL_PER_SEC = 20


def test_a_400_rate_limited_code_is_a_rate_limit_error_after_retries(atlas: MockAtlas) -> None:
    # One retry: without Retry-After the backoff waits at most 250 ms.
    client = atlas.client(max_retries=1)
    client.list_org_api_keys(ORG)
    atlas.set_rate_limit(
        1,
        0.001,
        status=400,
        error_code="INVITATIONS_RATE_LIMITED_IP",
        retry_after=False,
    )
    client.list_org_api_keys(ORG)  # the bucket's one token
    with pytest.raises(RateLimitError) as raised:
        # A POST: refused for its rate, it had no effect, so it is retried.
        client.create_org_api_key(ORG, "refused for its rate", ["ORG_MEMBER"])
    error = raised.value
    shown(error)
    assert (error.status, error.error_code, error.attempts) == (400, "INVITATIONS_RATE_LIMITED_IP", 2)
    assert error.retry_after is None
    stats = atlas.stats()
    assert (stats["rate_limited"], stats["created"]) == (2, 0), stats


def test_the_mock_refuses_a_rate_limit_it_cannot_serve(atlas: MockAtlas) -> None:
    with pytest.raises(ValueError, match="capacity must be at least 1"):
        atlas.set_rate_limit(0, 1)
    with pytest.raises(ValueError, match="error_code"):
        atlas.set_rate_limit(1, 1, error_code="not a code")
    with pytest.raises(OverflowError):
        atlas.set_rate_limit(-1, 1)
    atlas.set_rate_limit(1, 0.001)
    atlas.clear_rate_limit()
    client = atlas.client()
    for _ in range(3):
        client.list_org_api_keys(ORG)
    assert atlas.stats()["rate_limited"] == 0


def test_two_hundred_deletes_from_8_threads_take_at_most_1_3_times_the_bucket_minimum() -> None:
    with MockAtlas(keys={ORG: [key(i) for i in range(KEYS)]}, credentials={PUBLIC: PRIVATE}) as atlas:
        # Atlas' own refusal: 429 RATE_LIMITED_TOKEN_BUCKET with Retry-After.
        atlas.set_rate_limit(CAPACITY, REFILL_PER_SEC)
        client = atlas.client()
        pending = iter(range(KEYS))
        lock = threading.Lock()
        outcomes: Dict[str, Optional[AtlasError]] = {}

        def delete() -> None:
            while True:
                with lock:
                    i = next(pending, None)
                if i is None:
                    return
                outcome: Optional[AtlasError] = None
                try:
                    client.delete_org_api_key(ORG, key(i))
                except AtlasError as e:
                    outcome = e
                with lock:
                    outcomes[key(i)] = outcome

        threads = [threading.Thread(target=delete) for _ in range(THREADS)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started

        stats = atlas.stats()
        # Challenges come before the bucket: only the deletes took tokens.
        admitted = stats["authenticated"] - stats["rate_limited"]
        minimum = (admitted - CAPACITY) / REFILL_PER_SEC
        print(
            f"{KEYS} deletes, {THREADS} threads, bucket {CAPACITY} + {REFILL_PER_SEC}/s: "
            f"{elapsed:.2f} s, minimum {minimum:.2f} s ({elapsed / minimum:.2f}x), "
            f"{stats['rate_limited']} refusals"
        )
        failures: List[str] = [f"{k}: {e}" for k, e in outcomes.items() if e is not None]
        assert failures == []
        assert len(outcomes) == KEYS
        assert not any(atlas.has_key(ORG, key(i)) for i in range(KEYS))
        assert stats["deleted"] == KEYS, stats
        assert admitted == KEYS, stats
        assert stats["rate_limited"] > 0, stats
        assert elapsed <= 1.3 * minimum, f"{elapsed:.2f} s against a minimum of {minimum:.2f} s"

