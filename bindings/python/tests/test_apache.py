"""Digest against a real, independent server, from Python threads.

Debian's Apache httpd 2.4 with mod_auth_digest and strict nonce counting
(AuthDigestNcCheck On: an nc not above the last one Apache accepted for that
nonce is refused with 401) and a 2 s nonce lifetime, started by
scripts/apache-digest on a free loopback port. Threads share one
atlas_admin.Client, which releases the GIL while a request is in flight;
halfway through, every thread pauses past the nonce lifetime so that every
session's nonce goes stale under load. Apache's access log counts the
challenges (401s) and deletes (204s).

Without Apache these tests are skipped loudly, unless ATLAS_REQUIRE_APACHE
is set (as `make test` does): then they fail.
"""

import logging
import os
import subprocess
import threading
import time
from pathlib import Path
from typing import Dict, Iterator, List, NamedTuple

import pytest

import atlas_admin

from conftest import KEY, ORG, PRIVATE, PUBLIC, announcement

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "apache-digest"
THREADS = 16
PER_THREAD = 50


def _skip_loudly(capsys: pytest.CaptureFixture[str], why: str) -> None:
    with capsys.disabled():
        print(f"\n*** SKIPPING the Apache Digest test: {why} ***")
    pytest.skip(why)


@pytest.fixture
def apache(capsys: pytest.CaptureFixture[str]) -> Iterator[Dict[str, str]]:
    """A running Apache (the variables scripts/apache-digest prints)."""
    binary = os.environ.get("ATLAS_APACHE_BIN", "/usr/sbin/apache2")
    if not os.path.exists(binary) and not os.environ.get("ATLAS_REQUIRE_APACHE"):
        _skip_loudly(
            capsys,
            f"{binary} is not installed (scripts/install-deps installs it; "
            "ATLAS_REQUIRE_APACHE=1 makes this a failure)",
        )
    env = dict(os.environ, ATLAS_APACHE_PUBLIC_KEY=PUBLIC, ATLAS_APACHE_PRIVATE_KEY=PRIVATE)
    process = subprocess.Popen(
        [str(SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        variables, state = announcement(process.stdout)
        if state == "skip":
            _skip_loudly(capsys, "apache2 is not installed")
        assert state == "ready", "scripts/apache-digest did not start Apache (see its output)"
        yield variables
    finally:
        process.stdin.close()  # the script stops Apache when its input closes
        process.wait(timeout=60)
        process.stdout.close()


class Counts(NamedTuple):
    requests: int
    deletes: int
    challenges: int
    stale: int
    nc_refusals: int


def read_counts(apache: Dict[str, str]) -> Counts:
    with open(apache["ATLAS_APACHE_ACCESS_LOG"]) as f:
        lines = f.read().splitlines()
    with open(apache["ATLAS_APACHE_ERROR_LOG"]) as f:
        errors = f.read()
    challenges = [line for line in lines if line.startswith("401 ")]
    return Counts(
        requests=len(lines),
        deletes=sum(line.startswith("204 ") for line in lines),
        challenges=len(challenges),
        stale=sum("stale=true" in line for line in challenges),
        nc_refusals=errors.count("nonce-count check failed"),
    )


def counts_after(apache: Dict[str, str], deletes: int) -> Counts:
    """Apache logs a request after answering it: wait (at most 10 s) for the
    access log to hold `deletes` 204s."""
    deadline = time.monotonic() + 10
    counts = read_counts(apache)
    while counts.deletes < deletes and time.monotonic() < deadline:
        time.sleep(0.05)
        counts = read_counts(apache)
    return counts


def deletes_through_one_client(
    apache: Dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    threads: int,
) -> None:
    # Thousands of debug lines still reach the secret scan's handler (on the
    # "atlas_admin" logger itself), but not pytest's report of a failure.
    monkeypatch.setattr(logging.getLogger("atlas_admin"), "propagate", False)
    lifetime = float(apache["ATLAS_APACHE_NONCE_LIFETIME"])
    pause = lifetime + 0.5
    client = atlas_admin.Client(
        PUBLIC,
        PRIVATE,
        base_url=apache["ATLAS_APACHE_URL"],
        max_retries=0,
        connect_timeout=10.0,
        timeout=30.0,
    )
    started = time.monotonic()
    client.delete_org_api_key(ORG, KEY)  # a single delete: the config and key pair are right

    failures: List[atlas_admin.AtlasError] = []

    def work(t: int) -> None:
        for i in range(PER_THREAD):
            if i == PER_THREAD // 2:
                time.sleep(pause)
            try:
                client.delete_org_api_key(ORG, f"6a1b2c3d4e5f{t:06x}{i:06x}")
            except atlas_admin.AtlasError as e:
                failures.append(e)

    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    load_started = time.monotonic()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    load_elapsed = time.monotonic() - load_started
    elapsed = time.monotonic() - started
    client.close()

    deletes = threads * PER_THREAD
    counts = counts_after(apache, deletes + 1 - len(failures))
    fresh = counts.challenges - counts.stale
    stale_allowed = int((threads + 1) * (elapsed / lifetime + 1))
    kinds: Dict[str, int] = {}
    for e in failures:
        kinds[type(e).__name__] = kinds.get(type(e).__name__, 0) + 1
    with capsys.disabled():
        print(
            f"\napache (Python): {threads} threads x {PER_THREAD} deletes + 1 warm-up in "
            f"{elapsed:.2f} s (load {load_elapsed:.2f} s with a {pause:.1f} s pause, nonce "
            f"lifetime {lifetime:g} s): {len(failures)} failed {kinds}; Apache saw "
            f"{counts.requests} requests, {counts.deletes} deletes (204), {counts.challenges} "
            f"challenges (401: {fresh} fresh, {counts.stale} stale), {counts.nc_refusals} "
            "nonce-count refusals"
        )
        if failures:
            print(f"apache (Python): first failure: {failures[0]!r}")

    assert len(failures) == 0, f"{len(failures)} of {deletes} deletes failed: {kinds}"
    assert counts.deletes == deletes + 1, "Apache answered 204 to every delete, once"
    assert fresh <= threads + 1, f"{fresh} fresh challenges for {threads} threads"
    assert counts.stale >= 1, "no nonce went stale, although every thread paused past its lifetime"
    assert counts.stale <= stale_allowed, f"{counts.stale} stale renewals in {elapsed:.1f} s"
    assert counts.nc_refusals == 0, "Apache refused a nonce count"


def test_sequential_deletes_cost_one_challenge_plus_stale_renewals(
    apache: Dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    deletes_through_one_client(apache, capsys, monkeypatch, 1)


def test_sixteen_threads_sharing_a_client_all_succeed_against_apache(
    apache: Dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    deletes_through_one_client(apache, capsys, monkeypatch, THREADS)
