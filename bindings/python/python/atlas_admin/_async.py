"""atlas_admin.AsyncClient: the Client for asyncio, each call in a worker thread.

asyncio and concurrent.futures are imported when first needed rather than
here, so that `import atlas_admin` stays as cheap for scripts that never
touch asyncio (import time is one of the benchmarked numbers).
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable

from atlas_admin._native import DEFAULT_MAX_IDLE_CONNECTIONS, Client

__all__ = ["AsyncClient"]

# As many workers as the connections the core keeps for reuse by default:
# more would open and close a connection for each call beyond them.
_DEFAULT_MAX_WORKERS = DEFAULT_MAX_IDLE_CONNECTIONS


def _from_client(name: str) -> property:
    """Client's read-only property `name`, with its docstring, so that the two
    classes cannot drift apart."""
    return property(
        lambda self: getattr(self._client, name),
        doc=getattr(Client, name).__doc__,
    )


class AsyncClient:
    """A client for the MongoDB Atlas Administration API, for asyncio.

    AsyncClient(public_key=None, private_key=None, *, client_id=None, ...,
                proxy=None, max_workers=None)

    Takes Client's arguments, which go to a Client unchanged (see
    help(atlas_admin.Client)), and AsyncClient.from_env() is Client's; only
    max_workers is its own. It shares that Client's behaviour: credentials,
    flavours, timeouts, retries, logging, and the same AtlasError subclasses.

    `await client.delete_org_api_key(...)` runs the Client's blocking call in
    a worker thread of the client's own ThreadPoolExecutor, never on the
    event loop; the GIL is released while the request is in flight, so the
    loop and the other workers keep running. max_workers bounds the threads,
    and therefore the calls in flight at once (32 unless given, as many as
    the connections the core keeps for reuse by default; raise
    max_idle_connections with it). Further calls wait in the executor's
    queue. Threads start as needed.

    Cancelling a task that awaits delete_org_api_key() raises CancelledError
    in it at once, but a thread cannot be interrupted: a request already
    sent still completes, so the key may be deleted all the same, and its
    outcome, error or not, is discarded. Only a call still waiting for a
    worker is dropped unsent. When the outcome matters, delete again with
    missing_ok=True, which counts a key already gone as deleted.

    Use it with `async with`, or call aclose(), to close the Client and
    shut down the executor once the calls in flight have finished. close()
    does the same without waiting for them. One AsyncClient may serve many
    tasks, and event loops in several threads.
    """

    def __init__(self, *args: object, max_workers: int | None = None, **kwargs: object) -> None:
        self._start(max_workers, lambda: Client(*args, **kwargs))

    @classmethod
    def from_env(
        cls, *args: object, max_workers: int | None = None, **kwargs: object
    ) -> AsyncClient:
        """from_env(profile=None, *, public_key=None, ..., max_workers=None) -> AsyncClient

        An AsyncClient over Client.from_env(profile, ...): credentials and
        host from the environment and the Atlas CLI profile, the keyword
        arguments winning over them. See help(atlas_admin.Client.from_env).
        """
        self = cls.__new__(cls)
        self._start(max_workers, lambda: Client.from_env(*args, **kwargs))
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
        pretty: bool = False,
        envelope: bool = False,
        missing_ok: bool = False,
    ) -> None:
        """delete_org_api_key(org_id, api_key_id, *, pretty=False, envelope=False, missing_ok=False)

        Deletes API key api_key_id from organization org_id, as
        Client.delete_org_api_key() does (see its help for the arguments and
        errors), in a worker thread while the event loop runs on.

        Cancelling the awaiting task does not stop a request already sent:
        the key may still be deleted (see help(AsyncClient)).
        """
        call = functools.partial(
            self._client.delete_org_api_key,
            org_id,
            api_key_id,
            pretty=pretty,
            envelope=envelope,
            missing_ok=missing_ok,
        )
        if self._closed:
            # The closed Client refuses before any I/O, with the error Client
            # gives; the shut-down executor would only say RuntimeError.
            call()
            return
        import asyncio

        # In the caller's context, as asyncio.to_thread() does, so that a
        # logging filter reading context variables (a request ID, say) sees
        # the task that a retry's log record belongs to.
        context = contextvars.copy_context()
        await asyncio.get_running_loop().run_in_executor(self._executor, context.run, call)

    def close(self) -> None:
        """Closes the client without waiting: calls in flight finish in their
        threads, calls not yet started and later ones raise
        InvalidArgumentError, and the worker threads exit once idle. Closing
        twice is harmless."""
        self._closed = True
        self._client.close()
        self._executor.shutdown(wait=False)

    async def aclose(self) -> None:
        """Closes the client, as close() does, then waits until the calls in
        flight, cancelled ones included, have finished and the worker
        threads have exited."""
        import asyncio

        self.close()
        # Joining the workers blocks, so it waits in a thread of the loop's
        # default executor rather than on the loop.
        await asyncio.get_running_loop().run_in_executor(None, self._executor.shutdown)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        # Client's repr already knows what may be shown and what may not.
        return f"Async{self._client!r}"
