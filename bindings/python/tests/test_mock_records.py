"""atlas_admin.testing.MockAtlas: its key records, counters and clock."""

import pytest

import atlas_admin
from atlas_admin.testing import MockAtlas

from conftest import CLIENT_ID, CLIENT_SECRET, KEY, ORG, OTHER_ORG, PRIVATE, PUBLIC, key, shown

RECORD_FIELDS = {"id", "public_key", "description", "roles", "access_list"}
ENTRY_FIELDS = {"cidr_block", "ip_address", "created", "count", "last_used", "last_used_address"}


def test_a_seeded_key_is_what_the_api_serves(atlas: MockAtlas) -> None:
    record = atlas.add_api_key(
        ORG,
        id=key(1),
        public_key="seededky",
        private_key=PRIVATE,
        description="seeded",
        roles=["ORG_OWNER", "ORG_READ_ONLY"],
        access_list=["127.0.0.1", "10.0.0.0/8"],
    )
    assert set(record) == RECORD_FIELDS, "a record never holds the private key"
    assert (record["id"], record["public_key"], record["description"], record["roles"]) == (
        key(1), "seededky", "seeded", ["ORG_OWNER", "ORG_READ_ONLY"],
    )
    entries = record["access_list"]
    assert all(set(e) == ENTRY_FIELDS for e in entries)
    assert [(e["cidr_block"], e["ip_address"]) for e in entries] == [
        ("127.0.0.1/32", "127.0.0.1"), ("10.0.0.0/8", None),
    ]
    assert atlas.api_key(ORG, key(1)) == record
    assert [r["id"] for r in atlas.api_keys(ORG)] == [KEY, key(1)]
    for text in shown(record, atlas.api_keys(ORG)):
        assert PRIVATE not in text

    api = atlas.client()
    got = api.get_org_api_key(ORG, key(1))
    assert (got.public_key, got.description, got.roles) == ("seededky", "seeded", ["ORG_OWNER", "ORG_READ_ONLY"])
    assert {e.cidr_block for e in api.list_org_api_key_access_list(ORG, key(1))} == {"127.0.0.1/32", "10.0.0.0/8"}
    # The seeded pair signs in, from 127.0.0.1, which its access list allows.
    as_seeded = atlas.client(public_key="seededky", private_key=PRIVATE, max_retries=0)
    assert as_seeded.find_org_api_key(ORG, "seededky") == got


def test_a_seeded_access_list_decides_where_the_key_signs_in_from(atlas: MockAtlas) -> None:
    atlas.add_api_key(ORG, public_key="farawayk", private_key=PRIVATE, access_list=["192.0.2.0/24"])
    client = atlas.client(public_key="farawayk", private_key=PRIVATE, max_retries=0)
    with pytest.raises(atlas_admin.PermissionDeniedError) as caught:
        client.list_org_api_keys(ORG)
    assert caught.value.error_code == "IP_ADDRESS_NOT_ON_ACCESS_LIST"


def test_fields_left_out_are_made_up(atlas: MockAtlas) -> None:
    record = atlas.add_api_key(OTHER_ORG)
    assert len(record["id"]) == 24 and len(record["public_key"]) == 8
    assert record["description"] and record["roles"] == ["ORG_MEMBER"]
    assert record["access_list"] == []
    assert atlas.api_keys(OTHER_ORG) == [record]
    assert atlas.api_key(OTHER_ORG, KEY) is None
    assert atlas.api_keys("5f1a2b3c4d5e6f7a8b9c0000") == []


@pytest.mark.parametrize(
    "fields, why",
    [
        ({"id": "nope"}, "not 24 lowercase hex"),
        ({"id": KEY}, "already exists"),
        ({"description": "x" * 251}, "description"),
        ({"roles": ["GROUP_OWNER"]}, "GROUP_OWNER"),
        ({"access_list": ["300.0.0.1"]}, "300.0.0.1"),
    ],
    ids=["bad id", "id taken", "long description", "project role", "bad address"],
)
def test_a_record_atlas_would_refuse_is_a_value_error(atlas: MockAtlas, fields: dict, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        atlas.add_api_key(ORG, **fields)
    assert [r["id"] for r in atlas.api_keys(ORG)] == [KEY]


def test_roles_and_access_list_must_be_sequences_of_str(atlas: MockAtlas) -> None:
    with pytest.raises(TypeError, match="roles must be a sequence of str"):
        atlas.add_api_key(ORG, roles="ORG_OWNER")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"access_list\[0\] must be a str"):
        atlas.add_api_key(ORG, access_list=[1])  # type: ignore[list-item]


def test_stats_has_every_counter_of_the_mock(atlas: MockAtlas) -> None:
    client = atlas.client()
    client.list_org_api_keys(ORG)
    client.get_org_api_key(ORG, KEY)
    client.add_org_api_key_access_list(ORG, KEY, ["192.0.2.1"])
    stats = atlas.stats()
    assert all(type(v) is int for v in stats.values()), stats
    # Counters the mock has beyond the ones first named in Python.
    assert {"nc_rejected", "listed", "fetched", "created", "updated", "access_listed",
            "access_added", "access_removed"} <= set(stats), sorted(stats)
    assert (stats["listed"], stats["fetched"], stats["access_added"]) == (1, 1, 1)
    atlas.reset_stats()
    assert set(atlas.stats().values()) == {0}


def test_advance_clock_ages_nonces_for_the_mock() -> None:
    with MockAtlas(keys={ORG: [KEY, key(1)]}, credentials={PUBLIC: PRIVATE}, nonce_ttl=60) as atlas:
        client = atlas.client(max_retries=0)
        client.get_org_api_key(ORG, KEY)
        atlas.advance_clock(61)
        client.get_org_api_key(ORG, key(1))
        stats = atlas.stats()
        # The nonce outlived its 60 s: one stale challenge, answered afresh.
        assert (stats["challenges"], stats["stale_challenges"], stats["fetched"]) == (2, 1, 2), stats


def test_advance_clock_moves_the_clients_time_too() -> None:
    with MockAtlas(keys={ORG: [KEY]}, service_accounts={CLIENT_ID: CLIENT_SECRET},
                   token_lifetime=60) as atlas:
        client = atlas.service_account_client(max_retries=0)
        client.get_org_api_key(ORG, KEY)
        # Past the token's life on both sides: the client sees it expired
        # and fetches a new one, rather than sending the old one to be
        # refused (bearer_rejected), as a client on real time would.
        atlas.advance_clock(3600)
        client.get_org_api_key(ORG, KEY)
        stats = atlas.stats()
        assert (stats["tokens_issued"], stats["bearer_rejected"]) == (2, 0), stats


@pytest.mark.parametrize("seconds", [-1.0, float("nan"), float("inf")])
def test_advance_clock_refuses_what_is_not_a_duration(atlas: MockAtlas, seconds: float) -> None:
    with pytest.raises(atlas_admin.InvalidArgumentError, match="seconds"):
        atlas.advance_clock(seconds)
