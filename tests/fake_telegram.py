"""A fake Telegram Bot API on 127.0.0.1, and builders for real update JSON.

python-telegram-bot and the outbox talk to it exactly as to Telegram (`base_url`), so tests and
benchmarks see every request the bot makes and never touch the network. It fails the way the real
one does, on request:

- `inject(...)` a fault for some methods/chats, a number of times or until `clear()`: an HTTP error
  (500, 429 with `parameters.retry_after`, 401, a proxy's 404 page …), latency, or a dropped
  connection — `drop_before` (the request is not processed) or `drop_after` (processed and
  recorded, the response lost: a resend is a duplicate);
- `go_offline()` / `go_online()`: connections refused (and kept-alive ones reset);
- `block(chat)` (403), `forget_chat(chat)` (400 chat not found), `migrate(old, new)`
  (`migrate_to_chat_id`), `expire_callbacks` (answerCallbackQuery too old);
- always, like Telegram: HTML that does not parse and texts longer than `max_length` are refused.

`calls` holds what Telegram would have processed, `attempts` every request that arrived.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import random
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from aiohttp import web

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Förderbot", "username": "foerder_test_bot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
HTML_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler", "span",
             "blockquote", "tg-emoji"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float
    response_lost: bool = False  # processed, but the bot never saw the answer
    result: Any = None  # what the fake answered (a sent message: its message_id)


@dataclass
class Fault:
    kind: str  # "status" | "latency" | "drop_before" | "drop_after"
    methods: frozenset[str] | None = None  # None: every method
    chats: frozenset[int] | None = None
    times: int | None = None  # None: until cleared
    status: int = 500
    body: Any = None  # the error body (dict) or raw text (a proxy's page)
    seconds: float = 0.0
    chance: float = 1.0  # applies to this share of matching requests (the fake's seeded random)
    hits: int = 0

    def matches(self, method: str, params: dict) -> bool:
        if self.methods is not None and method not in self.methods:
            return False
        if self.chats is not None:
            try:
                if int(params.get("chat_id")) not in self.chats:
                    return False
            except (TypeError, ValueError):
                return False
        return self.times is None or self.hits < self.times


@dataclass
class FakeBotApi:
    calls: list[Call] = field(default_factory=list)
    attempts: list[Call] = field(default_factory=list)
    errors: dict[str, list[tuple[int, dict]]] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    delay: float = 0.0
    webhook_url: str = ""  # what getWebhookInfo reports
    max_length: int = 4096
    blocked: set[int] = field(default_factory=set)
    unknown_chats: set[int] = field(default_factory=set)
    migrated: dict[int, int] = field(default_factory=dict)
    expire_callbacks: bool = False
    admins: dict[int, set[int]] = field(default_factory=dict)  # group → its admins (getChatMember)
    offline: bool = False
    rng: random.Random = field(default_factory=lambda: random.Random(8))
    port: int = 0
    _runner: web.AppRunner | None = None
    _site: web.TCPSite | None = None
    _changed: asyncio.Condition | None = None
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1000))
    _counts: dict[str, int] = field(default_factory=dict)
    # setMyDescription / setMyShortDescription, by language_code ("" = the default)
    descriptions: dict[str, str] = field(default_factory=dict)
    short_descriptions: dict[str, str] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> "FakeBotApi":
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=False)
        await self._runner.setup()
        await self._listen()
        return self

    async def _listen(self) -> None:
        self._site = web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True)
        await self._site.start()
        self.port = self._site._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # ---- faults ------------------------------------------------------------------------------

    def fail_next(self, method: str, status: int, parameters: dict | None = None, description: str = "") -> None:
        """Answer the next call of `method` with an error (e.g. 429 with {"retry_after": 1})."""
        self.errors.setdefault(method, []).append((status, _error(status, description, parameters)))

    def inject(self, kind: str, *, methods: set[str] | None = None, chats: set[int] | None = None,
               times: int | None = None, status: int = 500, description: str = "", parameters: dict | None = None,
               text: str | None = None, seconds: float = 0.0, chance: float = 1.0) -> Fault:
        body = text if text is not None else _error(status, description, parameters)
        fault = Fault(kind, frozenset(methods) if methods else None, frozenset(chats) if chats else None, times,
                      status, body, seconds, chance)
        self.faults.append(fault)
        return fault

    def clear(self) -> None:
        self.faults.clear()

    def block(self, chat: int) -> None:
        self.blocked.add(chat)

    def forget_chat(self, chat: int) -> None:
        self.unknown_chats.add(chat)

    def migrate(self, old: int, new: int) -> None:
        self.migrated[old] = new

    async def go_offline(self) -> None:
        """Connections refused; connections kept alive from before are reset."""
        self.offline = True
        if self._site is not None:
            await self._site.stop()
            self._site = None

    async def go_online(self) -> None:
        self.offline = False
        if self._site is None:
            await self._listen()

    # ---- what arrived ------------------------------------------------------------------------

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def tried(self, method: str) -> int:
        return sum(1 for c in self.attempts if c.method == method)

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        return await self.wait_until(lambda: self._counts.get(method, 0) >= count, timeout, lambda: self.of(method))

    async def wait_tried(self, method: str, count: int, timeout: float = 10.0) -> None:
        await self.wait_until(lambda: self.tried(method) >= count, timeout)

    async def wait_until(self, condition, timeout: float = 10.0, result=lambda: None):
        async def enough():
            async with self._changed:
                await self._changed.wait_for(condition)
            return result()

        return await asyncio.wait_for(enough(), timeout)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # ---- the API -----------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        params = await _params(request)
        attempt = Call(method, params, time.perf_counter())
        self.attempts.append(attempt)
        await self._notify()
        if self.offline:
            return self._drop(request)
        if self.delay:
            await asyncio.sleep(self.delay)
        fault = next((f for f in self.faults if f.matches(method, params)
                      and (f.chance >= 1 or self.rng.random() < f.chance)), None)
        if fault is not None:
            failed = await self._apply(fault, request, method, params)
            if failed is not None:
                return failed
        queued = self.errors.get(method)
        if queued:
            status, body = queued.pop(0)
            return await self._error(method, params, status, body)
        refusal = self._refusal(method, params)
        if refusal is not None:
            return await self._error(method, params, *refusal)
        result = self._result(method, params)
        self._record(method, params, result=result)
        await self._notify()
        return web.json_response({"ok": True, "result": result})

    async def _apply(self, fault: Fault, request: web.Request, method: str, params: dict) -> web.StreamResponse | None:
        """The response a fault makes of this request; None: it goes on (after a latency)."""
        fault.hits += 1
        if fault.kind == "latency":
            await asyncio.sleep(fault.seconds)
            if request.transport is None or request.transport.is_closing():
                return web.Response(status=499)  # the client gave up first: not processed
            return None
        if fault.kind == "drop_before":
            return self._drop(request)
        if fault.kind == "drop_after":
            self._record(method, params, response_lost=True)
            await self._notify()
            return self._drop(request)
        if isinstance(fault.body, str):
            return web.Response(status=fault.status, text=fault.body, content_type="text/html")
        return await self._error(method, params, fault.status, fault.body)

    def _record(self, method: str, params: dict, response_lost: bool = False, result: Any = None) -> None:
        self.calls.append(Call(method, params, time.perf_counter(), response_lost, result))
        self._counts[method] = self._counts.get(method, 0) + 1

    async def _error(self, method: str, params: dict, status: int, body: dict) -> web.Response:
        self.calls.append(Call(method + ":error", params, time.perf_counter()))
        self._counts[method + ":error"] = self._counts.get(method + ":error", 0) + 1
        await self._notify()
        return web.json_response(body, status=status)

    @staticmethod
    def _drop(request: web.Request) -> web.Response:
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=499)

    def _refusal(self, method: str, params: dict) -> tuple[int, dict] | None:
        """What Telegram itself refuses."""
        chat = _int(params.get("chat_id"))
        if chat in self.blocked:
            return 403, _error(403, "Forbidden: bot was blocked by the user")
        if chat in self.unknown_chats:
            return 400, _error(400, "Bad Request: chat not found")
        if chat in self.migrated:
            return 400, _error(400, "Bad Request: group chat was upgraded to a supergroup chat",
                               {"migrate_to_chat_id": self.migrated[chat]})
        if method == "answerCallbackQuery" and self.expire_callbacks:
            return 400, _error(400, "Bad Request: query is too old and response timeout expired or query id is invalid")
        if method in ("sendMessage", "editMessageText"):
            text = params.get("text", "")
            if params.get("parse_mode") == "HTML":
                problem = html_problem(text)
                if problem:
                    return 400, _error(400, f"Bad Request: can't parse entities: {problem}")
                text = html.unescape(re.sub(r"<[^>]*>", "", text))
            if len(text) > self.max_length:
                return 400, _error(400, "Bad Request: message is too long")
            if not text.strip():
                return 400, _error(400, "Bad Request: message text is empty")
        return None

    def _result(self, method: str, params: dict) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in ("sendMessage", "editMessageText"):
            return {"message_id": int(params.get("message_id") or next(self._ids)), "date": int(time.time()),
                    "chat": {"id": int(params.get("chat_id", 0)), "type": "private"},
                    "from": BOT_USER, "text": params.get("text", "")}
        if method == "getChatMember":
            user = {"id": int(params.get("user_id", 0)), "is_bot": False, "first_name": "Erika"}
            if user["id"] in self.admins.get(int(params.get("chat_id", 0)), set()):
                return {"status": "creator", "user": user, "is_anonymous": False}
            return {"status": "member", "user": user}
        if method == "getWebhookInfo":
            return {"url": self.webhook_url, "has_custom_certificate": False, "pending_update_count": 0}
        if method == "getUpdates":
            return []
        return self._description(method, params)

    def _description(self, method: str, params: dict) -> Any:
        """set/getMyDescription and set/getMyShortDescription, kept per language_code."""
        language = params.get("language_code") or ""
        if method == "setMyDescription":
            self.descriptions[language] = params.get("description") or ""
        if method == "setMyShortDescription":
            self.short_descriptions[language] = params.get("short_description") or ""
        if method == "getMyDescription":
            return {"description": self.descriptions.get(language, "")}
        if method == "getMyShortDescription":
            return {"short_description": self.short_descriptions.get(language, "")}
        return True


async def _params(request: web.Request) -> dict[str, Any]:
    """A request's parameters as the Bot API reads them: form fields, nested objects as JSON."""
    if request.content_type == "application/json":
        params = await request.json()
    else:
        params = dict(await request.post())
    for key in ("reply_markup", "commands", "allowed_updates", "reply_parameters"):
        if isinstance(params.get(key), str):
            params[key] = json.loads(params[key])
    return params


def _error(status: int, description: str = "", parameters: dict | None = None) -> dict:
    body = {"ok": False, "error_code": status, "description": description or f"Error {status}"}
    if parameters:
        body["parameters"] = parameters
    return body


def _int(value: object) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class _TagChecker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problem: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag not in HTML_TAGS:
            self.problem = self.problem or f"Unsupported start tag \"{tag}\""
        self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.problem = self.problem or f"Can't find end tag corresponding to start tag \"{tag}\""
        else:
            self.open.pop()


def html_problem(text: str) -> str | None:
    """Why Telegram would refuse this HTML, or None."""
    checker = _TagChecker()
    checker.feed(text)
    checker.close()
    if checker.problem:
        return checker.problem
    if checker.open:
        return f"Can't find end tag corresponding to start tag \"{checker.open[-1]}\""
    return None


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
                   update_id: int | None = None, message_id: int = 1, extra: dict | None = None,
                   date: float | None = None) -> dict:
    message = {"message_id": message_id, "date": int(time.time() if date is None else date),
               "chat": _chat(chat_id, chat_type), "from": _user(user_id or chat_id)}
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


def callback_update(data: str, chat_id: int = 1001, user_id: int | None = None, message_id: int = 2000, *,
                    chat_type: str = "private") -> dict:
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": str(next(_update_ids)),
            "from": _user(user_id or chat_id),
            "chat_instance": "ci",
            "data": data,
            "message": {"message_id": message_id, "date": int(time.time()), "chat": _chat(chat_id, chat_type),
                        "from": BOT_USER, "text": "…"},
        },
    }


def bot_message(sent: Call, chat_type: str = "private") -> dict:
    """The bot's message as Telegram shows it inside `reply_to_message` (from a sendMessage call)."""
    chat_id = int(sent.params["chat_id"])
    return {"message_id": sent.result["message_id"], "date": int(time.time()), "chat": _chat(chat_id, chat_type),
            "from": BOT_USER, "text": sent.params.get("text", "")}


def my_chat_member_update(chat_id: int, status: str, chat_type: str = "private", user_id: int = 1001) -> dict:
    """The bot's own membership changed: "kicked" (blocked, or removed from a group), "left", "member" …"""
    bot = {"id": BOT_USER["id"], "is_bot": True, "first_name": BOT_USER["first_name"]}
    old = {"status": "member", "user": bot}
    new = {"status": status, "user": bot, **({"until_date": 0} if status == "kicked" else {})}
    return {"update_id": next(_update_ids),
            "my_chat_member": {"chat": _chat(chat_id, chat_type), "from": _user(user_id), "date": int(time.time()),
                               "old_chat_member": old, "new_chat_member": new}}


def sticker_update(chat_id: int = 1001) -> dict:
    sticker = {"file_id": "CAAC", "file_unique_id": "u1", "width": 512, "height": 512, "is_animated": False,
               "is_video": False, "type": "regular"}
    return message_update(None, chat_id, extra={"sticker": sticker})
