"""atlas_admin.AsyncClient: the Client for asyncio, each call in a worker thread.

asyncio and concurrent.futures are imported when first needed rather than
here, so that `import atlas_admin` stays as cheap for scripts that never
touch asyncio (import time is one of the benchmarked numbers).
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Mapping, Sequence

from atlas_admin._native import (
    DEFAULT_MAX_IDLE_CONNECTIONS,
    AccessListEntry,
    ApiKey,
    Client,
    _client_options,
)

__all__ = ["AsyncClient"]

# The names of the client's options (declared once, in Rust), which the
# constructor and from_env hand to Client; their parameter lists below are
# written from the same declaration by tools/write_client_options.py.
_OPTION_NAMES = tuple(name for name, _, _ in _client_options())

# As many workers as the connections the core keeps for reuse by default:
# more would open and close a connection for each call beyond them.
_DEFAULT_MAX_WORKERS = DEFAULT_MAX_IDLE_CONNECTIONS


def _options(arguments: dict[str, object]) -> dict[str, object]:
    """The client's options among a method's arguments (its locals())."""
    return {name: arguments[name] for name in _OPTION_NAMES}


def _from_client(name: str) -> property:
    """Client's read-only property `name`, with its docstring, so that the two
    classes cannot drift apart."""
    return property(
        lambda self: getattr(self._client, name),
        doc=getattr(Client, name).__doc__,
    )


class AsyncClient:
    """A client for the MongoDB Atlas Administration API, for asyncio.

    Takes Client's arguments, which go to a Client unchanged (see
    help(atlas_admin.Client)), and AsyncClient.from_env() is Client's; only
    max_workers is its own. It shares that Client's behaviour: credentials,
    flavours, timeouts, retries, logging, and the same AtlasError subclasses.

    Its calls are Client's, awaited: `await client.delete_org_api_key(...)`,
    `await client.create_org_api_key(...)`, `await client.request(...)` and
    the others each run the Client's blocking call in a
    worker thread of the client's own ThreadPoolExecutor, never on the
    event loop; the GIL is released while the request is in flight, so the
    loop and the other workers keep running. max_workers bounds the threads,
    and therefore the calls in flight at once (32 unless given, as many as
    the connections the core keeps for reuse by default; raise
    max_idle_connections with it). Further calls wait in the executor's
    queue. Threads start as needed.

    Cancelling a task that awaits a call raises CancelledError
    in it at once, but a thread cannot be interrupted: a request already
    sent still completes, so a key may be deleted all the same, and its
    outcome, error or not, is discarded. Only a call still waiting for a
    worker is dropped unsent. When the outcome matters, delete again with
    missing_ok=True, which counts a key already gone as deleted.

    Use it with `async with`, or call aclose(), to close the Client (which
    revokes a service account's token) and shut down the executor once the
    calls in flight have finished. close() does the same without waiting
    for them. One AsyncClient may serve many
    tasks, and event loops in several threads.
    """

    def __init__(
        self,
        # client options (positional, untyped): written by tools/write_client_options.py
        public_key=None,
        private_key=None,
        *,
        client_id=None,
        client_secret=None,
        api=None,
        host=None,
        base_url=None,
        connect_timeout=None,
        timeout=None,
        max_retries=None,
        retry_budget=None,
        max_idle_connections=None,
        ca_bundle=None,
        allow_insecure_http=None,
        proxy=None,
        # end of client options
        max_workers: int | None = None,
    ) -> None:
        options = _options(locals())
        self._start(max_workers, lambda: Client(**options))

    @classmethod
    def from_env(
        cls,
        profile: str | None = None,
        *,
        # client options (keyword, untyped): written by tools/write_client_options.py
        public_key=None,
        private_key=None,
        client_id=None,
        client_secret=None,
        api=None,
        host=None,
        base_url=None,
        connect_timeout=None,
        timeout=None,
        max_retries=None,
        retry_budget=None,
        max_idle_connections=None,
        ca_bundle=None,
        allow_insecure_http=None,
        proxy=None,
        # end of client options
        max_workers: int | None = None,
    ) -> AsyncClient:
        """An AsyncClient over Client.from_env(profile, ...): credentials and
        host from the environment and the Atlas CLI profile, the keyword
        arguments winning over them. See help(atlas_admin.Client.from_env).
        """
        options = _options(locals())
        self = cls.__new__(cls)
        self._start(max_workers, lambda: Client.from_env(profile, **options))
        return self

    def _start(self, max_workers: int | None, connect: Callable[[], Client]) -> None:
        from concurrent.futures import ThreadPoolExecutor

        # The executor first, so that a bad max_workers leaves no Client open.
        self._executor = ThreadPoolExecutor(
            _DEFAULT_MAX_WORKERS if max_workers is None else max_workers,
            thread_name_prefix="atlas_admin",
        )
        self._closed = False
        self._client = connect()

    base_url = _from_client("base_url")
    api = _from_client("api")
    public_key = _from_client("public_key")
    client_id = _from_client("client_id")

    async def delete_org_api_key(
        self,
        org_id: str,
        api_key_id: str,
        *,
        missing_ok: bool = False,
        pretty: bool = False,
        envelope: bool = False,
    ) -> None:
        """Deletes API key api_key_id from organization org_id, as
        Client.delete_org_api_key() does (see its help for the arguments and
        errors), in a worker thread while the event loop runs on.

        Cancelling the awaiting task does not stop a request already sent:
        the key may still be deleted (see help(AsyncClient)).
        """
        await self._run(
            functools.partial(
                self._client.delete_org_api_key,
                org_id,
                api_key_id,
                missing_ok=missing_ok,
                pretty=pretty,
                envelope=envelope,
            )
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int | float | bool] | None = None,
        json: object = None,
        accept: str | None = None,
        pretty: bool = False,
        envelope: bool = False,
    ) -> object:
        """Calls any endpoint and returns its JSON body (None when it has
        none), as Client.request() does (see its help for the arguments and
        errors), in a worker thread while the event loop runs on.

        Cancelling the awaiting task does not stop a request already sent:
        what it asked for may still be done.
        """
        return await self._run(
            functools.partial(
                self._client.request,
                method,
                path,
                params=params,
                json=json,
                accept=accept,
                pretty=pretty,
                envelope=envelope,
            )
        )

    async def list_org_api_keys(
        self, org_id: str, *, pretty: bool = False, envelope: bool = False
    ) -> list[ApiKey]:
        """Every API key of organization org_id, all pages, as
        Client.list_org_api_keys() gives them, in a worker thread."""
        return await self._run(
            functools.partial(self._client.list_org_api_keys, org_id, pretty=pretty, envelope=envelope)
        )

    async def get_org_api_key(
        self, org_id: str, api_key_id: str, *, pretty: bool = False, envelope: bool = False
    ) -> ApiKey:
        """API key api_key_id of organization org_id, as
        Client.get_org_api_key() gives it, in a worker thread."""
        return await self._run(
            functools.partial(
                self._client.get_org_api_key, org_id, api_key_id, pretty=pretty, envelope=envelope
            )
        )

    async def find_org_api_key(
        self, org_id: str, public_key: str, *, pretty: bool = False, envelope: bool = False
    ) -> ApiKey | None:
        """The API key of organization org_id with this public key, or None,
        as Client.find_org_api_key() finds it, in a worker thread."""
        return await self._run(
            functools.partial(
                self._client.find_org_api_key, org_id, public_key, pretty=pretty, envelope=envelope
            )
        )

    async def create_org_api_key(
        self,
        org_id: str,
        description: str,
        roles: Sequence[str],
        *,
        pretty: bool = False,
        envelope: bool = False,
    ) -> ApiKey:
        """Creates an API key, as Client.create_org_api_key() does (its
        private_key is set, this once), in a worker thread.

        Cancelling the awaiting task does not stop a request already sent:
        the key may be created all the same, its private key then lost.
        """
        return await self._run(
            functools.partial(
                self._client.create_org_api_key,
                org_id,
                description,
                roles,
                pretty=pretty,
                envelope=envelope,
            )
        )

    async def update_org_api_key(
        self,
        org_id: str,
        api_key_id: str,
        *,
        description: str | None = None,
        roles: Sequence[str] | None = None,
        pretty: bool = False,
        envelope: bool = False,
    ) -> ApiKey:
        """Changes a key's description and/or roles, as
        Client.update_org_api_key() does, in a worker thread."""
        return await self._run(
            functools.partial(
                self._client.update_org_api_key,
                org_id,
                api_key_id,
                description=description,
                roles=roles,
                pretty=pretty,
                envelope=envelope,
            )
        )

    async def list_org_api_key_access_list(
        self, org_id: str, api_key_id: str, *, pretty: bool = False, envelope: bool = False
    ) -> list[AccessListEntry]:
        """A key's access list, as Client.list_org_api_key_access_list()
        gives it, in a worker thread."""
        return await self._run(
            functools.partial(
                self._client.list_org_api_key_access_list,
                org_id,
                api_key_id,
                pretty=pretty,
                envelope=envelope,
            )
        )

    async def add_org_api_key_access_list(
        self,
        org_id: str,
        api_key_id: str,
        entries: Sequence[str],
        *,
        pretty: bool = False,
        envelope: bool = False,
    ) -> list[AccessListEntry]:
        """Adds IP addresses and CIDR blocks to a key's access list, as
        Client.add_org_api_key_access_list() does, in a worker thread."""
        return await self._run(
            functools.partial(
                self._client.add_org_api_key_access_list,
                org_id,
                api_key_id,
                entries,
                pretty=pretty,
                envelope=envelope,
            )
        )

    async def delete_org_api_key_access_list_entry(
        self,
        org_id: str,
        api_key_id: str,
        entry: str,
        *,
        pretty: bool = False,
        envelope: bool = False,
    ) -> None:
        """Removes an entry from a key's access list, as
        Client.delete_org_api_key_access_list_entry() does, in a worker
        thread."""
        await self._run(
            functools.partial(
                self._client.delete_org_api_key_access_list_entry,
                org_id,
                api_key_id,
                entry,
                pretty=pretty,
                envelope=envelope,
            )
        )

    async def _run(self, call: Callable[[], object]) -> object:
        """call(), the Client's blocking call, in a worker thread."""
        import asyncio

        if self._closed:
            # The closed Client refuses before any I/O, with the error Client
            # gives; the shut-down executor would only say RuntimeError. In
            # the loop's default executor all the same: until aclose() has
            # closed the Client in its thread, the call still goes out.
            return await asyncio.get_running_loop().run_in_executor(None, call)

        # In the caller's context, as asyncio.to_thread() does, so that a
        # logging filter reading context variables (a request ID, say) sees
        # the task that a retry's log record belongs to.
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(self._executor, context.run, call)

    def close(self) -> None:
        """Closes the client without waiting: calls in flight finish in their
        threads, calls not yet started and later ones raise
        InvalidArgumentError, and the worker threads exit once idle. Closing
        twice is harmless. A service account's token is revoked as
        Client.close() says: by the last call in flight as it returns, or
        here, within a second, when none is; in a coroutine, await aclose(),
        which does not block the event loop."""
        self._closed = True
        self._client.close()
        self._executor.shutdown(wait=False)

    async def aclose(self) -> None:
        """Closes the client, as close() does, then waits until the calls in
        flight, cancelled ones included, have finished, the service
        account's token is revoked, and the worker threads have exited."""
        import asyncio

        self._closed = True
        # Revoking the token and joining the workers block, so they wait in
        # a thread of the loop's default executor rather than on the loop.
        await asyncio.get_running_loop().run_in_executor(None, self._close_and_join)

    def _close_and_join(self) -> None:
        self._client.close()
        self._executor.shutdown()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        # Client's repr already knows what may be shown and what may not.
        return f"Async{self._client!r}"
