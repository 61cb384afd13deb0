"""Retries, missing_ok, logging, and the security options, from Python."""

import logging
import time

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


def test_proxy_settings() -> None:
    with pytest.raises(atlas_admin.InvalidArgumentError, match="proxy"):
        atlas_admin.Client(PUBLIC, PRIVATE, proxy=True)  # type: ignore[arg-type]
    with pytest.raises(atlas_admin.InvalidArgumentError, match="proxy"):
        atlas_admin.Client(PUBLIC, PRIVATE, proxy="http://user:hunter2@[bad")
    atlas_admin.Client(PUBLIC, PRIVATE, proxy=False)
    atlas_admin.Client(PUBLIC, PRIVATE, proxy="http://proxy.example.com:3128")


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
