"""Type stubs for the native extension module atlas_admin._native.

The lists of the client's options between marker lines are written by
tools/write_client_options.py from the Rust declaration (src/options.rs);
tests/test_package.py fails when they are stale.
"""

from os import PathLike
from typing import (
    Any,
    Callable,
    Dict,
    List,
    Literal,
    Mapping,
    NoReturn,
    Optional,
    Sequence,
    Tuple,
    TypeVar,
    Union,
    final,
)

__all__ = ["AccessListEntry", "ApiKey", "Client", "MockAtlas", "__version__", "DEFAULT_BASE_URL", "DEFAULT_HOST", "DEFAULT_MAX_IDLE_CONNECTIONS", "cli_main"]

__version__: str
DEFAULT_BASE_URL: str
DEFAULT_HOST: str
DEFAULT_MAX_IDLE_CONNECTIONS: int

def cli_main(argv: List[str]) -> int: ...
def _client_options() -> List[Tuple[str, str, bool]]: ...

_T = TypeVar("_T")

@final
class _CancelToken:
    """Stops the calls made under it (run()) at their next slice once cancelled."""

    def __new__(cls) -> _CancelToken: ...
    def cancel(self) -> None: ...
    @property
    def cancelled(self) -> bool: ...
    def run(self, function: Callable[[], _T]) -> _T: ...

_Api = Literal["atlas-v1", "atlas-v2", "ops-manager"]
_Proxy = Union[str, Literal[False], None]
_Path = Union[str, PathLike[str], None]
# A query parameter's value; bools are sent as true and false.
_QueryValue = Union[str, int, float, bool]

@final
class Client:
    """A client for the MongoDB Atlas Administration API."""

    def __new__(
        cls,
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
    ) -> Client: ...
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
    ) -> Client: ...
    @property
    def base_url(self) -> str: ...
    @property
    def api(self) -> _Api: ...
    @property
    def public_key(self) -> Optional[str]: ...
    @property
    def client_id(self) -> Optional[str]: ...
    def delete_org_api_key(
        self,
        org_id: str,
        api_key_id: str,
        *,
        missing_ok: bool = False,
        pretty: bool = False,
        envelope: bool = False,
    ) -> None: ...
    def request(
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
    def list_org_api_keys(self, org_id: str, *, pretty: bool = False, envelope: bool = False) -> List[ApiKey]: ...
    def get_org_api_key(
        self, org_id: str, api_key_id: str, *, pretty: bool = False, envelope: bool = False
    ) -> ApiKey: ...
    def find_org_api_key(
        self, org_id: str, public_key: str, *, pretty: bool = False, envelope: bool = False
    ) -> Optional[ApiKey]: ...
    def create_org_api_key(
        self,
        org_id: str,
        description: str,
        roles: Sequence[str],
        *,
        pretty: bool = False,
        envelope: bool = False,
    ) -> ApiKey: ...
    def update_org_api_key(
        self,
        org_id: str,
        api_key_id: str,
        *,
        description: Optional[str] = None,
        roles: Optional[Sequence[str]] = None,
        pretty: bool = False,
        envelope: bool = False,
    ) -> ApiKey: ...
    def list_org_api_key_access_list(
        self, org_id: str, api_key_id: str, *, pretty: bool = False, envelope: bool = False
    ) -> List[AccessListEntry]: ...
    def add_org_api_key_access_list(
        self,
        org_id: str,
        api_key_id: str,
        entries: Sequence[str],
        *,
        pretty: bool = False,
        envelope: bool = False,
    ) -> List[AccessListEntry]: ...
    def delete_org_api_key_access_list_entry(
        self, org_id: str, api_key_id: str, entry: str, *, pretty: bool = False, envelope: bool = False
    ) -> None: ...
    def close(self) -> None: ...
    def __enter__(self) -> Client: ...
    def __exit__(self, *_exc: object) -> bool: ...

@final
class ApiKey:
    """An organization API key, as Atlas describes it."""

    @property
    def id(self) -> str: ...
    @property
    def public_key(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def roles(self) -> List[str]: ...
    @property
    def private_key(self) -> Optional[str]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> NoReturn: ...
    def __copy__(self) -> ApiKey: ...
    def __deepcopy__(self, _memo: Any, /) -> ApiKey: ...

@final
class AccessListEntry:
    """One entry of an API key's access list: where the key may be used from."""

    @property
    def cidr_block(self) -> Optional[str]: ...
    @property
    def ip_address(self) -> Optional[str]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

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
        nc_check: Literal["off", "unique", "increasing", "exact"] = "off",
        service_accounts: Optional[Mapping[str, str]] = None,
        token_lifetime: int = 3600,
        token_cap: int = ...,
    ) -> MockAtlas: ...
    @property
    def base_url(self) -> str: ...
    @property
    def origin(self) -> str: ...
    def client(
        self,
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
    ) -> Client: ...
    def service_account_client(
        self,
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
    ) -> Client: ...
    def stats(self) -> Dict[str, int]: ...
    def reset_stats(self) -> None: ...
    def recent_requests(self) -> List[Dict[str, Optional[str]]]: ...
    def fail_next(self, status: int, *, count: int = 1, retry_after: Optional[int] = None) -> None: ...
    def set_rate_limit(
        self,
        capacity: int,
        refill_per_sec: float,
        *,
        status: Optional[int] = None,
        error_code: Optional[str] = None,
        retry_after: Optional[bool] = None,
    ) -> None: ...
    def clear_rate_limit(self) -> None: ...
    def drop_next(self, *, count: int = 1) -> None: ...
    def lose_next_answer(self, *, count: int = 1) -> None: ...
    def set_response_delay(self, seconds: float) -> None: ...
    def advance_clock(self, seconds: float) -> None: ...
    def expire_nonces(self) -> None: ...
    def revoke_tokens(self) -> None: ...
    def add_key(self, org_id: str, key_id: str) -> None: ...
    def has_key(self, org_id: str, key_id: str) -> bool: ...
    def add_api_key(
        self,
        org_id: str,
        *,
        id: Optional[str] = None,
        public_key: Optional[str] = None,
        private_key: Optional[str] = None,
        description: Optional[str] = None,
        roles: Optional[Sequence[str]] = None,
        access_list: Optional[Sequence[str]] = None,
    ) -> Dict[str, Any]: ...
    def api_key(self, org_id: str, key_id: str) -> Optional[Dict[str, Any]]: ...
    def api_keys(self, org_id: str) -> List[Dict[str, Any]]: ...
    def close(self) -> None: ...
    def __enter__(self) -> MockAtlas: ...
    def __exit__(self, *_exc: object) -> bool: ...
