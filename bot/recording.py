"""Handlers do not talk to Telegram directly: what they send while handling an update is recorded
and handed to the outbox once the handler has finished.

python-telegram-bot builds every request (defaults, keyboards, reply parameters) and passes it to
its request object; `RecordingRequest` is that object. While the dispatcher handles an update,
messages, edits and callback answers are recorded (the handler gets `True` back instead of a
`Message`); the "typing" indicator is handed to the outbox, which sends it only if the handler
is still at work a moment later (most answers are ready within milliseconds); everything
else — getMe, setWebhook, and all requests outside the dispatcher, such as `poll` — goes to
Telegram through the wrapped request.

So a handler that fails has sent nothing (no answer next to an apology), and a retried delivery
resends exactly what the handler produced, without running it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from telegram.request import BaseRequest, RequestData

DURABLE = frozenset({"sendMessage", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery"})
COSMETIC = frozenset({"sendChatAction"})  # sent at once, best effort, never retried
_ACCEPTED = b'{"ok":true,"result":true}'


@dataclass
class Recorded:
    method: str
    params: dict[str, str]  # as sent: strings, nested objects as JSON
    after_sent: dict | None = None  # bookkeeping once Telegram accepted it (e.g. a handover)


@dataclass
class Recording:
    """One handler run: what it asked to send, and the question-log rows it wants written."""

    update_id: int | None
    chat: int | None
    asked_at: float
    reply_to: int | None = None
    requests: list[Recorded] = field(default_factory=list)
    questions: list[dict] = field(default_factory=list)  # question-log rows, written with the requests
    failure: BaseException | None = None
    # cosmetic requests: handed to this (it may send them later); whatever it returns is cancelled
    # once the handler has finished – "typing" after the answer is ready would only cost a request
    send_now: Callable[[str, dict[str, str]], asyncio.TimerHandle | None] | None = None
    cosmetic: list[asyncio.TimerHandle] = field(default_factory=list)
    finished: bool = False  # the handler is done: a cosmetic request arriving late is dropped
    _after_sent: dict | None = None


_CURRENT: contextvars.ContextVar[Recording | None] = contextvars.ContextVar("recording", default=None)


def current() -> Recording | None:
    return _CURRENT.get()


@contextlib.contextmanager
def recording(rec: Recording) -> Iterator[Recording]:
    token = _CURRENT.set(rec)
    try:
        yield rec
    finally:
        _CURRENT.reset(token)


@contextlib.contextmanager
def after_sent(**bookkeeping) -> Iterator[None]:
    """Requests recorded inside carry `bookkeeping`, done by the outbox once Telegram accepted them."""
    rec = current()
    if rec is None:
        yield
        return
    previous, rec._after_sent = rec._after_sent, bookkeeping
    try:
        yield
    finally:
        rec._after_sent = previous


class RecordingRequest(BaseRequest):
    def __init__(self, inner: BaseRequest):
        self._inner = inner

    @property
    def read_timeout(self) -> float | None:
        return self._inner.read_timeout

    async def initialize(self) -> None:
        await self._inner.initialize()

    async def shutdown(self) -> None:
        await self._inner.shutdown()

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,  # type: ignore[override]
                         **timeouts) -> tuple[int, bytes]:
        rec = _CURRENT.get()
        endpoint = url.rsplit("/", 1)[-1]
        if rec is not None and request_data is not None and not request_data.contains_files:
            if endpoint in DURABLE:
                rec.requests.append(Recorded(endpoint, dict(request_data.json_parameters), rec._after_sent))
                return 200, _ACCEPTED
            if endpoint in COSMETIC and rec.send_now is not None:
                handle = None if rec.finished else rec.send_now(endpoint, dict(request_data.json_parameters))
                if handle is not None:
                    rec.cosmetic.append(handle)
                return 200, _ACCEPTED
        return await self._inner.do_request(url, method, request_data, **timeouts)
