"""The Bot API as the outbox talks to it: one HTTP request per call, with timeouts, and a result
that says what happened — accepted, refused by whoever answered, or no answer at all (and then
whether the request may have reached Telegram, so that a resend may arrive twice).

aiohttp's client (aiohttp serves the webhook already): its connection pool costs a fraction of
httpx's per request, which is what the bot spends most of its time on under load. The token is
part of the URL only; no error text made here contains the URL.
"""

from __future__ import annotations

import asyncio
import json
import urllib.parse
from dataclasses import dataclass, field

import aiohttp


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


# Failures before the request was sent (no connection, none free in time): Telegram cannot have
# acted on it.
_NOT_WRITTEN = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError, aiohttp.InvalidURL)


_FORM = {"Content-Type": "application/x-www-form-urlencoded"}

class BotApi:
    def __init__(self, base_url: str, token: str, timeouts: Timeouts, max_connections: int = 64):
        self._prefix = f"{base_url}{token}/"
        # connect: waiting for a pooled connection and making a new one; sock_read: the answer;
        # total: a cap for everything, so a request stuck while being written ends as well.
        self._timeout = aiohttp.ClientTimeout(
            total=timeouts.pool + timeouts.connect + timeouts.write + timeouts.read,
            connect=timeouts.pool + timeouts.connect, sock_connect=timeouts.connect, sock_read=timeouts.read)
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None

    async def call(self, method: str, params: dict[str, str]) -> object:
        """The `result` of a successful call; raises ApiRefused or ApiUnreachable."""
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=self._timeout, connector=aiohttp.TCPConnector(limit=self._max_connections))
        try:
            # encoded here: aiohttp's FormData sets up a multipart writer (and a random boundary) per call
            encoded = urllib.parse.urlencode(params).encode()
            async with self._session.post(self._prefix + method, data=encoded, headers=_FORM) as response:
                status = response.status
                raw = await response.read()
        except _NOT_WRITTEN as exc:
            raise ApiUnreachable(exc.__class__.__name__, written=False) from None
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:  # read timeout, dropped after sending …
            raise ApiUnreachable(exc.__class__.__name__, written=True) from None
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise ApiRefused(status, f"HTTP {status} ohne Bot-API-Antwort")
        if 200 <= status < 300 and body.get("ok") is True:
            return body.get("result")
        parameters = body.get("parameters")
        raise ApiRefused(status, str(body.get("description") or f"HTTP {status}"),
                         parameters if isinstance(parameters, dict) else {})

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
