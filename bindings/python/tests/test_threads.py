"""One client shared by threads, with the GIL released during network I/O."""

import threading
import time
from typing import List

import atlas_admin
from atlas_admin.testing import MockAtlas

from conftest import KEY, ORG, key

THREADS = 8
DELAY = 0.5


def test_threads_run_in_parallel_with_the_gil_released(atlas: MockAtlas) -> None:
    client = atlas.client()
    client.delete_org_api_key(ORG, KEY)  # the challenge, outside the timing
    for i in range(THREADS):
        atlas.add_key(ORG, key(i))
    atlas.set_response_delay(DELAY)
    failures: List[BaseException] = []

    def delete(i: int) -> None:
        try:
            client.delete_org_api_key(ORG, key(i))
        except BaseException as e:  # noqa: BLE001 - reported below
            failures.append(e)

    threads = [threading.Thread(target=delete, args=(i,)) for i in range(THREADS)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started

    print(f"{THREADS} threads, {DELAY} s server delay each: {elapsed:.3f} s")
    assert failures == []
    assert atlas.stats()["deleted"] == THREADS + 1
    # Serialised by the GIL this would take THREADS * DELAY = 4 s; in
    # parallel about 2 * DELAY (each thread's first request earns its own
    # Digest challenge). Half the serial time leaves room for a busy machine.
    assert DELAY <= elapsed < THREADS * DELAY / 2, f"{THREADS} deletes took {elapsed:.2f} s"


def test_the_gil_is_free_for_other_python_threads(atlas: MockAtlas) -> None:
    client = atlas.client()
    atlas.set_response_delay(DELAY)
    ticks = 0
    done = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.01)

    counter = threading.Thread(target=count)
    counter.start()
    try:
        client.delete_org_api_key(ORG, KEY)
    finally:
        done.set()
        counter.join()
    assert ticks >= 10, f"the counting thread ran only {ticks} times in {DELAY} s"


def test_many_threads_many_calls(atlas: MockAtlas) -> None:
    client = atlas.client()
    for i in range(64):
        atlas.add_key(ORG, key(i))
    errors: List[BaseException] = []

    def work(t: int) -> None:
        for i in range(t * 4, t * 4 + 4):
            try:
                client.delete_org_api_key(ORG, key(i))
            except atlas_admin.AtlasError as e:
                errors.append(e)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert atlas.stats()["deleted"] == 64
