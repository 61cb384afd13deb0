"""Closing a client revokes the service account token it minted: close(),
`with`, AsyncClient's close(), aclose() and `async with`; nothing is sent
when there is nothing to revoke; a failed revocation is a warning, never an
exception; and the mock's cap on live tokens, as Atlas has it."""

import asyncio
import logging
import os
import threading
import time
import warnings

import pytest

import atlas_admin
from atlas_admin import AsyncClient
from atlas_admin.testing import MockAtlas

from conftest import CLIENT_ID, CLIENT_SECRET, KEY, ORG, key


def revocations(atlas: MockAtlas) -> tuple:
    stats = atlas.stats()
    return (stats["revoke_requests"], stats["tokens_revoked"], stats["active_tokens"])


def test_close_revokes_the_token_once(atlas: MockAtlas) -> None:
    client = atlas.service_account_client(max_retries=0)
    client.delete_org_api_key(ORG, KEY)
    assert revocations(atlas) == (0, 0, 1)
    client.close()
    assert revocations(atlas) == (1, 1, 0)
    revoke = atlas.recent_requests()[-1]
    assert (revoke["method"], revoke["target"], revoke["auth_scheme"]) == (
        "POST",
        "/api/oauth/revoke",
        "Basic",
    )
    assert revoke["content_type"] == "application/x-www-form-urlencoded"
    client.close()  # twice is harmless and sends nothing
    assert revocations(atlas) == (1, 1, 0)
    with pytest.raises(atlas_admin.InvalidArgumentError, match="closed"):
        client.delete_org_api_key(ORG, KEY)


def test_with_exit_revokes_even_after_an_exception(atlas: MockAtlas) -> None:
    with pytest.raises(atlas_admin.NotFoundError):
        with atlas.service_account_client(max_retries=0) as client:
            client.delete_org_api_key(ORG, KEY)
            client.delete_org_api_key(ORG, KEY)  # gone: NotFoundError
    assert revocations(atlas) == (1, 1, 0)


def test_nothing_is_sent_without_a_token(atlas: MockAtlas) -> None:
    requests = atlas.stats()["requests"]
    with atlas.service_account_client():
        pass  # no call, no token
    with atlas.client() as digest:
        digest.delete_org_api_key(ORG, KEY)
    stats = atlas.stats()
    assert stats["requests"] == requests + 2, "the delete and its challenge only"
    assert (stats["tokens_issued"], stats["revoke_requests"]) == (0, 0)


def test_a_failed_revocation_is_a_warning_not_an_exception(
    atlas: MockAtlas, caplog: pytest.LogCaptureFixture
) -> None:
    client = atlas.service_account_client(max_retries=0)
    client.delete_org_api_key(ORG, KEY)
    atlas.fail_next(503)
    with caplog.at_level(logging.WARNING, logger="atlas_admin"):
        client.close()
    assert revocations(atlas) == (1, 0, 1), "refused: the token lives on"
    warned = [r for r in caplog.records if "could not revoke" in r.getMessage()]
    assert len(warned) == 1 and warned[0].levelno == logging.WARNING, caplog.records
    assert CLIENT_ID in warned[0].getMessage() and "HTTP 503" in warned[0].getMessage()
    assert not any("mock-access-token-" in r.getMessage() for r in caplog.records)


def test_calls_in_flight_finish_before_the_token_is_revoked(atlas: MockAtlas) -> None:
    client = atlas.service_account_client(max_retries=0)
    client.delete_org_api_key(ORG, KEY)  # the token
    atlas.add_key(ORG, key(1))
    atlas.set_response_delay(0.3)
    outcome: list = []
    worker = threading.Thread(
        target=lambda: outcome.append(client.delete_org_api_key(ORG, key(1)))
    )
    requests = atlas.stats()["requests"]
    worker.start()
    while atlas.stats()["requests"] == requests:
        time.sleep(0.005)
    client.close()  # does not wait for the call in flight...
    assert revocations(atlas) == (0, 0, 1)
    worker.join()
    # ...which succeeded with the token, then revoked it as it returned.
    assert outcome == [None]
    assert atlas.stats()["bearer_rejected"] == 0
    assert revocations(atlas) == (1, 1, 0)


def account(atlas: MockAtlas, **kwargs: object) -> AsyncClient:
    return AsyncClient(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, host=atlas.origin, **kwargs  # type: ignore[arg-type]
    )


def test_async_with_and_aclose_revoke(atlas: MockAtlas) -> None:
    for i in range(8):
        atlas.add_key(ORG, key(i))

    async def main() -> None:
        async with account(atlas, max_workers=4) as client:
            await asyncio.gather(*(client.delete_org_api_key(ORG, key(i)) for i in range(4)))
        assert revocations(atlas) == (1, 1, 0)
        client = account(atlas)
        await client.delete_org_api_key(ORG, key(4))
        await client.aclose()
        await client.aclose()  # twice is harmless
        assert revocations(atlas) == (2, 2, 0)
        client = account(atlas)
        await client.delete_org_api_key(ORG, key(5))
        client.close()
        assert revocations(atlas) == (3, 3, 0)

    asyncio.run(main())
    assert atlas.stats()["tokens_issued"] == 3


def test_aclose_keeps_the_loop_running_while_the_revocation_hangs(atlas: MockAtlas) -> None:
    """A revocation that never answers takes aclose() its second, on a
    worker thread: the event loop keeps ticking meanwhile."""

    async def main() -> int:
        client = account(atlas)
        await client.delete_org_api_key(ORG, KEY)
        atlas.set_response_delay(5.0)  # the revocation outlasts its 1 s
        ticks = 0
        closing = asyncio.ensure_future(client.aclose())
        while not closing.done():
            ticks += 1
            await asyncio.sleep(0.01)
        await closing
        return ticks

    started = time.monotonic()
    ticks = asyncio.run(main())
    took = time.monotonic() - started
    assert 0.9 < took < 4.0, took
    assert ticks >= 20, ticks
    assert atlas.stats()["tokens_revoked"] == 0


def test_the_cap_refuses_unclosed_clients_not_closed_ones() -> None:
    with MockAtlas(
        keys={ORG: [key(i) for i in range(6)]}, service_accounts={CLIENT_ID: CLIENT_SECRET},
        token_cap=2,
    ) as atlas:
        for i in range(3):
            with atlas.service_account_client(max_retries=0) as client:
                client.delete_org_api_key(ORG, key(i))
        assert atlas.stats()["active_tokens"] == 0
        kept = [atlas.service_account_client(max_retries=0) for _ in range(2)]
        for i, client in enumerate(kept):
            client.delete_org_api_key(ORG, key(3 + i))
        with pytest.raises(atlas_admin.PermissionDeniedError) as refused:
            atlas.service_account_client(max_retries=0).delete_org_api_key(ORG, key(5))
        assert refused.value.status == 403 and refused.value.error_code == "access_denied"
        assert "Access Token limit reached" in str(refused.value)
        stats = atlas.stats()
        assert (stats["tokens_refused"], stats["active_tokens"]) == (1, 2)
        for client in kept:
            client.close()
        assert atlas.stats()["active_tokens"] == 0


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_a_forked_child_never_revokes_its_parents_token(atlas: MockAtlas) -> None:
    client = atlas.service_account_client(max_retries=0)
    client.delete_org_api_key(ORG, KEY)
    with warnings.catch_warnings():
        # The mock's threads live in this process; the child touches none of them.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:
        try:
            client.close()  # forgets the inherited token, sends nothing
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert revocations(atlas) == (0, 0, 1), "the child revoked the parent's token"
    atlas.add_key(ORG, key(1))
    client.delete_org_api_key(ORG, key(1))  # the parent's token still works
    assert atlas.stats()["bearer_rejected"] == 0
    client.close()
    assert revocations(atlas) == (1, 1, 0)
