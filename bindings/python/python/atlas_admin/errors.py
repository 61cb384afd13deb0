"""The exceptions atlas_admin raises; they mirror the C library's atlas_status.

Every one is an AtlasError. Those raised for an answer from the server carry
its details: status (the HTTP status, or the envelope's), error_code (Atlas'
errorCode, e.g. "API_KEY_NOT_FOUND"), detail, reason, parameters,
retry_after (seconds, from Retry-After), body (the raw response, at most
1 MiB), location (where a redirect pointed; redirects are never followed)
and attempts. For errors with no answer (timeouts, refused connections, bad
arguments) they are None or empty, except attempts: how many attempts the
call made, answered or not, 0 only when it made none (a bad argument).

Which class is raised for which outcome is decided by the core's table of
error kinds; importing atlas_admin fails if a class it names is missing here.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence

__all__ = [
    "AtlasError",
    "AuthenticationError",
    "CancelledError",
    "HTTPError",
    "InvalidArgumentError",
    "NotFoundError",
    "PermissionDeniedError",
    "ProtocolError",
    "RateLimitError",
    "ServerError",
    "TimeoutError",
    "TransportError",
]


class AtlasError(Exception):
    """Base class of every atlas_admin error."""

    # Annotations use 3.10 syntax; `from __future__ import annotations` keeps
    # them unevaluated, so importing atlas_admin does not pay for `typing`.
    status: int | None
    error_code: str | None
    detail: str | None
    reason: str | None
    parameters: list[str]
    retry_after: float | None
    body: str | None
    location: str | None
    attempts: int

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        error_code: str | None = None,
        detail: str | None = None,
        reason: str | None = None,
        parameters: Sequence[str] = (),
        retry_after: float | None = None,
        body: str | None = None,
        location: str | None = None,
        attempts: int = 0,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.error_code = error_code
        self.detail = detail
        self.reason = reason
        self.parameters = list(parameters)
        self.retry_after = retry_after
        self.body = body
        self.location = location
        self.attempts = attempts

    def __str__(self) -> str:
        return self.message


class InvalidArgumentError(AtlasError, ValueError):
    """An argument was refused before any request was sent (bad ID, URL,
    timeout, or a closed client)."""


class AuthenticationError(AtlasError):
    """HTTP 401: the API key pair or the service account was not accepted
    (the token endpoint refused the client ID and secret, or a fresh token
    was refused)."""


class PermissionDeniedError(AtlasError):
    """HTTP 403: the key lacks the role, or the caller's IP address is not
    on the key's access list."""


class NotFoundError(AtlasError):
    """Atlas said that a resource does not exist: its error code names it
    (API_KEY_NOT_FOUND, which Atlas sends as HTTP 400; ORG_NOT_FOUND). A 404
    for a path that does not exist, or from a server that is not Atlas, is
    an HTTPError naming the URL."""


class RateLimitError(AtlasError):
    """Refused for its rate: HTTP 429, or Atlas' rate-limit error_code
    (RATE_LIMITED, *_RATE_LIMITED, *RATE_LIMITED_*) with another status,
    such as 400 INVITATIONS_RATE_LIMITED_IP; retry_after says how long the
    server asked to wait."""


class HTTPError(AtlasError):
    """Any other HTTP 3xx or 4xx answer, a 404 that is not Atlas saying a
    resource does not exist included."""


class ServerError(AtlasError):
    """HTTP 5xx."""


class TimeoutError(AtlasError, builtins.TimeoutError):
    """The connect or overall timeout expired. Also a builtins.TimeoutError."""


class TransportError(AtlasError):
    """No HTTP answer: connection refused, DNS, TLS, or a broken connection."""


class ProtocolError(AtlasError):
    """The server's answer could not be understood (bad Digest challenge,
    bad envelope, malformed HTTP)."""


class CancelledError(AtlasError):
    """The call was stopped before it finished: an AsyncClient call whose
    awaiting task was cancelled (the task itself sees asyncio's
    CancelledError; this is what its worker thread's call ends with). A
    request already sent may have taken effect. Ctrl-C stops a call with
    KeyboardInterrupt instead."""
