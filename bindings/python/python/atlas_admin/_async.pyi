"""Type stubs for atlas_admin._async: AsyncClient.

At runtime the constructor and from_env take *args and **kwargs and hand
them to Client unchanged; the signatures here spell out Client's, and a test
checks that they still match _native.pyi.
"""

from typing import Optional

from atlas_admin._native import _Api, _Path, _Proxy

__all__ = ["AsyncClient"]

class AsyncClient:
    """A client for the MongoDB Atlas Administration API, for asyncio."""

    def __init__(
        self,
        public_key: Optional[str] = None,
        private_key: Optional[str] = None,
        *,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        api: Optional[_Api] = None,
        host: Optional[str] = None,
        base_url: Optional[str] = None,
        connect_timeout: Optional[float] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        retry_budget: Optional[float] = None,
        max_idle_connections: Optional[int] = None,
        ca_bundle: _Path = None,
        allow_insecure_http: Optional[bool] = None,
        proxy: _Proxy = None,
        max_workers: Optional[int] = None,
    ) -> None: ...
    @classmethod
    def from_env(
        cls,
        profile: Optional[str] = None,
        *,
        public_key: Optional[str] = None,
        private_key: Optional[str] = None,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        api: Optional[_Api] = None,
        host: Optional[str] = None,
        base_url: Optional[str] = None,
        connect_timeout: Optional[float] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        retry_budget: Optional[float] = None,
        max_idle_connections: Optional[int] = None,
        ca_bundle: _Path = None,
        allow_insecure_http: Optional[bool] = None,
        proxy: _Proxy = None,
        max_workers: Optional[int] = None,
    ) -> AsyncClient: ...
    @property
    def base_url(self) -> str: ...
    @property
    def api(self) -> _Api: ...
    @property
    def public_key(self) -> Optional[str]: ...
    @property
    def client_id(self) -> Optional[str]: ...
    async def delete_org_api_key(
        self,
        org_id: str,
        api_key_id: str,
        *,
        pretty: bool = False,
        envelope: bool = False,
        missing_ok: bool = False,
    ) -> None: ...
    def close(self) -> None: ...
    async def aclose(self) -> None: ...
    async def __aenter__(self) -> AsyncClient: ...
    async def __aexit__(self, *_exc: object) -> None: ...
