"""The atlas-admin command line from Python: `python -m atlas_admin` runs the
same Rust code as the binary (tests in cli/tests drive that one)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from atlas_admin.testing import MockAtlas

ORG = "5f1a2b3c4d5e6f7a8b9c0d1e"
KEYS = ["6a1b2c3d4e5f6a7b8c9d0e1f", "6a1b2c3d4e5f6a7b8c9d0e2a"]
MISSING = "6a1b2c3d4e5f6a7b8c9d0e3b"
PUBLIC = "abcdefgh"
PRIVATE = "0c1b7a3e-d7f4-4c4c-9d5a-e1b2c3d4e5f6"


def run(atlas: MockAtlas, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "XDG_CONFIG_HOME": str(tmp_path),
        "HOME": str(tmp_path),
        "MONGODB_ATLAS_PUBLIC_API_KEY": PUBLIC,
        "MONGODB_ATLAS_PRIVATE_API_KEY": PRIVATE,
    }
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
