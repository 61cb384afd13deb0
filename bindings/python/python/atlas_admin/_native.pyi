"""Type stubs for the native extension module atlas_admin._native."""

from os import PathLike
from typing import Dict, Literal, Mapping, Optional, Sequence, Union, final

__all__ = ["Client", "MockAtlas", "__version__", "DEFAULT_BASE_URL"]

__version__: str
DEFAULT_BASE_URL: str

@final
class Client:
    """A client for the MongoDB Atlas Administration API."""

    def __new__(
        cls,
        public_key: str,
        private_key: str,
        *,
        base_url: Optional[str] = None,
        connect_timeout: Optional[float] = None,
        timeout: Optional[float] = None,
        max_retries: int = 3,
        retry_budget: float = 60.0,
        ca_bundle: Union[str, PathLike[str], None] = None,
        allow_insecure_http: bool = False,
        proxy: Union[str, Literal[False], None] = None,
    ) -> Client: ...
    @property
    def base_url(self) -> str: ...
    @property
    def public_key(self) -> str: ...
    def delete_org_api_key(
        self,
        org_id: str,
        api_key_id: str,
        *,
        pretty: bool = False,
        envelope: bool = False,
        missing_ok: bool = False,
    ) -> None: ...
    def close(self) -> None: ...
    def __enter__(self) -> Client: ...
    def __exit__(self, *_exc: object) -> bool: ...

@final
class MockAtlas:
    """A mock MongoDB Atlas on 127.0.0.1, for testing scripts offline."""

    def __new__(
        cls,
        *,
        orgs: Sequence[str] = ...,
        keys: Mapping[str, Sequence[str]] = ...,
        credentials: Optional[Mapping[str, str]] = None,
        algorithms: Sequence[Literal["MD5", "SHA-256"]] = ...,
        qop: bool = True,
        nonce_ttl: int = 300,
        strict_nc: bool = False,
    ) -> MockAtlas: ...
    @property
    def base_url(self) -> str: ...
    def client(
        self,
        *,
        base_url: Optional[str] = ...,
        connect_timeout: Optional[float] = ...,
        timeout: Optional[float] = ...,
        max_retries: int = ...,
        retry_budget: float = ...,
        ca_bundle: Union[str, PathLike[str], None] = ...,
        allow_insecure_http: bool = ...,
        proxy: Union[str, Literal[False], None] = ...,
    ) -> Client: ...
    def stats(self) -> Dict[str, int]: ...
    def fail_next(self, status: int, *, count: int = 1, retry_after: Optional[int] = None) -> None: ...
    def drop_next(self, *, count: int = 1) -> None: ...
    def lose_next_answer(self, *, count: int = 1) -> None: ...
    def set_response_delay(self, seconds: float) -> None: ...
    def expire_nonces(self) -> None: ...
    def add_key(self, org_id: str, key_id: str) -> None: ...
    def has_key(self, org_id: str, key_id: str) -> bool: ...
    def close(self) -> None: ...
    def __enter__(self) -> MockAtlas: ...
    def __exit__(self, *_exc: object) -> bool: ...
