"""The atlas-admin command line from Python: `python -m atlas_admin` runs the
same Rust code as the binary (tests in cli/tests drive that one)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List

import pytest

from atlas_admin.testing import MockAtlas

ORG = "5f1a2b3c4d5e6f7a8b9c0d1e"
KEYS = ["6a1b2c3d4e5f6a7b8c9d0e1f", "6a1b2c3d4e5f6a7b8c9d0e2a"]
MISSING = "6a1b2c3d4e5f6a7b8c9d0e3b"
PUBLIC = "abcdefgh"
PRIVATE = "0c1b7a3e-d7f4-4c4c-9d5a-e1b2c3d4e5f6"


def environment(tmp_path: Path) -> Dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "XDG_CONFIG_HOME": str(tmp_path),
        "HOME": str(tmp_path),
        "MONGODB_ATLAS_PUBLIC_API_KEY": PUBLIC,
        "MONGODB_ATLAS_PRIVATE_API_KEY": PRIVATE,
    }


def run(atlas: MockAtlas, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = environment(tmp_path)
    return subprocess.run(
        [sys.executable, "-m", "atlas_admin", "org-api-keys", "delete", "--org", ORG,
         "--host", atlas.origin, "--output", "json", *args],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )


def test_python_m_atlas_admin_deletes_and_reports_json(tmp_path: Path) -> None:
    with MockAtlas(keys={ORG: KEYS}, credentials={PUBLIC: PRIVATE}) as atlas:
        done = run(atlas, tmp_path, *KEYS)
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
        lines = [json.loads(line) for line in done.stdout.splitlines()]
        assert [line["outcome"] for line in lines[:2]] == ["deleted", "deleted"]
        assert lines[-1]["summary"]["deleted"] == 2
        assert not any(atlas.has_key(ORG, key) for key in KEYS)


def test_exit_codes_come_from_the_same_table(tmp_path: Path) -> None:
    with MockAtlas(keys={ORG: KEYS}, credentials={PUBLIC: PRIVATE}) as atlas:
        done = run(atlas, tmp_path, MISSING)
        assert done.returncode == 3, done.stdout + done.stderr
        assert json.loads(done.stdout.splitlines()[0])["outcome"] == "not_found"
        usage = run(atlas, tmp_path, "--no-such-flag")
        assert usage.returncode == 2


# Signals during a bulk delete: the console script runs the binary's code,
# which catches SIGINT and SIGTERM for the run (over the SIG_DFL that
# `python -m atlas_admin` sets) and puts the previous handlers back after.

BULK = [f"6a1b2c3d4e5f6a7b8c{i:06x}" for i in range(80)]


def start_bulk_delete(atlas: MockAtlas, tmp_path: Path, program: List[str]) -> "subprocess.Popen[str]":
    """`program` (a Python command line ending in atlas-admin's arguments)
    deleting BULK, given on stdin, 4 at a time, JSON lines on stdout; once
    the mock has deleted a few keys."""
    atlas.set_response_delay(0.05)
    keys = tmp_path / "keys.txt"
    keys.write_text("".join(f"{key}\n" for key in BULK))
    with keys.open() as stdin:
        proc = subprocess.Popen(
            [*program, "org-api-keys", "delete", "--org", ORG, "--host", atlas.origin,
             "--output", "json", "--concurrency", "4", "--from-file", "-"],
            env=environment(tmp_path), stdin=stdin, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )
    deadline = time.monotonic() + 30
    while atlas.stats()["deleted"] < 4:
        assert proc.poll() is None, "the run ended before it was signalled"
        assert time.monotonic() < deadline, "the run did not start deleting within 30 s"
        time.sleep(0.005)
    return proc


def check_interrupted_report(atlas: MockAtlas, stdout: str, signame: str, code: int) -> None:
    """Every key once, in order; the server deleted exactly the keys the
    report says; the keys not attempted were never sent."""
    lines: List[Dict[str, Any]] = [json.loads(line) for line in stdout.splitlines()]
    summary = lines.pop()
    assert [line["key"] for line in lines] == BULK
    outcomes = {line["key"]: line["outcome"] for line in lines}
    deleted = [key for key, outcome in outcomes.items() if outcome == "deleted"]
    not_attempted = [key for key, outcome in outcomes.items() if outcome == "not_attempted"]
    assert len(deleted) + len(not_attempted) == len(BULK), outcomes
    assert not_attempted, "the signal came after every key was done"
    assert atlas.stats()["deleted"] == len(deleted)
    assert not any(atlas.has_key(ORG, key) for key in deleted)
    sent = {str(r["target"]).rsplit("/", 1)[-1] for r in atlas.recent_requests() if r["method"] == "DELETE"}
    assert all(atlas.has_key(ORG, key) and key not in sent for key in not_attempted)
    assert summary["summary"]["not_attempted"] == len(not_attempted)
    assert summary["interrupted_by"] == signame
    assert summary["exit_code"] == code


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_python_m_atlas_admin_accounts_for_every_key_when_signalled(
        tmp_path: Path, signum: signal.Signals, code: int) -> None:
    with MockAtlas(keys={ORG: BULK}, credentials={PUBLIC: PRIVATE}) as atlas:
        proc = start_bulk_delete(atlas, tmp_path, [sys.executable, "-m", "atlas_admin"])
        proc.send_signal(signum)
        stdout, stderr = proc.communicate(timeout=60)
        assert proc.returncode == code, stderr
        assert stderr == ""
        check_interrupted_report(atlas, stdout, signum.name, code)


# Calls cli_main as a program embedding it would, with Python's own SIGINT
# handler in place (not the console script's SIG_DFL), and reports on
# stderr what it returned and whether Python's handler works again after.
EMBEDDED = """
import json, signal, sys
from atlas_admin._native import cli_main
before = signal.getsignal(signal.SIGINT)
code = cli_main(["atlas-admin", *sys.argv[1:]])
try:
    signal.raise_signal(signal.SIGINT)
    python_handler_back = False
except KeyboardInterrupt:
    python_handler_back = True
print(json.dumps({"code": code, "python_handler_back": python_handler_back,
                  "same_handler": signal.getsignal(signal.SIGINT) is before}), file=sys.stderr)
"""


def test_cli_main_catches_sigint_for_the_run_and_gives_python_its_handler_back(tmp_path: Path) -> None:
    with MockAtlas(keys={ORG: BULK}, credentials={PUBLIC: PRIVATE}) as atlas:
        proc = start_bulk_delete(atlas, tmp_path, [sys.executable, "-c", EMBEDDED])
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
        assert proc.returncode == 0, stderr
        # No KeyboardInterrupt escaped cli_main: the run's handler took the
        # signal, and Python's own handled the one raised after.
        assert json.loads(stderr) == {"code": 130, "python_handler_back": True, "same_handler": True}
        check_interrupted_report(atlas, stdout, "SIGINT", 130)
