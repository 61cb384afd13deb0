"""Client.delete_org_api_key against the mock Atlas: every outcome."""

import socket

import pytest

import atlas_admin
from atlas_admin import errors
from atlas_admin.testing import MockAtlas

from conftest import KEY, ORG, OTHER_ORG, PRIVATE, PUBLIC, bad_ids, key


def test_deletes_a_key_with_one_challenge(atlas: MockAtlas) -> None:
    assert atlas.client(max_retries=0).delete_org_api_key(ORG, KEY) is None
    assert not atlas.has_key(ORG, KEY)
    stats = atlas.stats()
    assert (stats["requests"], stats["challenges"], stats["authenticated"]) == (2, 1, 1)


def test_n_deletes_cost_one_challenge(atlas: MockAtlas) -> None:
    client = atlas.client(max_retries=0)
    for i in range(10):
        atlas.add_key(ORG, key(i))
        client.delete_org_api_key(ORG, key(i))
    stats = atlas.stats()
    assert stats["challenges"] == 1
    assert stats["authenticated"] == 10


def test_missing_key_is_not_found_with_atlas_details(atlas: MockAtlas) -> None:
    missing = key(99)
    with pytest.raises(atlas_admin.NotFoundError) as caught:
        atlas.client(max_retries=0).delete_org_api_key(ORG, missing)
    e = caught.value
    assert isinstance(e, atlas_admin.AtlasError)
    assert e.status == 400
    assert e.error_code == "API_KEY_NOT_FOUND"
    assert e.reason == "Bad Request"
    assert e.detail == f"No API key with ID {missing} exists."
    assert e.parameters == [missing]
    assert e.retry_after is None
    assert e.body is not None and "API_KEY_NOT_FOUND" in e.body
    assert str(e) == (
        f"Atlas answered HTTP 400 Bad Request (API_KEY_NOT_FOUND): "
        f"No API key with ID {missing} exists."
    )


def test_unknown_org_is_not_found(atlas: MockAtlas) -> None:
    with pytest.raises(atlas_admin.NotFoundError) as caught:
        atlas.client(max_retries=0).delete_org_api_key(OTHER_ORG, KEY)
    assert (caught.value.status, caught.value.error_code) == (404, "ORG_NOT_FOUND")


def test_wrong_private_key_is_an_authentication_error(atlas: MockAtlas) -> None:
    wrong = "ffffffff-0000-4000-8000-wrongprivate"
    client = atlas_admin.Client(PUBLIC, wrong, base_url=atlas.base_url)
    with pytest.raises(atlas_admin.AuthenticationError) as caught:
        client.delete_org_api_key(ORG, KEY)
    e = caught.value
    assert e.status == 401
    assert atlas.stats()["requests"] == 2
    assert "check the public and private key" in str(e)
    for shown in (str(e), repr(e), repr(client), e.body or ""):
        assert wrong not in shown
    assert atlas.has_key(ORG, KEY)


@pytest.mark.parametrize(
    "status, exception",
    [
        (403, atlas_admin.PermissionDeniedError),
        # A bare 404 is not Atlas saying a resource does not exist.
        (404, atlas_admin.HTTPError),
        (409, atlas_admin.HTTPError),
        (500, atlas_admin.ServerError),
        (503, atlas_admin.ServerError),
    ],
)
def test_statuses_raise_their_exception(atlas: MockAtlas, status: int, exception: type) -> None:
    atlas.fail_next(status)
    with pytest.raises(exception) as caught:
        atlas.client(max_retries=0).delete_org_api_key(ORG, KEY)
    assert caught.value.status == status
    assert atlas.has_key(ORG, KEY)


def test_rate_limit_carries_retry_after(atlas: MockAtlas) -> None:
    atlas.fail_next(429, retry_after=2)
    with pytest.raises(atlas_admin.RateLimitError) as caught:
        atlas.client(max_retries=0).delete_org_api_key(ORG, KEY)
    assert caught.value.retry_after == 2.0
    assert caught.value.error_code == "RATE_LIMITED"


def test_envelope_errors_use_the_envelope_status(atlas: MockAtlas) -> None:
    client = atlas.client(max_retries=0)
    client.delete_org_api_key(ORG, KEY, envelope=True)
    with pytest.raises(atlas_admin.NotFoundError) as caught:
        client.delete_org_api_key(ORG, KEY, envelope=True, pretty=True)
    assert caught.value.status == 400
    assert caught.value.error_code == "API_KEY_NOT_FOUND"


def test_pretty(atlas: MockAtlas) -> None:
    with pytest.raises(atlas_admin.NotFoundError) as caught:
        atlas.client(max_retries=0).delete_org_api_key(ORG, key(7), pretty=True)
    assert "\n" in (caught.value.body or "")


@pytest.mark.parametrize("bad", bad_ids())
def test_invalid_ids_raise_before_any_request(atlas: MockAtlas, bad: str) -> None:
    client = atlas.client(max_retries=0)
    with pytest.raises(atlas_admin.InvalidArgumentError, match="org_id") as caught:
        client.delete_org_api_key(bad, KEY)
    assert caught.value.attempts == 0
    with pytest.raises(ValueError, match="api_key_id"):
        client.delete_org_api_key(ORG, bad)
    assert atlas.stats()["requests"] == 0


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.delete_org_api_key(5, KEY),
        lambda c: c.delete_org_api_key(ORG, None),
        lambda c: c.delete_org_api_key(ORG, KEY, pretty="yes"),
        lambda c: c.delete_org_api_key(ORG, KEY, envelope=1),
        lambda c: c.delete_org_api_key(ORG),
    ],
)
def test_wrong_types_are_type_errors(atlas: MockAtlas, call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError):
        call(atlas.client(max_retries=0))
    assert atlas.stats()["requests"] == 0


def test_bad_client_settings() -> None:
    with pytest.raises(TypeError):
        atlas_admin.Client(5, PRIVATE)  # type: ignore[arg-type]
    with pytest.raises(atlas_admin.InvalidArgumentError, match="public_key"):
        atlas_admin.Client(None, PRIVATE)
    with pytest.raises(atlas_admin.InvalidArgumentError, match="public_key"):
        atlas_admin.Client("", PRIVATE)
    with pytest.raises(atlas_admin.InvalidArgumentError, match="base_url"):
        atlas_admin.Client(PUBLIC, PRIVATE, base_url="ftp://example.com/x")
    for bad in (-1.0, float("nan"), float("inf")):
        for name in ("connect_timeout", "timeout", "retry_budget"):
            with pytest.raises(
                atlas_admin.InvalidArgumentError,
                match=f"`{name}`: must be a non-negative number of seconds",
            ):
                atlas_admin.Client(PUBLIC, PRIVATE, **{name: bad})  # type: ignore[arg-type]
    # Zero goes through to the core, which refuses it in its own words.
    for name in ("connect_timeout", "timeout", "retry_budget"):
        with pytest.raises(atlas_admin.InvalidArgumentError, match=f"`{name}`: must be greater"):
            atlas_admin.Client(PUBLIC, PRIVATE, **{name: 0})  # type: ignore[arg-type]
    with pytest.raises(atlas_admin.InvalidArgumentError) as caught:
        atlas_admin.Client(PUBLIC, "bad\nprivate")
    assert "bad\nprivate" not in str(caught.value)
    with pytest.raises(atlas_admin.InvalidArgumentError, match="no API key or service account"):
        atlas_admin.Client()


def test_unset_settings_keep_the_core_defaults() -> None:
    client = atlas_admin.Client(PUBLIC, PRIVATE)
    assert client.base_url == atlas_admin.DEFAULT_BASE_URL
    assert atlas_admin.DEFAULT_BASE_URL == atlas_admin.DEFAULT_HOST + "/api/atlas/v1.0"
    assert client.api == "atlas-v1"
    explicit_none = atlas_admin.Client(
        PUBLIC, PRIVATE, api=None, host=None, base_url=None, connect_timeout=None,
        timeout=None, max_retries=None, retry_budget=None, ca_bundle=None,
        allow_insecure_http=None, proxy=None,
    )
    assert repr(explicit_none) == repr(client)


def test_timeout_is_also_a_builtin_timeout_error(atlas: MockAtlas) -> None:
    client = atlas.client(timeout=0.3, max_retries=0)
    atlas.set_response_delay(1.5)
    with pytest.raises(TimeoutError) as caught:
        client.delete_org_api_key(ORG, KEY)
    assert isinstance(caught.value, atlas_admin.TimeoutError)
    assert "timed out" in str(caught.value)


def test_refused_connection_is_a_transport_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = atlas_admin.Client(
        PUBLIC, PRIVATE, base_url=f"http://127.0.0.1:{port}/api/atlas/v1.0", max_retries=0
    )
    with pytest.raises(atlas_admin.TransportError) as caught:
        client.delete_org_api_key(ORG, KEY)
    assert caught.value.status is None


def test_dropped_connection_is_a_transport_error(atlas: MockAtlas) -> None:
    atlas.drop_next()
    with pytest.raises(atlas_admin.TransportError):
        atlas.client(max_retries=0).delete_org_api_key(ORG, KEY)


def test_sha256_and_no_qop_servers() -> None:
    for options in ({"algorithms": ["SHA-256"]}, {"qop": False}, {"nc_check": "exact"}):
        with MockAtlas(keys={ORG: [KEY]}, **options) as mock:  # type: ignore[arg-type]
            mock.client().delete_org_api_key(ORG, KEY)
            assert mock.stats()["deleted"] == 1


def test_stale_nonce_is_renewed_transparently(atlas: MockAtlas) -> None:
    client = atlas.client(max_retries=0)
    atlas.add_key(ORG, key(1))
    client.delete_org_api_key(ORG, KEY)
    atlas.expire_nonces()
    client.delete_org_api_key(ORG, key(1))
    assert atlas.stats()["stale_challenges"] == 1


def test_client_is_a_context_manager(atlas: MockAtlas) -> None:
    with atlas.client(max_retries=0) as client:
        client.delete_org_api_key(ORG, KEY)
    with pytest.raises(atlas_admin.InvalidArgumentError, match="closed"):
        client.delete_org_api_key(ORG, KEY)
    client.close()


def test_repr_never_shows_the_private_key(atlas: MockAtlas) -> None:
    client = atlas_admin.Client(PUBLIC, PRIVATE, base_url=atlas.base_url)
    assert repr(client) == (
        f"Client(base_url='{atlas.base_url}', api='atlas-v1', public_key='{PUBLIC}')"
    )
    assert PRIVATE not in repr(client) and PRIVATE not in str(client)
    assert (client.public_key, client.client_id) == (PUBLIC, None)


def test_mock_is_a_context_manager() -> None:
    with MockAtlas() as mock:
        url = mock.base_url
        assert url.startswith("http://127.0.0.1:")
        assert url == mock.origin + "/api/atlas/v1.0"
    with pytest.raises(atlas_admin.InvalidArgumentError, match="stopped"):
        mock.stats()
    with pytest.raises(atlas_admin.TransportError):
        atlas_admin.Client(PUBLIC, PRIVATE, base_url=url, max_retries=0).delete_org_api_key(
            ORG, KEY
        )
    with pytest.raises(atlas_admin.InvalidArgumentError, match="algorithms"):
        MockAtlas(algorithms=["ROT13"])  # type: ignore[list-item]
    with MockAtlas(service_accounts={}) as mock:
        with pytest.raises(atlas_admin.InvalidArgumentError, match="no service account"):
            mock.service_account_client()


def test_mock_clients_take_every_option_of_client(atlas: MockAtlas) -> None:
    # client() and service_account_client() take Client's options, declared
    # once: those added later (max_idle_connections) included.
    client = atlas.client(max_idle_connections=0, timeout=5, retry_budget=5, proxy=False)
    client.delete_org_api_key(ORG, KEY)
    client.delete_org_api_key(ORG, KEY, missing_ok=True)
    stats = atlas.stats()
    assert stats["requests"] == 3  # the challenge, then one each
    assert stats["connections"] == 3  # none kept for reuse
    sa = atlas.service_account_client(api="atlas-v2", max_idle_connections=1)
    assert sa.api == "atlas-v2" and sa.client_id is not None
    # The options are checked by the core, as for Client().
    with pytest.raises(atlas_admin.InvalidArgumentError, match="both an API key"):
        atlas.client(client_id="mdb_sa_id_x", client_secret="mdb_sa_sk_x")
    with pytest.raises(atlas_admin.InvalidArgumentError, match="`timeout`"):
        atlas.client(timeout=0)
    with pytest.raises(TypeError, match="unexpected keyword argument 'max_workers'"):
        atlas.client(max_workers=2)  # type: ignore[call-arg]
