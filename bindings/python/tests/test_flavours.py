"""API flavours on a host: paths and Accept headers the mock saw."""

from typing import Callable, Dict

import pytest

import atlas_admin
from atlas_admin.testing import MockAtlas

from conftest import KEY, ORG, PRIVATE, PUBLIC

V1_JSON = "application/json"
V2_JSON = "application/vnd.atlas.2023-01-01+json"

FLAVOURS = [
    ("atlas-v1", "/api/atlas/v1.0", V1_JSON),
    ("atlas-v2", "/api/atlas/v2", V2_JSON),
    ("ops-manager", "/api/public/v1.0", V1_JSON),
]

KINDS: Dict[str, Callable[..., atlas_admin.Client]] = {
    "api key": lambda atlas, **kw: atlas_admin.Client(PUBLIC, PRIVATE, **kw),
    "service account": lambda atlas, **kw: atlas.service_account_client(**kw),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("api, prefix, accept", FLAVOURS)
def test_each_flavour_sends_its_path_and_accept_header(
    atlas: MockAtlas, kind: str, api: str, prefix: str, accept: str
) -> None:
    client = KINDS[kind](atlas, host=atlas.origin, api=api, max_retries=0)
    assert client.api == api
    assert client.base_url == atlas.origin + prefix
    client.delete_org_api_key(ORG, KEY)
    assert not atlas.has_key(ORG, KEY)
    deletes = [r for r in atlas.recent_requests() if r["method"] == "DELETE"]
    assert deletes, atlas.recent_requests()
    for seen in deletes:
        assert seen["target"] == f"{prefix}/orgs/{ORG}/apiKeys/{KEY}"
        assert seen["accept"] == accept
    assert deletes[-1]["auth_scheme"] == ("Digest" if kind == "api key" else "Bearer")


def test_the_flavour_follows_a_base_url(atlas: MockAtlas) -> None:
    for api, prefix, _ in FLAVOURS:
        client = atlas_admin.Client(PUBLIC, PRIVATE, base_url=atlas.origin + prefix)
        assert (client.api, client.base_url) == (api, atlas.origin + prefix)
    client = atlas.client(base_url=atlas.origin + "/api/atlas/v2", max_retries=0)
    client.delete_org_api_key(ORG, KEY)
    assert atlas.recent_requests()[-1]["accept"] == V2_JSON


def test_v2_without_its_media_type_is_refused_by_the_mock(atlas: MockAtlas) -> None:
    # An explicit api wins over the base URL's path, so this asks v2 for v1 JSON.
    client = atlas.client(base_url=atlas.origin + "/api/atlas/v2", api="atlas-v1", max_retries=0)
    with pytest.raises(atlas_admin.HTTPError) as caught:
        client.delete_org_api_key(ORG, KEY)
    assert (caught.value.status, caught.value.error_code) == (406, "INVALID_VERSION")
    assert atlas.has_key(ORG, KEY)


def test_hosts_default_to_atlas() -> None:
    for api, prefix, _ in FLAVOURS:
        client = atlas_admin.Client(PUBLIC, PRIVATE, api=api)  # type: ignore[arg-type]
        assert client.base_url == atlas_admin.DEFAULT_HOST + prefix
    client = atlas_admin.Client(PUBLIC, PRIVATE, host="https://ops.example.com:8443")
    assert client.base_url == "https://ops.example.com:8443/api/atlas/v1.0"


@pytest.mark.parametrize("bad", ["atlas-v3", "v2", "", "ATLAS-V2"])
def test_unknown_api_is_an_invalid_argument(bad: str) -> None:
    with pytest.raises(atlas_admin.InvalidArgumentError, match="`api`") as caught:
        atlas_admin.Client(PUBLIC, PRIVATE, api=bad)  # type: ignore[arg-type]
    for name in ("atlas-v1", "atlas-v2", "ops-manager"):
        assert name in str(caught.value)
    with pytest.raises(TypeError):
        atlas_admin.Client(PUBLIC, PRIVATE, api=2)  # type: ignore[arg-type]
