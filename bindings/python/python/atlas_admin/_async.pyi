"""Type stubs for atlas_admin._async: AsyncClient.

The lists of the client's options between marker lines are written by
tools/write_client_options.py from the Rust declaration (src/options.rs);
tests/test_package.py checks that every method takes what Client's does.
"""

from typing import Any, List, Mapping, Optional, Sequence

from atlas_admin._native import AccessListEntry, ApiKey, _Api, _Path, _Proxy, _QueryValue

__all__ = ["AsyncClient"]

class AsyncClient:
    """A client for the MongoDB Atlas Administration API, for asyncio."""

    def __init__(
        self,
        # client options (positional, typed): written by tools/write_client_options.py
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
        # end of client options
        max_workers: Optional[int] = None,
    ) -> None: ...
    @classmethod
    def from_env(
        cls,
        profile: Optional[str] = None,
        *,
        # client options (keyword, typed): written by tools/write_client_options.py
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
        # end of client options
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
        missing_ok: bool = False,
        pretty: bool = False,
        envelope: bool = False,
    ) -> None: ...
    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Optional[Mapping[str, _QueryValue]] = None,
        json: object = None,
        accept: Optional[str] = None,
        pretty: bool = False,
        envelope: bool = False,
    ) -> Any: ...
    async def list_org_api_keys(
        self, org_id: str, *, pretty: bool = False, envelope: bool = False
    ) -> List[ApiKey]: ...
    async def get_org_api_key(
        self, org_id: str, api_key_id: str, *, pretty: bool = False, envelope: bool = False
    ) -> ApiKey: ...
    async def find_org_api_key(
        self, org_id: str, public_key: str, *, pretty: bool = False, envelope: bool = False
    ) -> Optional[ApiKey]: ...
    async def create_org_api_key(
        self,
        org_id: str,
        description: str,
        roles: Sequence[str],
        *,
        pretty: bool = False,
        envelope: bool = False,
    ) -> ApiKey: ...
    async def update_org_api_key(
        self,
        org_id: str,
        api_key_id: str,
        *,
        description: Optional[str] = None,
        roles: Optional[Sequence[str]] = None,
        pretty: bool = False,
        envelope: bool = False,
    ) -> ApiKey: ...
    async def list_org_api_key_access_list(
        self, org_id: str, api_key_id: str, *, pretty: bool = False, envelope: bool = False
    ) -> List[AccessListEntry]: ...
    async def add_org_api_key_access_list(
        self,
        org_id: str,
        api_key_id: str,
        entries: Sequence[str],
        *,
        pretty: bool = False,
        envelope: bool = False,
    ) -> List[AccessListEntry]: ...
    async def delete_org_api_key_access_list_entry(
        self, org_id: str, api_key_id: str, entry: str, *, pretty: bool = False, envelope: bool = False
    ) -> None: ...
    def close(self) -> None: ...
    async def aclose(self) -> None: ...
    async def __aenter__(self) -> AsyncClient: ...
    async def __aexit__(self, *_exc: object) -> None: ...
