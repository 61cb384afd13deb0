"""Service accounts: one token for many threads, renewed on expiry and on a
401, and a secret that is never shown."""

import logging
import threading
import time
from typing import List

import pytest

import atlas_admin
from atlas_admin.testing import MockAtlas

from conftest import (
    CLIENT_ID,
    CLIENT_SECRET,
    KEY,
    ORG,
    PRIVATE,
    PUBLIC,
    WRONG_SECRET,
    key,
)


def test_deletes_with_one_token(atlas: MockAtlas) -> None:
    client = atlas.service_account_client(max_retries=0)
    assert (client.client_id, client.public_key) == (CLIENT_ID, None)
    atlas.add_key(ORG, key(1))
    client.delete_org_api_key(ORG, KEY)
    client.delete_org_api_key(ORG, key(1))
    stats = atlas.stats()
    assert (stats["tokens_issued"], stats["token_requests"]) == (1, 1)
    assert (stats["bearer_authenticated"], stats["deleted"], stats["challenges"]) == (2, 2, 0)
    token_request = atlas.recent_requests()[0]
    assert (token_request["method"], token_request["target"]) == ("POST", "/api/oauth/token")
    assert token_request["content_type"] == "application/x-www-form-urlencoded"
    assert token_request["auth_scheme"] == "Basic"


def test_sixteen_threads_without_warm_up_share_one_token(atlas: MockAtlas) -> None:
    client = atlas.service_account_client()
    for i in range(64):
        atlas.add_key(ORG, key(i))
    # Slow answers keep every thread waiting on the first token together.
    atlas.set_response_delay(0.05)
    start = threading.Barrier(16)
    failures: List[BaseException] = []

    def work(t: int) -> None:
        start.wait()
        for i in range(t * 4, t * 4 + 4):
            try:
                client.delete_org_api_key(ORG, key(i))
            except BaseException as e:  # noqa: BLE001 - reported below
                failures.append(e)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(16)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    assert failures == []
    stats = atlas.stats()
    assert (stats["tokens_issued"], stats["token_requests"]) == (1, 1)
    assert stats["deleted"] == 64
    # One token fetch plus four delayed deletes per thread, about 0.25 s,
    # unless the GIL were held while waiting: then 65 delays in a row, over
    # 3 s. Half of that leaves room for a busy machine.
    assert elapsed < 1.6, f"64 deletes on 16 threads took {elapsed:.2f} s"


def test_a_revoked_token_is_replaced_once(atlas: MockAtlas) -> None:
    client = atlas.service_account_client(max_retries=0)
    atlas.add_key(ORG, key(1))
    client.delete_org_api_key(ORG, KEY)
    atlas.revoke_tokens()
    client.delete_org_api_key(ORG, key(1))
    stats = atlas.stats()
    assert (stats["tokens_issued"], stats["bearer_rejected"], stats["deleted"]) == (2, 1, 2)


def test_a_short_lived_token_is_renewed_before_it_expires() -> None:
    with MockAtlas(keys={ORG: [KEY, key(1)]}, service_accounts={CLIENT_ID: CLIENT_SECRET},
                   token_lifetime=2) as atlas:
        client = atlas.service_account_client(max_retries=0)
        client.delete_org_api_key(ORG, KEY)
        # Tokens under two minutes are renewed halfway through their life.
        atlas.advance_clock(1.2)
        client.delete_org_api_key(ORG, key(1))
        stats = atlas.stats()
        assert (stats["tokens_issued"], stats["bearer_rejected"], stats["deleted"]) == (2, 0, 2)


def test_a_wrong_secret_is_an_authentication_error_about_the_account(
    atlas: MockAtlas, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="atlas_admin")
    client = atlas.service_account_client(client_secret=WRONG_SECRET, max_retries=0)
    with pytest.raises(atlas_admin.AuthenticationError) as caught:
        client.delete_org_api_key(ORG, KEY)
    e = caught.value
    message = str(e)
    assert "service account" in message and "client ID" in message, message
    assert "public and private key" not in message
    assert e.status == 401
    for shown in [message, repr(e), repr(client), e.body or ""] + caplog.messages:
        assert WRONG_SECRET not in shown
    stats = atlas.stats()
    assert (stats["tokens_issued"], stats["deleted"]) == (0, 0)
    assert atlas.has_key(ORG, KEY)


def test_both_kinds_or_half_a_pair_name_the_fields() -> None:
    with pytest.raises(atlas_admin.InvalidArgumentError) as caught:
        atlas_admin.Client(PUBLIC, PRIVATE, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    message = str(caught.value)
    for name in ("public_key", "private_key", "client_id", "client_secret"):
        assert name in message, message
    assert PRIVATE not in message and CLIENT_SECRET not in message
    for kwargs, named in [
        ({"client_id": CLIENT_ID}, "`client_secret`"),
        ({"client_secret": CLIENT_SECRET}, "`client_id`"),
        ({"public_key": PUBLIC}, "`private_key`"),
        ({"private_key": PRIVATE}, "`public_key`"),
        ({"public_key": PUBLIC, "client_secret": CLIENT_SECRET}, "`private_key`"),
    ]:
        with pytest.raises(atlas_admin.InvalidArgumentError, match=named) as caught:
            atlas_admin.Client(**kwargs)  # type: ignore[arg-type]
        assert PRIVATE not in str(caught.value) and CLIENT_SECRET not in str(caught.value)


def test_client_id_must_fit_basic_authentication() -> None:
    with pytest.raises(atlas_admin.InvalidArgumentError, match="client_id"):
        atlas_admin.Client(client_id="mdb:sa", client_secret=CLIENT_SECRET)
    with pytest.raises(atlas_admin.InvalidArgumentError, match="client_secret") as caught:
        atlas_admin.Client(client_id=CLIENT_ID, client_secret="bad\nsecret")
    assert "bad\nsecret" not in str(caught.value)


def test_repr_and_logs_never_show_the_secret(
    atlas: MockAtlas, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="atlas_admin")
    client = atlas.service_account_client()
    assert repr(client) == (
        f"Client(base_url='{atlas.base_url}', api='atlas-v1', client_id='{CLIENT_ID}')"
    )
    atlas.fail_next(503)
    client.delete_org_api_key(ORG, KEY)
    atlas.revoke_tokens()
    with pytest.raises(atlas_admin.NotFoundError):
        client.delete_org_api_key(ORG, KEY)
    assert caplog.messages, "the calls logged nothing"
    for shown in [repr(client), str(client)] + caplog.messages:
        assert CLIENT_SECRET not in shown and PRIVATE not in shown
