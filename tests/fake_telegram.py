"""A fake Telegram Bot API on 127.0.0.1, and builders for real update JSON.

python-telegram-bot talks to it exactly as to Telegram (`base_url`), so tests and benchmarks see
every request the bot makes, can answer with errors (429 with retry_after, 400) and never touch
the network.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Förderbot", "username": "foerder_test_bot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float


@dataclass
class FakeBotApi:
    calls: list[Call] = field(default_factory=list)
    errors: dict[str, list[tuple[int, dict]]] = field(default_factory=dict)
    delay: float = 0.0
    webhook_url: str = ""  # what getWebhookInfo reports
    _runner: web.AppRunner | None = None
    _changed: asyncio.Condition | None = None
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1000))
    _counts: dict[str, int] = field(default_factory=dict)
    port: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> "FakeBotApi":
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def fail_next(self, method: str, status: int, parameters: dict | None = None, description: str = "") -> None:
        """Answer the next call of `method` with an error (e.g. 429 with {"retry_after": 1})."""
        body = {"ok": False, "error_code": status, "description": description or f"Error {status}"}
        if parameters:
            body["parameters"] = parameters
        self.errors.setdefault(method, []).append((status, body))

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        async def enough() -> list[Call]:
            async with self._changed:
                await self._changed.wait_for(lambda: self._counts.get(method, 0) >= count)
            return self.of(method)

        return await asyncio.wait_for(enough(), timeout)

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.content_type == "application/json":
            params = await request.json()
        else:
            params = dict(await request.post())
        for key in ("reply_markup", "commands", "allowed_updates"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        if self.delay:
            await asyncio.sleep(self.delay)
        queued = self.errors.get(method)
        if queued:
            status, body = queued.pop(0)
            self.calls.append(Call(method + ":error", params, time.perf_counter()))
            self._counts[method + ":error"] = self._counts.get(method + ":error", 0) + 1
            return web.json_response(body, status=status)
        self.calls.append(Call(method, params, time.perf_counter()))
        self._counts[method] = self._counts.get(method, 0) + 1
        async with self._changed:
            self._changed.notify_all()
        return web.json_response({"ok": True, "result": self._result(method, params)})

    def _result(self, method: str, params: dict) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in ("sendMessage", "editMessageText"):
            return {"message_id": int(params.get("message_id") or next(self._ids)), "date": int(time.time()),
                    "chat": {"id": int(params.get("chat_id", 0)), "type": "private"},
                    "from": BOT_USER, "text": params.get("text", "")}
        if method == "getWebhookInfo":
            return {"url": self.webhook_url, "has_custom_certificate": False, "pending_update_count": 0}
        if method == "getUpdates":
            return []
        return True


# ---- update JSON, as Telegram sends it -------------------------------------------------------

_update_ids = itertools.count(1)


def _user(user_id: int) -> dict:
    return {"id": user_id, "is_bot": False, "first_name": "Erika", "language_code": "de"}


def _chat(chat_id: int, chat_type: str) -> dict:
    if chat_type == "private":
        return {"id": chat_id, "type": "private", "first_name": "Erika"}
    return {"id": chat_id, "type": chat_type, "title": "Digitalisierung Landkreis"}


def message_update(text: str, chat_id: int = 1001, user_id: int | None = None, *, chat_type: str = "private",
                   entities: list[dict] | None = None, reply_to: dict | None = None, edited: bool = False,
                   update_id: int | None = None, message_id: int = 1, extra: dict | None = None) -> dict:
    message = {"message_id": message_id, "date": int(time.time()), "chat": _chat(chat_id, chat_type),
               "from": _user(user_id or chat_id)}
    if text is not None:
        message["text"] = text
    if text and text.startswith("/"):
        command = text.split()[0]
        entities = (entities or []) + [{"type": "bot_command", "offset": 0, "length": len(command)}]
    if entities:
        message["entities"] = entities
    if reply_to:
        message["reply_to_message"] = reply_to
    if edited:
        message["edit_date"] = int(time.time())
    message.update(extra or {})
    return {"update_id": update_id or next(_update_ids), "edited_message" if edited else "message": message}


def mention(text: str, username: str = BOT_USER["username"]) -> tuple[str, list[dict]]:
    full = f"@{username} {text}"
    return full, [{"type": "mention", "offset": 0, "length": len(username) + 1}]


def callback_update(data: str, chat_id: int = 1001, user_id: int | None = None, message_id: int = 2000) -> dict:
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": str(next(_update_ids)),
            "from": _user(user_id or chat_id),
            "chat_instance": "ci",
            "data": data,
            "message": {"message_id": message_id, "date": int(time.time()), "chat": _chat(chat_id, "private"),
                        "from": BOT_USER, "text": "…"},
        },
    }


def sticker_update(chat_id: int = 1001) -> dict:
    sticker = {"file_id": "CAAC", "file_unique_id": "u1", "width": 512, "height": 512, "is_animated": False,
               "is_video": False, "type": "regular"}
    return message_update(None, chat_id, extra={"sticker": sticker})
