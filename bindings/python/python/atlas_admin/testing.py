"""A mock MongoDB Atlas for testing scripts offline.

>>> from atlas_admin.testing import MockAtlas
>>> with MockAtlas(keys={"5f1a2b3c4d5e6f7a8b9c0d1e": ["6a1b2c3d4e5f6a7b8c9d0e1f"]}) as atlas:
...     atlas.client().delete_org_api_key("5f1a2b3c4d5e6f7a8b9c0d1e", "6a1b2c3d4e5f6a7b8c9d0e1f")
...     atlas.stats()["deleted"]
1

It serves the organization API key lifecycle (list, get, create, update,
delete, access lists) on 127.0.0.1 with Digest authentication as Atlas does
it, service accounts (access tokens from POST /api/oauth/token, then
Bearer), the versioned Accept header Atlas v2 wants, and Atlas' real error
bodies. recent_requests() shows which headers a client sent, stats() what it
counted. client() and service_account_client() give a Client for the mock
with its first key pair or service account; api="atlas-v2" or "ops-manager"
chooses the flavour. add_api_key(), api_key() and api_keys() seed and read
its key records; advance_clock() moves the time of the mock and of those
clients forward, so tokens and nonces expire without sleeping.
"""

from atlas_admin._native import MockAtlas

__all__ = ["MockAtlas"]
