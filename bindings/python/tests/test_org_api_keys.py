"""The organization API key lifecycle on Client, against the mock, on Atlas
v1.0 and v2: list (every page), get, find, create, update and access lists;
bad input refused before anything is sent; private keys never shown."""

import copy
import pickle
import threading
import time
from typing import Any, Callable, Dict, List, Literal

import pytest

import atlas_admin
from atlas_admin import AccessListEntry, ApiKey, Client
from atlas_admin.testing import MockAtlas

from conftest import KEY, ORG, OTHER_ORG, bad_ids, key, shown

Flavour = Literal["atlas-v1", "atlas-v2"]
FLAVOURS: List[Flavour] = ["atlas-v1", "atlas-v2"]
# The first group of every private key the mock makes up.
MOCK_PRIVATE_KEY_MARKER = "6d6f636b-"
MISSING = key(0xDEAD)
ROLES = ["ORG_MEMBER", "ORG_READ_ONLY"]


@pytest.fixture(params=FLAVOURS)
def client(request: pytest.FixtureRequest, atlas: MockAtlas) -> Client:
    return atlas.client(api=request.param, max_retries=0)


def created(client: Client, description: str = "CI deploys", roles: List[str] = ROLES) -> ApiKey:
    """A new key; its repr and str go to the secret scan, which proves they
    never hold its private key."""
    new = client.create_org_api_key(ORG, description, roles)
    assert new.private_key, new
    for text in shown(new):
        assert new.private_key not in text, "the private key is shown"
    return new


def test_create_returns_the_private_key_this_once(atlas: MockAtlas, client: Client) -> None:
    new = created(client)
    assert (new.description, new.roles) == ("CI deploys", ROLES)
    assert len(new.id) == 24 and len(new.public_key) == 8
    assert new.private_key is not None and new.private_key.startswith(MOCK_PRIVATE_KEY_MARKER)
    assert "private_key=<redacted>" in repr(new) and str(new) == repr(new)
    again = client.get_org_api_key(ORG, new.id)
    assert again.private_key is None and repr(again).endswith("private_key=None)")
    assert (again.id, again.public_key, again.description, again.roles) == (
        new.id, new.public_key, new.description, new.roles,
    )
    assert again != new, "keys differ by their private key"
    record = atlas.api_key(ORG, new.id)
    assert record is not None
    assert (record["public_key"], record["description"], record["roles"]) == (
        new.public_key, "CI deploys", ROLES,
    )
    assert atlas.stats()["created"] == 1
    # The private key is real: the mock lets the new key sign in with it.
    as_new = atlas.client(public_key=new.public_key, private_key=new.private_key, api=client.api)
    assert as_new.get_org_api_key(ORG, new.id) == again


def test_a_created_key_is_never_written_out(client: Client) -> None:
    new = created(client)
    secret = new.private_key
    assert secret is not None
    for text in [repr(new), str(new), f"{new}", "%s %r" % (new, new), repr([new]), repr({"k": new})]:
        assert secret not in text, text
    with pytest.raises(TypeError, match="vars"):
        vars(new)
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        with pytest.raises(TypeError, match="cannot be pickled") as caught:
            pickle.dumps(new, protocol)
        assert secret not in str(caught.value)
    # Immutable: copies are the key itself, the secret held once.
    assert copy.copy(new) is new and copy.deepcopy(new) is new
    with pytest.raises(AttributeError):
        new.private_key = "x"  # type: ignore[misc]


def test_list_returns_every_key_in_order(atlas: MockAtlas, client: Client) -> None:
    new = created(client)
    keys = client.list_org_api_keys(ORG)
    assert [k.id for k in keys] == [KEY, new.id]
    assert all(isinstance(k, ApiKey) and k.private_key is None for k in keys)
    assert keys[1] == client.get_org_api_key(ORG, new.id)
    assert keys[0].roles == ["ORG_MEMBER"]
    assert len({keys[0], keys[1], client.get_org_api_key(ORG, KEY)}) == 2, "hash follows equality"
    assert [k.id for k in keys] == [r["id"] for r in atlas.api_keys(ORG)]


@pytest.mark.parametrize("api", FLAVOURS)
def test_list_follows_every_page_of_1234_keys(api: Flavour) -> None:
    ids = [key(i) for i in range(1234)]
    with MockAtlas(keys={ORG: ids}) as atlas:
        keys = atlas.client(api=api).list_org_api_keys(ORG)
        assert [k.id for k in keys] == ids
        stats = atlas.stats()
        # 500 a page: 500, 500 and 234.
        assert stats["listed"] == 3, stats
        pages = [r["target"] or "" for r in atlas.recent_requests() if r["method"] == "GET"]
        assert all("itemsPerPage=500" in p for p in pages), pages
        # Page 1 twice: first unauthenticated, for the Digest challenge.
        numbers = [p.split("pageNum=")[1].split("&")[0] for p in pages]
        assert numbers == ["1", "1", "2", "3"], pages


def test_the_gil_is_released_while_a_listing_pages() -> None:
    with MockAtlas(keys={ORG: [key(i) for i in range(1001)]}) as atlas:
        client = atlas.client()
        client.list_org_api_keys(ORG)  # the challenge, outside the timing
        atlas.set_response_delay(0.2)
        ticks: List[float] = []
        done = threading.Event()

        def tick() -> None:
            while not done.is_set():
                ticks.append(time.monotonic())
                time.sleep(0.01)

        ticker = threading.Thread(target=tick)
        ticker.start()
        try:
            assert len(client.list_org_api_keys(ORG)) == 1001
        finally:
            done.set()
            ticker.join()
        # Three pages, 0.6 s of waiting: a ticker held off by the GIL would
        # not tick at all meanwhile.
        assert len(ticks) >= 10, f"the ticker ran {len(ticks)} times during the listing"


def test_an_unknown_organization_is_not_found(client: Client) -> None:
    with pytest.raises(atlas_admin.NotFoundError) as caught:
        client.list_org_api_keys(OTHER_ORG)
    assert caught.value.error_code == "ORG_NOT_FOUND"


def test_find_by_public_key_hits_and_misses(atlas: MockAtlas, client: Client) -> None:
    new = created(client)
    found = client.find_org_api_key(ORG, new.public_key)
    assert found == client.get_org_api_key(ORG, new.id)
    assert found is not None and found.private_key is None
    assert client.find_org_api_key(ORG, "zzzzzzzz") is None


@pytest.mark.parametrize(
    "change, description, roles",
    [
        ({"description": "rotated"}, "rotated", ROLES),
        ({"roles": ("ORG_OWNER",)}, "CI deploys", ["ORG_OWNER"]),
        ({"description": "both", "roles": ["ORG_BILLING_ADMIN"]}, "both", ["ORG_BILLING_ADMIN"]),
    ],
    ids=["description", "roles", "both"],
)
def test_update_changes_what_is_given(
    atlas: MockAtlas, client: Client, change: Dict[str, Any], description: str, roles: List[str]
) -> None:
    new = created(client)
    updated = client.update_org_api_key(ORG, new.id, **change)
    assert (updated.id, updated.description, updated.roles) == (new.id, description, roles)
    assert updated.private_key is None
    assert client.get_org_api_key(ORG, new.id) == updated
    record = atlas.api_key(ORG, new.id)
    assert record is not None and (record["description"], record["roles"]) == (description, roles)
    assert atlas.stats()["updated"] == 1


def test_access_list_add_list_and_delete(atlas: MockAtlas, client: Client) -> None:
    added = client.add_org_api_key_access_list(ORG, KEY, ["192.0.2.1", "10.0.0.0/24"])
    assert all(isinstance(e, AccessListEntry) for e in added)
    assert {(e.cidr_block, e.ip_address) for e in added} == {
        ("192.0.2.1/32", "192.0.2.1"), ("10.0.0.0/24", None),
    }
    listed = client.list_org_api_key_access_list(ORG, KEY)
    assert set(listed) == set(added)
    assert "AccessListEntry(cidr_block='10.0.0.0/24', ip_address=None)" in shown(*listed)

    assert client.delete_org_api_key_access_list_entry(ORG, KEY, "10.0.0.0/24") is None
    target = atlas.recent_requests()[-1]["target"]
    assert target is not None and target.endswith(f"/apiKeys/{KEY}/accessList/10.0.0.0%2F24"), target
    assert client.list_org_api_key_access_list(ORG, KEY) == [
        e for e in listed if e.ip_address == "192.0.2.1"
    ]
    client.delete_org_api_key_access_list_entry(ORG, KEY, "192.0.2.1")
    assert client.list_org_api_key_access_list(ORG, KEY) == []
    record = atlas.api_key(ORG, KEY)
    assert record is not None and record["access_list"] == []
    stats = atlas.stats()
    assert (stats["access_added"], stats["access_removed"]) == (2, 2)
    with pytest.raises(atlas_admin.NotFoundError) as caught:
        client.delete_org_api_key_access_list_entry(ORG, KEY, "192.0.2.1")
    assert caught.value.error_code == "API_KEY_ACCESS_LIST_ENTRY_NOT_FOUND"


# Every call that names a key, on a key that does not exist.
ON_A_MISSING_KEY: Dict[str, Callable[[Client], object]] = {
    "get": lambda c: c.get_org_api_key(ORG, MISSING),
    "update": lambda c: c.update_org_api_key(ORG, MISSING, description="x"),
    "list_access": lambda c: c.list_org_api_key_access_list(ORG, MISSING),
    "add_access": lambda c: c.add_org_api_key_access_list(ORG, MISSING, ["192.0.2.1"]),
    "delete_access": lambda c: c.delete_org_api_key_access_list_entry(ORG, MISSING, "192.0.2.1"),
}


@pytest.mark.parametrize("call", ON_A_MISSING_KEY.values(), ids=ON_A_MISSING_KEY.keys())
def test_a_missing_key_is_not_found_on_v1_and_v2(client: Client, call: Callable[[Client], object]) -> None:
    with pytest.raises(atlas_admin.NotFoundError) as caught:
        call(client)
    # Atlas v1.0 says so with HTTP 400, v2 with 404.
    assert caught.value.status == (400 if client.api == "atlas-v1" else 404)
    assert caught.value.error_code == "API_KEY_NOT_FOUND"


# Calls refused before anything is sent: (exception, the argument named, call).
BAD_INPUT: Dict[str, Any] = {
    "role outside the list": (
        atlas_admin.InvalidArgumentError, "roles",
        lambda c: c.create_org_api_key(ORG, "d", ["ORG_MEMBER", "GROUP_OWNER"]),
    ),
    "role in lower case": (
        atlas_admin.InvalidArgumentError, "roles", lambda c: c.create_org_api_key(ORG, "d", ["org_member"]),
    ),
    "empty role list": (
        atlas_admin.InvalidArgumentError, "roles", lambda c: c.create_org_api_key(ORG, "d", []),
    ),
    "roles as a str": (TypeError, "roles", lambda c: c.create_org_api_key(ORG, "d", "ORG_MEMBER")),
    "roles holding an int": (TypeError, "roles", lambda c: c.create_org_api_key(ORG, "d", ["ORG_MEMBER", 1])),
    "roles as a set": (TypeError, "roles", lambda c: c.create_org_api_key(ORG, "d", {"ORG_MEMBER"})),
    "empty description": (
        atlas_admin.InvalidArgumentError, "description", lambda c: c.create_org_api_key(ORG, "", ROLES),
    ),
    "251-character description": (
        atlas_admin.InvalidArgumentError, "description",
        lambda c: c.create_org_api_key(ORG, "x" * 251, ROLES),
    ),
    "update with nothing": (
        atlas_admin.InvalidArgumentError, "nothing to update", lambda c: c.update_org_api_key(ORG, KEY),
    ),
    "update to no roles": (
        atlas_admin.InvalidArgumentError, "roles", lambda c: c.update_org_api_key(ORG, KEY, roles=[]),
    ),
    "update roles as a str": (
        TypeError, "roles", lambda c: c.update_org_api_key(ORG, KEY, roles="ORG_OWNER"),
    ),
    "update to a 251-character description": (
        atlas_admin.InvalidArgumentError, "description",
        lambda c: c.update_org_api_key(ORG, KEY, description="x" * 251),
    ),
    "malformed public key": (
        atlas_admin.InvalidArgumentError, "public_key", lambda c: c.find_org_api_key(ORG, "ABCDEFGH"),
    ),
    "key ID as public key": (
        atlas_admin.InvalidArgumentError, "public_key", lambda c: c.find_org_api_key(ORG, KEY),
    ),
    "malformed IP": (
        atlas_admin.InvalidArgumentError, "entries",
        lambda c: c.add_org_api_key_access_list(ORG, KEY, ["192.0.2.1", "300.1.1.1"]),
    ),
    "CIDR prefix too long": (
        atlas_admin.InvalidArgumentError, "entries",
        lambda c: c.add_org_api_key_access_list(ORG, KEY, ["10.0.0.0/33"]),
    ),
    "host name as entry": (
        atlas_admin.InvalidArgumentError, "entries",
        lambda c: c.add_org_api_key_access_list(ORG, KEY, ["example.com"]),
    ),
    "no entries": (
        atlas_admin.InvalidArgumentError, "entries", lambda c: c.add_org_api_key_access_list(ORG, KEY, []),
    ),
    "entries as a str": (
        TypeError, "entries", lambda c: c.add_org_api_key_access_list(ORG, KEY, "10.0.0.0/24"),
    ),
    "malformed entry to delete": (
        atlas_admin.InvalidArgumentError, "entry",
        lambda c: c.delete_org_api_key_access_list_entry(ORG, KEY, "10.0.0.0/"),
    ),
}


@pytest.mark.parametrize("error, named, call", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_refused_before_anything_is_sent(
    atlas: MockAtlas, client: Client, error: type, named: str, call: Callable[[Client], object]
) -> None:
    with pytest.raises(error, match=named) as caught:
        call(client)
    if isinstance(caught.value, atlas_admin.AtlasError):
        assert caught.value.attempts == 0
    assert atlas.stats()["requests"] == 0
    assert atlas.api_keys(ORG) == [atlas.api_key(ORG, KEY)], "the keys changed"


# Every call, with an ID in each place it takes one.
WITH_IDS: Dict[str, Callable[[Client, str, str], object]] = {
    "list": lambda c, org, _: c.list_org_api_keys(org),
    "get": lambda c, org, k: c.get_org_api_key(org, k),
    "find": lambda c, org, _: c.find_org_api_key(org, "abcdefgh"),
    "create": lambda c, org, _: c.create_org_api_key(org, "d", ROLES),
    "update": lambda c, org, k: c.update_org_api_key(org, k, description="d"),
    "list_access": lambda c, org, k: c.list_org_api_key_access_list(org, k),
    "add_access": lambda c, org, k: c.add_org_api_key_access_list(org, k, ["192.0.2.1"]),
    "delete_access": lambda c, org, k: c.delete_org_api_key_access_list_entry(org, k, "192.0.2.1"),
}
TAKES_A_KEY = ["get", "update", "list_access", "add_access", "delete_access"]


@pytest.mark.parametrize("bad", bad_ids())
@pytest.mark.parametrize("call", WITH_IDS.keys())
def test_bad_ids_are_refused_before_anything_is_sent(atlas: MockAtlas, call: str, bad: str) -> None:
    client = atlas.client(max_retries=0)
    with pytest.raises(atlas_admin.InvalidArgumentError, match="org_id") as caught:
        WITH_IDS[call](client, bad, KEY)
    assert caught.value.attempts == 0
    if call in TAKES_A_KEY:
        with pytest.raises(atlas_admin.InvalidArgumentError, match="api_key_id"):
            WITH_IDS[call](client, ORG, bad)
    assert atlas.stats()["requests"] == 0


def test_a_service_account_manages_keys_too(atlas: MockAtlas) -> None:
    client = atlas.service_account_client(api="atlas-v2")
    new = created(client, roles=["ORG_READ_ONLY"])
    assert [k.id for k in client.list_org_api_keys(ORG)] == [KEY, new.id]
    stats = atlas.stats()
    assert (stats["bearer_authenticated"], stats["challenges"]) == (2, 0)


def test_the_options_of_every_call_reach_atlas(atlas: MockAtlas) -> None:
    client = atlas.client()
    assert client.get_org_api_key(ORG, KEY, pretty=True, envelope=True).id == KEY
    assert [k.id for k in client.list_org_api_keys(ORG, envelope=True)] == [KEY]
    targets = [r["target"] or "" for r in atlas.recent_requests()]
    assert all("envelope=true" in t for t in targets[-2:]), targets
    assert "pretty=true" in targets[-2], targets
