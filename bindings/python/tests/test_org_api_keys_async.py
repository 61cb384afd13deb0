"""The organization API key lifecycle on AsyncClient: Client's calls,
awaited, with the same results and errors."""

import asyncio
from typing import List

import pytest

import atlas_admin
from atlas_admin import AsyncClient
from atlas_admin.testing import MockAtlas

from conftest import KEY, ORG, PRIVATE, PUBLIC, key, shown
from test_org_api_keys import FLAVOURS, Flavour


@pytest.mark.parametrize("api", FLAVOURS)
def test_the_lifecycle_awaited(atlas: MockAtlas, api: Flavour) -> None:
    async def main() -> None:
        async with AsyncClient(PUBLIC, PRIVATE, host=atlas.origin, api=api, max_retries=0) as client:
            new = await client.create_org_api_key(ORG, "async", ("ORG_MEMBER",))
            assert new.private_key is not None
            for text in shown(new):
                assert new.private_key not in text
            listed = await client.list_org_api_keys(ORG)
            assert [k.id for k in listed] == [KEY, new.id]
            got = await client.get_org_api_key(ORG, new.id)
            assert got == listed[1] and got.private_key is None
            assert await client.find_org_api_key(ORG, new.public_key) == got
            assert await client.find_org_api_key(ORG, "zzzzzzzz") is None
            updated = await client.update_org_api_key(ORG, new.id, description="renamed", roles=["ORG_OWNER"])
            assert (updated.description, updated.roles) == ("renamed", ["ORG_OWNER"])
            added = await client.add_org_api_key_access_list(ORG, new.id, ["192.0.2.7", "10.1.0.0/16"])
            assert {e.cidr_block for e in added} == {"192.0.2.7/32", "10.1.0.0/16"}
            assert set(await client.list_org_api_key_access_list(ORG, new.id)) == set(added)
            assert await client.delete_org_api_key_access_list_entry(ORG, new.id, "10.1.0.0/16") is None
            left = await client.list_org_api_key_access_list(ORG, new.id)
            assert [(e.cidr_block, e.ip_address) for e in left] == [("192.0.2.7/32", "192.0.2.7")]
            with pytest.raises(atlas_admin.NotFoundError) as caught:
                await client.get_org_api_key(ORG, key(0xDEAD))
            assert caught.value.status == (400 if api == "atlas-v1" else 404)

    asyncio.run(main())
    deletes = [r["target"] or "" for r in atlas.recent_requests() if r["method"] == "DELETE"]
    assert len(deletes) == 1 and deletes[0].endswith("/accessList/10.1.0.0%2F16"), deletes


def test_concurrent_gets_share_the_client(atlas: MockAtlas) -> None:
    for i in range(20):
        atlas.add_key(ORG, key(i))

    async def main() -> List[str]:
        async with AsyncClient(PUBLIC, PRIVATE, host=atlas.origin, max_workers=8) as client:
            keys = await asyncio.gather(*(client.get_org_api_key(ORG, key(i)) for i in range(20)))
            return [k.id for k in keys]

    assert asyncio.run(main()) == [key(i) for i in range(20)]
    assert atlas.stats()["fetched"] == 20


def test_bad_input_is_refused_before_anything_is_sent(atlas: MockAtlas) -> None:
    async def main() -> None:
        async with AsyncClient(PUBLIC, PRIVATE, host=atlas.origin) as client:
            with pytest.raises(TypeError, match="roles"):
                await client.create_org_api_key(ORG, "d", "ORG_MEMBER")
            with pytest.raises(atlas_admin.InvalidArgumentError, match="roles"):
                await client.update_org_api_key(ORG, KEY, roles=["GROUP_OWNER"])
            with pytest.raises(atlas_admin.InvalidArgumentError, match="entries"):
                await client.add_org_api_key_access_list(ORG, KEY, ["10.0.0.0/99"])
            with pytest.raises(atlas_admin.InvalidArgumentError, match="api_key_id"):
                await client.list_org_api_key_access_list(ORG, "nope")

    asyncio.run(main())
    assert atlas.stats()["requests"] == 0
