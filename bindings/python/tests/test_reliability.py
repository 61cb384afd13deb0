"""Retries, missing_ok, logging, and the security options, from Python."""

import http.server
import logging
import socket
import threading
import time
from typing import Iterator

import pytest

import atlas_admin
from atlas_admin.testing import MockAtlas

from conftest import KEY, ORG, OTHER_ORG, PRIVATE, PUBLIC, key


def test_server_errors_are_retried(atlas: MockAtlas) -> None:
    atlas.fail_next(503, count=2)
    atlas.client().delete_org_api_key(ORG, KEY)
    stats = atlas.stats()
    assert (stats["faults"], stats["deleted"]) == (2, 1)


def test_retry_after_is_honoured(atlas: MockAtlas) -> None:
    atlas.fail_next(429, retry_after=1)
    started = time.monotonic()
    atlas.client().delete_org_api_key(ORG, KEY)
    assert time.monotonic() - started >= 1.0


def test_rate_limit_forever_gives_up_within_budget(atlas: MockAtlas) -> None:
    atlas.fail_next(429, count=100)
    started = time.monotonic()
    with pytest.raises(atlas_admin.RateLimitError) as caught:
        atlas.client(max_retries=2, retry_budget=5.0).delete_org_api_key(ORG, KEY)
    assert time.monotonic() - started < 5.0
    assert atlas.stats()["faults"] == 3
    assert caught.value.attempts == 3
    assert "after 3 attempts" in str(caught.value)


def test_lost_answer_is_explained_and_missing_ok_accepts_it(atlas: MockAtlas) -> None:
    client = atlas.client()
    atlas.add_key(ORG, key(1))
    client.delete_org_api_key(ORG, key(1))  # the Digest challenge, so the next call is one request
    atlas.lose_next_answer()
    with pytest.raises(atlas_admin.NotFoundError, match="may already have succeeded") as caught:
        client.delete_org_api_key(ORG, KEY)
    assert not atlas.has_key(ORG, KEY)
    assert caught.value.attempts == 2
    atlas.add_key(ORG, key(2))
    atlas.lose_next_answer()
    client.delete_org_api_key(ORG, key(2), missing_ok=True)
    assert not atlas.has_key(ORG, key(2))


def test_missing_ok(atlas: MockAtlas) -> None:
    client = atlas.client()
    client.delete_org_api_key(ORG, key(42), missing_ok=True)
    with pytest.raises(atlas_admin.NotFoundError):
        client.delete_org_api_key(OTHER_ORG, KEY, missing_ok=True)
    atlas.fail_next(404)  # Atlas JSON, but not API_KEY_NOT_FOUND
    with pytest.raises(atlas_admin.HTTPError):
        client.delete_org_api_key(ORG, KEY, missing_ok=True)
    assert atlas.has_key(ORG, KEY)


class _NotFoundPage(http.server.BaseHTTPRequestHandler):
    """Answers every DELETE with a 404 page, as a web server at a wrong base
    URL, or a proxy, would."""

    def do_DELETE(self) -> None:  # noqa: N802 (the name http.server calls)
        page = b"<html><body><h1>404 Not Found</h1></body></html>"
        self.send_response(404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def not_atlas() -> Iterator[str]:
    """The base URL of a server that answers 404 pages."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotFoundPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/atlas/v1.0"
    finally:
        server.shutdown()
        server.server_close()


def test_missing_ok_does_not_take_a_404_page_for_a_deleted_key(not_atlas: str) -> None:
    client = atlas_admin.Client(PUBLIC, PRIVATE, base_url=not_atlas, max_retries=0)
    with pytest.raises(atlas_admin.HTTPError) as caught:
        client.delete_org_api_key(ORG, KEY, missing_ok=True)
    server = not_atlas.split("/")[2]
    assert str(caught.value).startswith(f"the server at {server} answered HTTP 404")
    assert "base URL" in str(caught.value) and "proxy" in str(caught.value)
    assert caught.value.status == 404 and caught.value.error_code is None


def _dead_port() -> int:
    """A port of 127.0.0.1 that nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_attempts_are_counted_without_an_answer() -> None:
    client = atlas_admin.Client(
        PUBLIC, PRIVATE, base_url=f"http://127.0.0.1:{_dead_port()}/api/atlas/v1.0",
        max_retries=2,
    )
    with pytest.raises(atlas_admin.TransportError) as caught:
        client.delete_org_api_key(ORG, KEY)
    assert caught.value.attempts == 3
    assert "gave up after 3 attempts" in str(caught.value)


def test_attempts_and_retries_are_logged_without_secrets(
    atlas: MockAtlas, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="atlas_admin")
    atlas.fail_next(502)
    atlas.client().delete_org_api_key(ORG, KEY)
    messages = [r.getMessage() for r in caplog.records if r.name == "atlas_admin"]
    assert any("attempt 1 failed" in m and "retrying in" in m for m in messages), messages
    assert any("succeeded on attempt 2" in m for m in messages), messages
    assert all(PRIVATE not in m for m in messages)
    assert [r.levelname for r in caplog.records if "retrying" in r.getMessage()] == ["WARNING"]


def test_proxy_settings(atlas: MockAtlas, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(atlas_admin.InvalidArgumentError, match="proxy"):
        atlas_admin.Client(PUBLIC, PRIVATE, proxy=True)  # type: ignore[arg-type]
    with pytest.raises(atlas_admin.InvalidArgumentError, match="proxy"):
        atlas_admin.Client(PUBLIC, PRIVATE, proxy="http://user:hunter2@[bad")
    # An environment proxy where nothing listens: None follows it and fails,
    # False goes straight to the mock.
    for name in ("NO_PROXY", "no_proxy", "http_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ALL_PROXY", f"http://127.0.0.1:{_dead_port()}")
    with pytest.raises(atlas_admin.TransportError):
        atlas.client(max_retries=0, proxy=None).delete_org_api_key(ORG, KEY)
    assert atlas.stats()["requests"] == 0
    atlas.client(max_retries=0, proxy=False).delete_org_api_key(ORG, KEY)
    assert not atlas.has_key(ORG, KEY)


def test_explicit_proxy_is_used(atlas: MockAtlas) -> None:
    client = atlas_admin.Client(
        PUBLIC, PRIVATE, base_url="http://127.0.0.1:9/api/atlas/v1.0",
        proxy=atlas.base_url, max_retries=0,
    )
    with pytest.raises(atlas_admin.TransportError, match="proxy"):
        client.delete_org_api_key(ORG, KEY)
    assert atlas.stats()["requests"] == 1  # the CONNECT reached the "proxy"


def test_plain_http_needs_permission() -> None:
    url = "http://ops.example.com:8080/api/public/v1.0"
    with pytest.raises(atlas_admin.InvalidArgumentError, match="plain http"):
        atlas_admin.Client(PUBLIC, PRIVATE, base_url=url)
    atlas_admin.Client(PUBLIC, PRIVATE, base_url=url, allow_insecure_http=True)


def test_ca_bundle_must_be_a_pem_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(atlas_admin.InvalidArgumentError, match="ca_bundle"):
        atlas_admin.Client(PUBLIC, PRIVATE, ca_bundle=tmp_path / "missing.pem")
    empty = tmp_path / "empty.pem"
    empty.write_text("no certificates here")
    with pytest.raises(atlas_admin.InvalidArgumentError, match="no PEM certificate"):
        atlas_admin.Client(PUBLIC, PRIVATE, ca_bundle=str(empty))
