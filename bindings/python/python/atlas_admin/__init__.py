"""A client for the MongoDB Atlas Administration API, over a Rust core.

>>> import atlas_admin
>>> with atlas_admin.Client(public_key="...", private_key="...") as client:
...     client.delete_org_api_key("5f1a2b3c4d5e6f7a8b9c0d1e", "6a1b2c3d4e5f6a7b8c9d0e1f")

Errors are subclasses of AtlasError (see atlas_admin.errors); a mock Atlas
for offline tests is in atlas_admin.testing.
"""

from atlas_admin._native import DEFAULT_BASE_URL, Client, __version__
from atlas_admin.errors import (
    AtlasError,
    AuthenticationError,
    HTTPError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    ProtocolError,
    RateLimitError,
    ServerError,
    TimeoutError,
    TransportError,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "AtlasError",
    "AuthenticationError",
    "Client",
    "HTTPError",
    "InvalidArgumentError",
    "NotFoundError",
    "PermissionDeniedError",
    "ProtocolError",
    "RateLimitError",
    "ServerError",
    "TimeoutError",
    "TransportError",
    "__version__",
]
