"""AsyncClient: the Client for asyncio, its calls in worker threads.

Plain tests that drive their own event loop with asyncio.run(), so that the
suite needs nothing beyond pytest.
"""

import asyncio
import contextvars
import logging
import os
import threading
import time
from pathlib import Path
from typing import List, Tuple

import pytest

import atlas_admin
from atlas_admin import AsyncClient
from atlas_admin.testing import MockAtlas

from conftest import KEY, ORG, OTHER_ORG, PRIVATE, PUBLIC, WRONG_PRIVATE, bad_ids, key

DELETES = 50
DELAY = 0.1
TICK = 0.01


def async_client(atlas: MockAtlas, **kwargs: object) -> AsyncClient:
    return AsyncClient(PUBLIC, PRIVATE, host=atlas.origin, **kwargs)  # type: ignore[arg-type]


def test_concurrent_deletes_overlap_and_the_loop_stays_responsive(atlas: MockAtlas) -> None:
    for i in range(DELETES):
        atlas.add_key(ORG, key(i))

    async def main() -> Tuple[float, List[float]]:
        async with async_client(atlas) as client:
            await client.delete_org_api_key(ORG, KEY)  # the challenge, outside the timing
            atlas.set_response_delay(DELAY)
            ticks: List[float] = []
            done = asyncio.Event()

            async def ticker() -> None:
                while not done.is_set():
                    ticks.append(time.monotonic())
                    await asyncio.sleep(TICK)

            ticking = asyncio.create_task(ticker())
            started = time.monotonic()
            await asyncio.gather(*(client.delete_org_api_key(ORG, key(i)) for i in range(DELETES)))
            elapsed = time.monotonic() - started
            done.set()
            await ticking
            return elapsed, ticks

    elapsed, ticks = asyncio.run(main())
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    print(f"{DELETES} deletes, {DELAY} s server delay each: {elapsed:.3f} s, {len(ticks)} ticks")
    assert atlas.stats()["deleted"] == DELETES + 1
    # One after another they would take DELETES * DELAY = 5 s; with the
    # default 32 workers, two rounds of DELAY.
    assert elapsed < 1.0, f"{DELETES} deletes took {elapsed:.2f} s"
    # A delete on the loop's thread would stop the ticker for a whole DELAY.
    assert len(ticks) >= 10, f"the ticker ran {len(ticks)} times in {elapsed:.2f} s"
    assert max(gaps) < DELAY, f"the loop was blocked for {max(gaps):.3f} s"


def test_calls_run_in_worker_threads_in_the_callers_context(atlas: MockAtlas) -> None:
    request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id")
    seen: List[Tuple[str, str]] = []

    class Recorder(logging.Handler):
        """Where each record was emitted from: thread, and context."""

        def emit(self, record: logging.LogRecord) -> None:
            seen.append((record.threadName or "", request_id.get("unset")))

    handler = Recorder()
    logger = logging.getLogger("atlas_admin")
    logger.addHandler(handler)

    async def main() -> str:
        request_id.set("task-1")
        async with async_client(atlas) as client:
            atlas.fail_next(503)  # a retry, which logs a warning
            await client.delete_org_api_key(ORG, KEY)
        return threading.current_thread().name

    try:
        loop_thread = asyncio.run(main())
    finally:
        logger.removeHandler(handler)
    assert seen, "the retry logged nothing"
    for thread, context in seen:
        assert thread.startswith("atlas_admin") and thread != loop_thread, thread
        assert context == "task-1"


def test_errors_are_the_clients(atlas: MockAtlas) -> None:
    async def main() -> None:
        async with async_client(atlas) as client:
            with pytest.raises(atlas_admin.NotFoundError) as missing:
                await client.delete_org_api_key(ORG, key(7))
            assert type(missing.value) is atlas_admin.NotFoundError
            assert missing.value.error_code == "API_KEY_NOT_FOUND"
            await client.delete_org_api_key(ORG, key(7), missing_ok=True)
            with pytest.raises(atlas_admin.NotFoundError):
                await client.delete_org_api_key(OTHER_ORG, KEY, missing_ok=True)
            for bad in bad_ids():
                with pytest.raises(atlas_admin.InvalidArgumentError) as invalid:
                    await client.delete_org_api_key(bad, KEY)
                assert invalid.value.attempts == 0
            with pytest.raises(TypeError):
                await client.delete_org_api_key(ORG, 42)  # type: ignore[arg-type]
        async with AsyncClient(PUBLIC, WRONG_PRIVATE, host=atlas.origin) as client:
            with pytest.raises(atlas_admin.AuthenticationError):
                await client.delete_org_api_key(ORG, KEY)
        atlas.fail_next(429, count=5)
        async with async_client(atlas, max_retries=0) as client:
            with pytest.raises(atlas_admin.RateLimitError) as limited:
                await client.delete_org_api_key(ORG, KEY)
            assert limited.value.attempts == 1

    asyncio.run(main())
    assert atlas.has_key(ORG, KEY)


def test_the_constructor_is_clients(atlas: MockAtlas) -> None:
    client = AsyncClient(
        client_id="mdb_sa_id_0", client_secret="s", api="atlas-v2", host=atlas.origin, max_workers=2
    )
    assert (client.client_id, client.public_key, client.api) == ("mdb_sa_id_0", None, "atlas-v2")
    assert client.base_url == atlas.origin + "/api/atlas/v2"
    assert repr(client) == (
        f"AsyncClient(base_url='{atlas.origin}/api/atlas/v2', api='atlas-v2', "
        "client_id='mdb_sa_id_0')"
    )
    client.close()
    client = async_client(atlas)
    assert repr(client) == "Async" + repr(atlas_admin.Client(PUBLIC, PRIVATE, host=atlas.origin))
    assert PRIVATE not in repr(client)
    client.close()
    with pytest.raises(atlas_admin.InvalidArgumentError, match="private_key"):
        AsyncClient(PUBLIC, host=atlas.origin)
    with pytest.raises(atlas_admin.InvalidArgumentError, match="timeout"):
        async_client(atlas, timeout=-1)
    with pytest.raises(TypeError):
        async_client(atlas, no_such_argument=1)
    with pytest.raises(ValueError, match="max_workers"):
        async_client(atlas, max_workers=0)


def test_async_with_closes(atlas: MockAtlas) -> None:
    before = set(threading.enumerate())

    async def main() -> AsyncClient:
        async with async_client(atlas, max_workers=4) as client:
            await asyncio.gather(
                *(client.delete_org_api_key(ORG, key(i), missing_ok=True) for i in range(8))
            )
        with pytest.raises(atlas_admin.InvalidArgumentError, match="closed"):
            await client.delete_org_api_key(ORG, KEY)
        await client.aclose()  # twice is harmless
        client.close()
        return client

    client = asyncio.run(main())
    workers = [t for t in set(threading.enumerate()) - before if t.name.startswith("atlas_admin")]
    assert workers == [], "aclose() left worker threads running"
    assert client.base_url == atlas.base_url  # still readable after closing
    assert atlas.has_key(ORG, KEY)


def test_close_does_not_wait_and_refuses_later_calls(atlas: MockAtlas) -> None:
    async def main() -> None:
        client = async_client(atlas)
        client.close()
        with pytest.raises(atlas_admin.InvalidArgumentError, match="closed"):
            await client.delete_org_api_key(ORG, KEY)

    asyncio.run(main())
    assert atlas.has_key(ORG, KEY)


def test_from_env(atlas: MockAtlas, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("MONGODB_ATLAS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(atlas_admin.InvalidArgumentError, match="MONGODB_ATLAS_PUBLIC_API_KEY"):
        AsyncClient.from_env()
    monkeypatch.setenv("MONGODB_ATLAS_PUBLIC_API_KEY", PUBLIC)
    monkeypatch.setenv("MONGODB_ATLAS_PRIVATE_API_KEY", PRIVATE)
    monkeypatch.setenv("MONGODB_ATLAS_BASE_URL", atlas.origin)
    with pytest.raises(atlas_admin.InvalidArgumentError, match="work"):
        AsyncClient.from_env("work")  # a profile asked for by name must exist

    async def main() -> None:
        async with AsyncClient.from_env(timeout=5, max_workers=2) as client:
            assert (client.public_key, client.base_url) == (PUBLIC, atlas.base_url)
            await client.delete_org_api_key(ORG, KEY)
        async with AsyncClient.from_env(api="atlas-v2") as client:
            assert client.base_url == atlas.origin + "/api/atlas/v2"

    asyncio.run(main())
    assert not atlas.has_key(ORG, KEY)


def test_cancelling_stops_the_call_in_its_worker_and_drops_queued_ones(atlas: MockAtlas) -> None:
    sent, queued, later = key(1), key(2), key(3)
    for k in (sent, queued, later):
        atlas.add_key(ORG, k)

    async def main() -> float:
        # One worker: the first delete is in flight, the second waits for it.
        async with async_client(atlas, max_workers=1, timeout=60) as client:
            # The challenge, so that each delete after it is one request.
            await client.delete_org_api_key(ORG, KEY)
            atlas.set_response_delay(25)  # a server that will not answer soon
            stats = atlas.stats()
            in_flight = asyncio.create_task(client.delete_org_api_key(ORG, sent))
            waiting = asyncio.create_task(client.delete_org_api_key(ORG, queued))
            while atlas.stats()["requests"] == stats["requests"]:
                await asyncio.sleep(0.005)
            atlas.set_response_delay(0)  # for the calls after this one
            in_flight.cancel()
            waiting.cancel()
            cancelled = time.monotonic()
            for task in (in_flight, waiting):
                with pytest.raises(asyncio.CancelledError):
                    await task
            # The one worker is free again: the next call runs, on a new
            # connection, as the cancelled call's was closed, not pooled.
            await client.delete_org_api_key(ORG, later)
            freed = time.monotonic() - cancelled
            after = atlas.stats()
            assert after["connections"] == stats["connections"] + 1
            assert after["requests"] == stats["requests"] + 3, "the queued call was sent"
            return freed

    freed = asyncio.run(main())
    assert freed < 1.5, f"the worker was busy {freed:.3f} s after the cancellation"
    assert atlas.has_key(ORG, queued), "a call still waiting for a worker was sent"
    assert not atlas.has_key(ORG, later)
