"""Bearer-token checks for the console and admin endpoints (constant time, German errors)."""

from __future__ import annotations

import hmac
import json

from aiohttp import web


def json_response(data, status: int = 200, headers: dict | None = None) -> web.Response:
    """JSON with umlauts as they are (readable in curl output), UTF-8."""
    return web.json_response(data, status=status, headers=headers,
                             dumps=lambda obj: json.dumps(obj, ensure_ascii=False))


def require_token(request: web.Request, expected: str, what: str) -> None:
    """Raise 404 when the feature is off (no token configured), 401 on a missing or wrong token.

    Behind a reverse proxy every request looks local, so the token is the only protection."""
    if not expected:
        raise web.HTTPNotFound(text=f"{what} ist ausgeschaltet (kein Token konfiguriert).")
    header = request.headers.get("Authorization", "")
    given = header[7:] if header.startswith("Bearer ") else ""
    if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected.encode()):
        raise web.HTTPUnauthorized(text="Zugang verweigert: falsches oder fehlendes Token.",
                                   headers={"WWW-Authenticate": "Bearer"})
