"""Fixtures: a fresh in-process mock Atlas for each test.

When ATLAS_SECRET_SCAN_DIR is set (by `make test`), every log record of the
"atlas_admin" logger, the str, repr and details of every AtlasError
created during the run, and whatever the tests pass to shown() (the keys
they create, say) are written to a file there, which scripts/check-secrets
then searches for private keys: the mock's own start with 6d6f636b-.
"""

import logging
import os
from pathlib import Path
from typing import IO, Any, Dict, Iterable, Iterator, List, Optional, Tuple

import pytest

from atlas_admin.errors import AtlasError
from atlas_admin.testing import MockAtlas


# The secret scan's file, when `make test` asked for one.
_scan: Optional[IO[str]] = None


def shown(*objects: object) -> List[str]:
    """What a program printing or logging `objects` would show, their repr()
    and str(), also written to the secret scan when one runs."""
    texts = [text for obj in objects for text in (repr(obj), str(obj))]
    if _scan is not None:
        _scan.write("".join(f"shown {text}\n" for text in texts))
    return texts


def _capture_for_secret_scan(directory: str) -> None:
    global _scan
    os.makedirs(directory, exist_ok=True)
    scan = _scan = open(os.path.join(directory, f"python-{os.getpid()}.log"), "w", buffering=1)
    handler = logging.StreamHandler(scan)
    handler.setFormatter(logging.Formatter("log %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("atlas_admin")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    original = AtlasError.__init__

    def recording_init(self: AtlasError, message: str, **details: Any) -> None:
        original(self, message, **details)
        scan.write(f"error {self}\nrepr {self!r}\ndetails {details!r}\n")

    AtlasError.__init__ = recording_init  # type: ignore[method-assign]


if os.environ.get("ATLAS_SECRET_SCAN_DIR"):
    _capture_for_secret_scan(os.environ["ATLAS_SECRET_SCAN_DIR"])

ORG = "5f1a2b3c4d5e6f7a8b9c0d1e"
KEY = "6a1b2c3d4e5f6a7b8c9d0e1f"
OTHER_ORG = "5f1a2b3c4d5e6f7a8b9c0d99"
PUBLIC = "abcdefgh"
PRIVATE = "0c1b7a3e-d7f4-4c4c-9d5a-e1b2c3d4e5f6"
# The private keys of the Makefile's TEST_PRIVATE_KEYS, or secrets that
# contain one, so that the scan catches any of them leaking.
WRONG_PRIVATE = "ffffffff-0000-4000-8000-wrongprivate"
CLIENT_ID = "mdb_sa_id_0123456789abcdef01234567"
CLIENT_SECRET = f"mdb_sa_sk_{PRIVATE}"
WRONG_SECRET = f"mdb_sa_sk_{WRONG_PRIVATE}"


def announcement(lines: Iterable[str]) -> Tuple[Dict[str, str], str]:
    """What a server script (scripts/apache-digest, scripts/tinyproxy) prints
    before it serves: NAME=value lines, then "ready", or "skip" when the
    server is not installed. Returns the values and that last word ("" if
    the script ended first)."""
    values: Dict[str, str] = {}
    for line in lines:
        line = line.rstrip("\n")
        if line in ("ready", "skip"):
            return values, line
        name, _, value = line.partition("=")
        values[name] = value
    return values, ""


def key(i: int) -> str:
    """The i-th of a family of distinct API key IDs."""
    return f"6a1b2c3d4e5f6a7b8c{i:06x}"


def bad_ids() -> List[str]:
    """The IDs of tests/fixtures/bad_ids.txt, which the Rust and C tests read
    too: one a line between double quotes; empty and # lines skipped."""
    fixture = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "bad_ids.txt"
    ids = []
    for line in fixture.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            assert len(line) >= 2 and line[0] == line[-1] == '"', line
            ids.append(line[1:-1])
    return ids


@pytest.fixture
def atlas() -> Iterator[MockAtlas]:
    with MockAtlas(
        keys={ORG: [KEY]},
        credentials={PUBLIC: PRIVATE},
        service_accounts={CLIENT_ID: CLIENT_SECRET},
    ) as mock:
        logging.getLogger("atlas_admin").debug(
            "repr %r %r %r", mock, mock.client(), mock.service_account_client()
        )
        yield mock
