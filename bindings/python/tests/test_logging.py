"""The "atlas_admin" logger: silent unless the application configures logging."""

import logging
import subprocess
import sys
from typing import List

from atlas_admin.testing import MockAtlas

from conftest import KEY, ORG

# A script that never configures logging unless told to, and whose one
# delete is retried once (HTTP 503), which the core logs as a warning.
SCRIPT = """
import logging, sys
import atlas_admin
from atlas_admin.testing import MockAtlas

org, key = sys.argv[1:]
with MockAtlas(keys={org: [key]}) as atlas:
    atlas.fail_next(503)
%s
    atlas.client().delete_org_api_key(org, key)
    assert (atlas.stats()["faults"], atlas.has_key(org, key)) == (1, False), atlas.stats()
"""


def run_script(configure: str = "") -> str:
    """Runs SCRIPT in a fresh interpreter with `configure` before the delete;
    returns its stderr."""
    code = SCRIPT % "\n".join("    " + line for line in (configure or "pass").splitlines())
    result = subprocess.run(
        [sys.executable, "-c", code, ORG, KEY], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_a_retry_prints_nothing_when_logging_is_not_configured() -> None:
    assert run_script() == ""


def test_the_check_above_would_see_the_last_resort_handler() -> None:
    # Without the package's NullHandler, the retry's warning reaches
    # logging.lastResort: what scripts printed before.
    stderr = run_script('logging.getLogger("atlas_admin").handlers.clear()')
    assert "attempt 1 failed" in stderr and "retrying" in stderr, stderr


def test_configured_logging_still_gets_the_records() -> None:
    stderr = run_script("logging.basicConfig()")
    assert stderr.startswith("WARNING:atlas_admin:DELETE "), stderr
    assert "attempt 1 failed" in stderr and "retrying" in stderr, stderr


def test_a_handler_on_the_logger_gets_the_records(atlas: MockAtlas) -> None:
    logger = logging.getLogger("atlas_admin")
    assert any(type(h) is logging.NullHandler for h in logger.handlers), logger.handlers
    records: List[logging.LogRecord] = []

    class Recorder(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Recorder()
    logger.addHandler(handler)
    try:
        atlas.fail_next(503)
        atlas.client().delete_org_api_key(ORG, KEY)
    finally:
        logger.removeHandler(handler)
    retries = [r for r in records if "retrying" in r.getMessage()]
    assert [(r.name, r.levelname) for r in retries] == [("atlas_admin", "WARNING")], records
