"""A client for the MongoDB Atlas Administration API, over a Rust core.

>>> import atlas_admin
>>> with atlas_admin.Client(client_id="mdb_sa_id_...", client_secret="...") as client:
...     client.delete_org_api_key("5f1a2b3c4d5e6f7a8b9c0d1e", "6a1b2c3d4e5f6a7b8c9d0e1f")

Credentials are a service account (client_id, client_secret) or an API key
pair (public_key, private_key); Client.from_env() finds either where the
Atlas CLI and Terraform keep them. api="atlas-v2" or "ops-manager" and
host=... choose another API than Atlas v1.0 at DEFAULT_HOST.

The organization API key lifecycle has a method per endpoint:
list_org_api_keys(), get_org_api_key(), find_org_api_key() (by public key),
create_org_api_key() (its ApiKey holds the private key, this once),
update_org_api_key(), and list_org_api_key_access_list(),
add_org_api_key_access_list() and delete_org_api_key_access_list_entry()
for a key's access list. client.request(method, path, params=...,
json=...) calls any other endpoint and returns its JSON body. Every call
takes pretty and envelope.

AsyncClient takes the same arguments for asyncio: its calls are awaited,
and run in a bounded pool of worker threads, never on the event loop.

>>> async with atlas_admin.AsyncClient.from_env() as client:
...     await client.delete_org_api_key("5f1a2b3c4d5e6f7a8b9c0d1e", "6a1b2c3d4e5f6a7b8c9d0e1f")

Errors are subclasses of AtlasError (see atlas_admin.errors); a mock Atlas
for offline tests is in atlas_admin.testing. Attempts, retries and waits are
logged to the "atlas_admin" logger, which has a NullHandler: nothing is
printed unless the application configures logging.
"""

import logging

from atlas_admin import errors
from atlas_admin._async import AsyncClient
from atlas_admin._native import (
    DEFAULT_BASE_URL,
    DEFAULT_HOST,
    DEFAULT_MAX_IDLE_CONNECTIONS,
    AccessListEntry,
    ApiKey,
    Client,
    __version__,
)
from atlas_admin.errors import *  # noqa: F403

# errors.__all__ is the one list of the exception classes. Imported under
# its own name, it is how mypy learns them (mypy starts this module's
# exports from it and adds the literal list below). At run time the list
# below is this module's own, and the += extends it, as pyright reads it too.
from atlas_admin.errors import __all__ as __all__

# As the logging HOWTO asks of libraries: without a handler here, a retry's
# warning falls through to logging.lastResort and lands on the stderr of
# every script that never configured logging.
logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_HOST",
    "DEFAULT_MAX_IDLE_CONNECTIONS",
    "AccessListEntry",
    "ApiKey",
    "AsyncClient",
    "Client",
    "__version__",
]
__all__ += errors.__all__
