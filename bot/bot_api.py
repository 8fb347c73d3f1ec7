"""The Bot API as the outbox talks to it: one HTTP request per call, with timeouts, and a result
that says what happened — accepted, refused by whoever answered, or no answer at all (and then
whether the request may have reached Telegram, so that a resend may arrive twice).

The token is part of the URL only; no error text made here contains the URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx


@dataclass(frozen=True)
class Timeouts:
    connect: float = 5.0
    read: float = 10.0
    write: float = 10.0
    pool: float = 5.0


@dataclass(eq=False)
class ApiRefused(Exception):
    """An error answer (Telegram's own, or a proxy's in its place)."""

    status: int
    description: str
    parameters: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.description}"


@dataclass(eq=False)
class ApiUnreachable(Exception):
    """No answer. `written`: the request may have been received (after a read timeout, or the
    connection dropped once the request was sent) — a resend may then be a duplicate."""

    reason: str
    written: bool

    def __str__(self) -> str:
        return self.reason


# Failures before the request was completely sent: Telegram cannot have acted on it.
_NOT_WRITTEN = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.WriteTimeout, httpx.WriteError,
                httpx.UnsupportedProtocol)


class BotApi:
    def __init__(self, base_url: str, token: str, timeouts: Timeouts, max_connections: int = 64):
        self._prefix = f"{base_url}{token}/"
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(connect=timeouts.connect, read=timeouts.read, write=timeouts.write,
                                  pool=timeouts.pool),
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections))

    async def call(self, method: str, params: dict[str, str]) -> object:
        """The `result` of a successful call; raises ApiRefused or ApiUnreachable."""
        try:
            response = await self._client.post(self._prefix + method, data=params)
        except _NOT_WRITTEN as exc:
            raise ApiUnreachable(exc.__class__.__name__, written=False) from None
        except httpx.HTTPError as exc:  # read timeout, connection closed after sending, …
            raise ApiUnreachable(exc.__class__.__name__, written=True) from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise ApiRefused(response.status_code, f"HTTP {response.status_code} ohne Bot-API-Antwort")
        if response.is_success and body.get("ok") is True:
            return body.get("result")
        parameters = body.get("parameters")
        raise ApiRefused(response.status_code, str(body.get("description") or f"HTTP {response.status_code}"),
                         parameters if isinstance(parameters, dict) else {})

    async def close(self) -> None:
        await self._client.aclose()
